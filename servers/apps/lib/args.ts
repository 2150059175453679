// Numeric command-line arguments for the demo apps. Not a program (no main.ts
// here): each app imports what it needs. Bad input gets a clear message and
// exit code 2 rather than a trap, since users type these at the shell.
import { argCount, arg, exit, println } from "../../sdk/assembly";

/** Ends the task with exit code 2 after printing "prog: message". */
export function usageError(prog: string, message: string): void {
  println(prog + ": " + message);
  exit(2);
}

/** parseInt32's answer for text that is not an i32 (outside the i32 range). */
export const NOT_A_NUMBER: i64 = i64.MIN_VALUE;

/**
 * Parses a decimal integer with an optional leading '-'; NOT_A_NUMBER for
 * anything else or a value outside the i32 range (the runtime has no exceptions).
 */
export function parseInt32(s: string): i64 {
  const BAD = NOT_A_NUMBER;
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n > 0 && s.charCodeAt(0) == 0x2d) {
    neg = true;
    i = 1;
  }
  if (i == n) return BAD;
  let v: i64 = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return BAD;
    v = v * 10 + <i64>(c - 0x30);
    if (v > <i64>i32.MAX_VALUE + 1) return BAD;
  }
  if (neg) v = -v;
  if (v < <i64>i32.MIN_VALUE || v > <i64>i32.MAX_VALUE) return BAD;
  return v;
}

/**
 * Argument `index` as an integer in min..max, or `fallback` if it is absent.
 * Anything else ends the task with a message naming the argument.
 */
export function intArg(prog: string, index: i32, what: string, fallback: i32, min: i32, max: i32): i32 {
  if (index >= argCount()) return fallback;
  const s = arg(index);
  const v = parseInt32(s);
  if (v == NOT_A_NUMBER || v < <i64>min || v > <i64>max) {
    usageError(prog, what + " must be a number from " + min.toString() + " to " + max.toString() + ", not '" + s + "'");
  }
  return <i32>v;
}
