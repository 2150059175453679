// The line being edited: UTF-8 bytes with a cursor that always sits on a
// character boundary, and the terminal redraws that keep the screen in step
// (ANSI: cursor left/right, erase to end of line). One column per character
// is assumed (no wide or combining characters), and the line is assumed to fit
// on one terminal row after the prompt.
import { History } from "./history";
import {
  KEY_BACKSPACE, KEY_CHAR, KEY_CLEAR, KEY_DELETE, KEY_DOWN, KEY_END, KEY_EOF, KEY_ENTER, KEY_HOME,
  KEY_INTERRUPT, KEY_KILL_END, KEY_KILL_START, KEY_KILL_WORD, KEY_LEFT, KEY_RIGHT, KEY_UP, KeyDecoder,
} from "./keys";
import { clearScreen, cursorLeft, cursorRight, eraseToEnd, putAscii, putByte, putBytes } from "./output";
import { promptPtr, promptLen } from "./prompt";

/** A console_read_line reply holds cstr[256]: 255 bytes and the NUL. */
export const LINE_MAX: i32 = 255;

/** What a key did to the line. */
export const EDIT_MORE: i32 = 0;
export const EDIT_DONE: i32 = 1;
export const EDIT_INTERRUPTED: i32 = 2;
export const EDIT_END: i32 = 3;

const BEL: u8 = 0x07;

@inline function isCont(b: u8): bool {
  return (b & 0xc0) == 0x80;
}

export class LineEditor {
  readonly buf: usize = heap.alloc(<usize>LINE_MAX);
  len: i32 = 0;
  cur: i32 = 0;
  readonly history: History = new History();

  /** A new, empty line. */
  start(): void {
    this.len = 0;
    this.cur = 0;
    this.history.restart();
  }

  /** Applies one decoded key; EDIT_DONE etc. when the line is finished. */
  key(k: i32, dec: KeyDecoder): i32 {
    switch (k) {
      case KEY_CHAR: this.insertChar(dec); break;
      case KEY_ENTER:
        this.moveTo(this.len);
        putByte(0x0a);
        this.history.add(this.buf, this.len);
        return EDIT_DONE;
      case KEY_INTERRUPT:
        this.moveTo(this.len);
        putAscii("^C\n");
        return EDIT_INTERRUPTED;
      case KEY_EOF:
        if (this.len == 0) return EDIT_END;
        this.remove(this.cur, this.next(this.cur)); // readline: Ctrl-D deletes under the cursor
        break;
      case KEY_BACKSPACE: this.remove(this.prev(this.cur), this.cur); break;
      case KEY_DELETE: this.remove(this.cur, this.next(this.cur)); break;
      case KEY_LEFT: this.moveTo(this.prev(this.cur)); break;
      case KEY_RIGHT: this.moveTo(this.next(this.cur)); break;
      case KEY_HOME: this.moveTo(0); break;
      case KEY_END: this.moveTo(this.len); break;
      case KEY_KILL_START: this.remove(0, this.cur); break;
      case KEY_KILL_END: this.remove(this.cur, this.len); break;
      case KEY_KILL_WORD: this.remove(this.wordStart(), this.cur); break;
      case KEY_CLEAR: this.redrawAll(); break;
      case KEY_UP: this.recall(this.history.older(this.buf, this.len)); break;
      case KEY_DOWN: this.recall(this.history.newer()); break;
    }
    return EDIT_MORE;
  }

  /** Columns (characters) between byte offsets a <= b. */
  private cols(a: i32, b: i32): i32 {
    let n = 0;
    for (let i = a; i < b; i++) if (!isCont(load<u8>(this.buf + <usize>i))) n++;
    return n;
  }

  private prev(p: i32): i32 {
    if (p == 0) return 0;
    p--;
    while (p > 0 && isCont(load<u8>(this.buf + <usize>p))) p--;
    return p;
  }

  private next(p: i32): i32 {
    if (p >= this.len) return this.len;
    p++;
    while (p < this.len && isCont(load<u8>(this.buf + <usize>p))) p++;
    return p;
  }

  /** Start of the word before the cursor: blanks, then non-blanks. */
  private wordStart(): i32 {
    let p = this.cur;
    while (p > 0 && load<u8>(this.buf + <usize>(p - 1)) == 0x20) p--;
    while (p > 0 && load<u8>(this.buf + <usize>(p - 1)) != 0x20) p--;
    return p;
  }

  private moveTo(p: i32): void {
    if (p < this.cur) cursorLeft(this.cols(p, this.cur));
    else cursorRight(this.cols(this.cur, p));
    this.cur = p;
  }

  /** Writes the line from the cursor on, clears what is left of the old text, and puts the cursor back. */
  private redrawTail(erase: bool): void {
    putBytes(this.buf + <usize>this.cur, <usize>(this.len - this.cur));
    if (erase) eraseToEnd();
    cursorLeft(this.cols(this.cur, this.len));
  }

  private insertChar(dec: KeyDecoder): void {
    const n = dec.charLen;
    if (this.len + n > LINE_MAX) {
      putByte(BEL);
      return;
    }
    const at = this.buf + <usize>this.cur;
    memory.copy(at + <usize>n, at, <usize>(this.len - this.cur));
    for (let i = 0; i < n; i++) store<u8>(at + <usize>i, dec.charByte(i));
    this.len += n;
    // Echo the character, then (in the middle of the line) the text it pushed right.
    putBytes(at, <usize>n);
    this.cur += n;
    if (this.cur < this.len) this.redrawTail(false);
  }

  /** Deletes bytes [a, b) (a <= cur <= b); the cursor ends at a. */
  private remove(a: i32, b: i32): void {
    if (a >= b) return;
    this.moveTo(a);
    memory.copy(this.buf + <usize>a, this.buf + <usize>b, <usize>(this.len - b));
    this.len -= b - a;
    this.redrawTail(true);
  }

  /** Replaces the whole line (a history entry; null: nothing there, ring the bell). */
  private recall(entry: Uint8Array | null): void {
    if (entry === null) {
      putByte(BEL);
      return;
    }
    this.moveTo(0);
    const n = min(entry.length, LINE_MAX);
    memory.copy(this.buf, entry.dataStart, <usize>n);
    this.len = n;
    putBytes(this.buf, <usize>n);
    eraseToEnd();
    this.cur = n;
  }

  /** Ctrl-L: a clear screen with the prompt and the line on top. */
  private redrawAll(): void {
    clearScreen();
    putBytes(promptPtr(), <usize>promptLen());
    putBytes(this.buf, <usize>this.len);
    cursorLeft(this.cols(this.cur, this.len));
  }
}
