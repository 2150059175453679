// Small text helpers: UTF-8 sizes (the kernel counts bytes, not characters)
// and number formatting for init's reports.

/** Bytes of s in UTF-8. */
export function utf8Length(s: string): i32 {
  return String.UTF8.byteLength(s);
}

/** s cut to at most max UTF-8 bytes, at a character boundary. */
export function cutUtf8(s: string, max: i32): string {
  if (utf8Length(s) <= max) return s;
  const b = Uint8Array.wrap(String.UTF8.encode(s));
  let n = max;
  while (n > 0 && (b[n] & 0xc0) == 0x80) n--; // b[n] starts the first character left out
  return String.UTF8.decodeUnsafe(b.dataStart, <usize>n);
}

/** A duration in nanoseconds as milliseconds with one decimal: "1.2". */
export function msText(ns: i64): string {
  const tenths = (ns + 50000) / 100000;
  return (tenths / 10).toString() + "." + (tenths % 10).toString();
}

/** Why a task ended, in words (exit reasons of servers/idl/messages.idl). */
export function reasonText(reason: i32): string {
  if (reason >= 0) return "exit code " + reason.toString();
  if (reason == -1) return "killed";
  if (reason == -2) return "fault";
  if (reason == -3) return "stack overflow";
  if (reason == -4) return "trapped";
  if (reason == -5) return "out of memory";
  return "reason " + reason.toString();
}
