// What the console shows: echo and redraw bytes are collected here and written
// in one wasmos.debug_print per batch, so they go through the kernel console
// like every task's output (one writer of the UART's transmitter, correctly
// interleaved) at the cost of one kernel call per batch, not per byte.
import { wasmos_debug_print } from "../sdk/assembly";

const CAP: usize = 2048;
const buf = memory.data(<i32>CAP);
let used: usize = 0;

/** Writes everything collected so far. */
export function flush(): void {
  if (used > 0) wasmos_debug_print(buf, <u32>used);
  used = 0;
}

export function putByte(b: u8): void {
  if (used == CAP) flush();
  store<u8>(buf + used, b);
  used++;
}

/** Bytes from linear memory (one bulk copy: a byte loop costs much more in the interpreter). */
export function putBytes(ptr: usize, len: usize): void {
  while (len > 0) {
    if (used == CAP) flush();
    const n = min(len, CAP - used);
    memory.copy(buf + used, ptr, n);
    used += n;
    ptr += n;
    len -= n;
  }
}

/** ASCII text (escape sequences, "^C"). */
export function putAscii(s: string): void {
  for (let i = 0; i < s.length; i++) putByte(<u8>s.charCodeAt(i));
}

function putDecimal(n: i32): void {
  if (n >= 10) putDecimal(n / 10);
  putByte(<u8>(0x30 + n % 10));
}

/** ESC [ n <final>: cursor moves (n > 0 only: "ESC [ 0 D" would still move one column). */
export function csi(n: i32, final: u8): void {
  if (n <= 0) return;
  putByte(0x1b);
  putByte(0x5b);
  if (n != 1) putDecimal(n);
  putByte(final);
}

export function cursorLeft(n: i32): void {
  csi(n, 0x44);
}

export function cursorRight(n: i32): void {
  csi(n, 0x43);
}

/** Erases from the cursor to the end of the line. */
export function eraseToEnd(): void {
  putAscii("\x1b[K");
}

/** Clears the screen and homes the cursor. */
export function clearScreen(): void {
  putAscii("\x1b[H\x1b[2J");
}
