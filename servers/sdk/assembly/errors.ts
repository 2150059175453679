// Error codes are negative numbers (E_* in messages.ts). These helpers name
// them and stop a task that cannot go on.
import { println } from "./console";
import { wasmos_exit } from "./imports";
import { errorName } from "./messages";

/** "E_NOT_FOUND", or "error -123" for a code the IDL does not define. */
export function errorText(code: i32): string {
  const name = errorName(code);
  if (name !== null) return name;
  return "error " + code.toString();
}

/**
 * A few words on what an error means to a user, or null. Kept here rather than
 * taken from the IDL's doc comments: those are written for programmers and are
 * too long for a shell's error line.
 */
export function errorMeaning(code: i32): string | null {
  switch (code) {
    case -1: return "no such task";
    case -2: return "the other task exited";
    case -3: return "would block";
    case -4: return "message too large";
    case -5: return "bad pointer";
    case -6: return "deadlock";
    case -7: return "timed out";
    case -8: return "permission denied";
    case -9: return "out of memory";
    case -10: return "invalid argument";
    case -11: return "no such file or service";
    case -12: return "already exists";
    case -13: return "not a valid WasmOS module";
    case -100: return "not a directory";
    case -101: return "is a directory";
    case -102: return "directory not empty";
    case -103: return "read-only";
    case -104: return "bad file handle";
    case -105: return "name too long";
    case -106: return "no space left";
    case -107: return "not a WebAssembly module";
    case -108: return "no more entries";
    case -109: return "interrupted";
    case -110: return "not supported";
    case -111: return "I/O error";
    case -112: return "connection refused";
    case -113: return "network unreachable";
    case -114: return "connection reset";
    default: return null;
  }
}

/** "E_NOT_FOUND (no such file or service)"; errorText(code) for a code without a description. */
export function describeError(code: i32): string {
  const meaning = errorMeaning(code);
  if (meaning === null) return errorText(code);
  return errorText(code) + " (" + meaning + ")";
}

/** Prints "panic: message" and ends the task with exit code 1. */
export function panic(message: string): void {
  println("panic: " + message);
  wasmos_exit(1);
  unreachable();
}

/** Returns code if it is not an error; otherwise panics with "what: E_...". */
export function check(code: i32, what: string): i32 {
  if (code < 0) panic(what + ": " + errorText(code));
  return code;
}
