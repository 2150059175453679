// The text on the terminal's current row before the line being edited — in
// practice the prompt — as last written through console_write (the bytes after
// the last newline, up to PROMPT_MAX). Ctrl-L redraws it above the line.
// Output that bypasses this server (wasmos.debug_print) is not seen here.
const PROMPT_MAX: i32 = 128;
const buf = memory.data(PROMPT_MAX);
let len: i32 = 0;

export function promptPtr(): usize {
  return buf;
}

export function promptLen(): i32 {
  return len;
}

/** Follows written bytes: a newline (or CR) starts a new row. */
export function notePrompt(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const b = load<u8>(ptr + <usize>i);
    if (b == 0x0a || b == 0x0d) len = 0;
    else if (len < PROMPT_MAX) {
      store<u8>(buf + <usize>len, b);
      len++;
    }
  }
}

/** Forgets the row (the line was entered, or the screen changed). */
export function clearPrompt(): void {
  len = 0;
}
