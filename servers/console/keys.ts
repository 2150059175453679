// Turns the byte stream from the terminal into keys: control characters,
// ANSI escape sequences (CSI "ESC [ ... final", SS3 "ESC O x") and UTF-8
// characters (a multi-byte sequence is one key). Anything it does not know —
// an unknown sequence, a malformed UTF-8 sequence, a stray control byte — is
// dropped whole, never half-interpreted. The decoder keeps its state between
// reads, so a sequence split across interrupts or reads still decodes.

export const KEY_NONE: i32 = 0;
/** A character: its UTF-8 bytes are in charBytes()/charLen. */
export const KEY_CHAR: i32 = 1;
export const KEY_ENTER: i32 = 2;
export const KEY_BACKSPACE: i32 = 3;
export const KEY_DELETE: i32 = 4;
export const KEY_LEFT: i32 = 5;
export const KEY_RIGHT: i32 = 6;
export const KEY_HOME: i32 = 7;
export const KEY_END: i32 = 8;
export const KEY_UP: i32 = 9;
export const KEY_DOWN: i32 = 10;
/** Ctrl-U: delete to the start of the line. */
export const KEY_KILL_START: i32 = 11;
/** Ctrl-K: delete to the end of the line. */
export const KEY_KILL_END: i32 = 12;
/** Ctrl-W: delete the word before the cursor. */
export const KEY_KILL_WORD: i32 = 13;
/** Ctrl-L. */
export const KEY_CLEAR: i32 = 14;
/** Ctrl-C. */
export const KEY_INTERRUPT: i32 = 15;
/** Ctrl-D. */
export const KEY_EOF: i32 = 16;

const ESC: u8 = 0x1b;

const S_NORMAL = 0;
const S_ESC = 1;
const S_CSI = 2;
const S_SS3 = 3;
const S_UTF8 = 4;

/** A CSI parameter is capped here: only small numbers mean anything to us. */
const PARAM_MAX: i32 = 9999;

export class KeyDecoder {
  private state: i32 = S_NORMAL;
  /** The first numeric CSI parameter (-1: none yet). */
  private param: i32 = -1;
  /** A second parameter started (";"): the first one is complete. */
  private paramDone: bool = false;
  /** The previous byte was CR: a LF right after it is the same Enter. */
  private afterCr: bool = false;
  private readonly utf8: StaticArray<u8> = new StaticArray<u8>(4);
  /** Bytes of the current character so far, and how many it needs. */
  charLen: i32 = 0;
  private need: i32 = 0;

  /** The current KEY_CHAR's bytes (valid until the next feed). */
  charByte(i: i32): u8 {
    return unchecked(this.utf8[i]);
  }

  /** Feeds one byte; returns the key it completes, or KEY_NONE. */
  feed(b: u8): i32 {
    const crBefore = this.afterCr;
    this.afterCr = false;
    if (this.state >= S_ESC && this.state <= S_SS3 && b < 0x20) {
      // A control character inside a sequence cancels it and acts as itself
      // (as in xterm), so Ctrl-C or Enter is never swallowed by a stray ESC.
      this.state = S_NORMAL;
      return this.normal(b, crBefore);
    }
    switch (this.state) {
      case S_ESC:
        return this.afterEsc(b);
      case S_CSI:
        return this.inCsi(b);
      case S_SS3:
        this.state = S_NORMAL;
        return ss3Key(b);
      case S_UTF8:
        if (this.continues(b)) {
          unchecked((this.utf8[this.charLen] = b));
          this.charLen++;
          if (this.charLen < this.need) return KEY_NONE;
          this.state = S_NORMAL;
          return KEY_CHAR;
        }
        // The sequence broke off: drop it, and read b afresh.
        this.state = S_NORMAL;
        return this.normal(b, crBefore);
    }
    return this.normal(b, crBefore);
  }

  private normal(b: u8, crBefore: bool): i32 {
    if (b == 0x0d) {
      this.afterCr = true;
      return KEY_ENTER;
    }
    if (b == 0x0a) return crBefore ? KEY_NONE : KEY_ENTER;
    if (b >= 0x20 && b < 0x7f) return this.single(b);
    if (b >= 0x80) return this.lead(b);
    switch (b) {
      case ESC:
        this.state = S_ESC;
        return KEY_NONE;
      case 0x7f:
      case 0x08:
        return KEY_BACKSPACE;
      case 0x01: return KEY_HOME; // Ctrl-A
      case 0x05: return KEY_END; // Ctrl-E
      case 0x02: return KEY_LEFT; // Ctrl-B
      case 0x06: return KEY_RIGHT; // Ctrl-F
      case 0x10: return KEY_UP; // Ctrl-P
      case 0x0e: return KEY_DOWN; // Ctrl-N
      case 0x15: return KEY_KILL_START; // Ctrl-U
      case 0x0b: return KEY_KILL_END; // Ctrl-K
      case 0x17: return KEY_KILL_WORD; // Ctrl-W
      case 0x0c: return KEY_CLEAR; // Ctrl-L
      case 0x03: return KEY_INTERRUPT; // Ctrl-C
      case 0x04: return KEY_EOF; // Ctrl-D
    }
    return KEY_NONE; // Tab and the other control characters: nothing to do
  }

  private single(b: u8): i32 {
    unchecked((this.utf8[0] = b));
    this.charLen = 1;
    return KEY_CHAR;
  }

  /** A UTF-8 lead byte starts a 2..4 byte character; anything else >= 0x80 here is malformed. */
  private lead(b: u8): i32 {
    let need = 0;
    if (b >= 0xc2 && b <= 0xdf) need = 2;
    else if (b >= 0xe0 && b <= 0xef) need = 3;
    else if (b >= 0xf0 && b <= 0xf4) need = 4;
    else return KEY_NONE;
    unchecked((this.utf8[0] = b));
    this.charLen = 1;
    this.need = need;
    this.state = S_UTF8;
    return KEY_NONE;
  }

  /** Is b a valid next byte of the current character? (no overlongs, surrogates or > U+10FFFF) */
  private continues(b: u8): bool {
    if ((b & 0xc0) != 0x80) return false;
    if (this.charLen != 1) return true;
    const first = unchecked(this.utf8[0]);
    if (first == 0xe0) return b >= 0xa0;
    if (first == 0xed) return b <= 0x9f;
    if (first == 0xf0) return b >= 0x90;
    if (first == 0xf4) return b <= 0x8f;
    return true;
  }

  private afterEsc(b: u8): i32 {
    if (b == 0x5b) { // [
      this.state = S_CSI;
      this.param = -1;
      this.paramDone = false;
      return KEY_NONE;
    }
    if (b == 0x4f) { // O
      this.state = S_SS3;
      return KEY_NONE;
    }
    // Alt+key and the like: not ours.
    this.state = S_NORMAL;
    return KEY_NONE;
  }

  private inCsi(b: u8): i32 {
    if (b >= 0x30 && b <= 0x3f) { // parameter bytes
      if (b <= 0x39) {
        if (!this.paramDone) this.param = min(max(this.param, 0) * 10 + <i32>(b - 0x30), PARAM_MAX);
      } else if (b == 0x3b) {
        this.paramDone = true;
      }
      return KEY_NONE;
    }
    if (b >= 0x20 && b <= 0x2f) return KEY_NONE; // intermediate bytes
    this.state = S_NORMAL;
    if (b < 0x40 || b > 0x7e) return KEY_NONE; // not a CSI at all: drop it
    switch (b) {
      case 0x41: return KEY_UP; // A
      case 0x42: return KEY_DOWN; // B
      case 0x43: return KEY_RIGHT; // C
      case 0x44: return KEY_LEFT; // D
      case 0x48: return KEY_HOME; // H
      case 0x46: return KEY_END; // F
      case 0x7e: // ~: the VT220 keys
        switch (this.param) {
          case 1:
          case 7: return KEY_HOME;
          case 4:
          case 8: return KEY_END;
          case 3: return KEY_DELETE;
        }
        return KEY_NONE;
    }
    return KEY_NONE;
  }
}

/** ESC O x: the keypad in application mode. */
function ss3Key(b: u8): i32 {
  switch (b) {
    case 0x41: return KEY_UP;
    case 0x42: return KEY_DOWN;
    case 0x43: return KEY_RIGHT;
    case 0x44: return KEY_LEFT;
    case 0x48: return KEY_HOME;
    case 0x46: return KEY_END;
  }
  return KEY_NONE;
}
