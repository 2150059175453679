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
