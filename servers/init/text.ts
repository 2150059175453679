// Small text helpers: UTF-8 sizes (the kernel counts bytes, not characters)
// and number formatting for init's reports.
import { EXIT_FAULT, EXIT_KILLED, EXIT_NO_MEMORY, EXIT_STACK_OVERFLOW, EXIT_WASM_TRAP } from "../sdk/assembly";

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
  if (reason == EXIT_KILLED) return "killed";
  if (reason == EXIT_FAULT) return "fault";
  if (reason == EXIT_STACK_OVERFLOW) return "stack overflow";
  if (reason == EXIT_WASM_TRAP) return "trapped";
  if (reason == EXIT_NO_MEMORY) return "out of memory";
  return "reason " + reason.toString();
}
