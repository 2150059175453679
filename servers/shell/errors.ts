// Error codes as the shell shows them: the IDL name and what it means to a
// user, e.g. "E_NOT_WASM (not a WebAssembly module)".
import {
  EXIT_FAULT,
  EXIT_KILLED,
  EXIT_NO_MEMORY,
  EXIT_STACK_OVERFLOW,
  EXIT_WASM_TRAP,
  E_BAD_HANDLE,
  E_BAD_MODULE,
  E_BAD_POINTER,
  E_DEADLOCK,
  E_DENIED,
  E_END,
  E_EXISTS,
  E_EXITED,
  E_INTERRUPTED,
  E_INVALID,
  E_IO,
  E_IS_DIR,
  E_NAME_TOO_LONG,
  E_NOT_DIR,
  E_NOT_EMPTY,
  E_NOT_FOUND,
  E_NOT_WASM,
  E_NO_MEMORY,
  E_NO_SPACE,
  E_NO_TASK,
  E_READ_ONLY,
  E_REFUSED,
  E_RESET,
  E_UNREACHABLE,
  E_TIMEOUT,
  E_TOO_LARGE,
  E_UNSUPPORTED,
  E_WOULD_BLOCK,
  errorText,
} from "../sdk/assembly";

/** A short explanation of an error code, or "" if there is none. */
function meaning(code: i32): string {
  switch (code) {
    case E_NO_TASK: return "no such task";
    case E_EXITED: return "the task exited";
    case E_WOULD_BLOCK: return "would block";
    case E_TOO_LARGE: return "too large";
    case E_BAD_POINTER: return "bad pointer";
    case E_DEADLOCK: return "deadlock";
    case E_TIMEOUT: return "timed out";
    case E_DENIED: return "permission denied";
    case E_NO_MEMORY: return "out of memory";
    case E_INVALID: return "invalid argument";
    case E_NOT_FOUND: return "no such file";
    case E_EXISTS: return "already exists";
    case E_BAD_MODULE: return "invalid WebAssembly module";
    case E_NOT_DIR: return "not a directory";
    case E_IS_DIR: return "is a directory";
    case E_NOT_EMPTY: return "directory not empty";
    case E_READ_ONLY: return "read-only";
    case E_BAD_HANDLE: return "bad file handle";
    case E_NAME_TOO_LONG: return "name too long";
    case E_NO_SPACE: return "no space left";
    case E_NOT_WASM: return "not a WebAssembly module";
    case E_END: return "no more entries";
    case E_INTERRUPTED: return "interrupted";
    case E_UNSUPPORTED: return "not supported";
    case E_IO: return "I/O error";
    case E_REFUSED: return "connection refused";
    case E_UNREACHABLE: return "no answer from the network";
    case E_RESET: return "connection reset";
    default: return "";
  }
}

/** "E_NOT_FOUND (no such file)"; unknown codes as errorText gives them. */
export function describe(code: i32): string {
  const m = meaning(code);
  return m.length > 0 ? errorText(code) + " (" + m + ")" : errorText(code);
}

/** describe() for a failed service lookup, where "not found" is about a name. */
export function describeService(code: i32): string {
  if (code == E_NOT_FOUND) return errorText(code) + " (no such service)";
  return describe(code);
}

/** How a task ended, from its exit reason: "" for 0, "[exit N]", "killed", "trapped"... */
export function exitText(reason: i32): string {
  if (reason == 0) return "";
  if (reason > 0) return "[exit " + reason.toString() + "]";
  switch (reason) {
    case EXIT_KILLED: return "killed";
    case EXIT_FAULT: return "fault (CPU exception)";
    case EXIT_STACK_OVERFLOW: return "stack overflow";
    case EXIT_WASM_TRAP: return "trapped";
    case EXIT_NO_MEMORY: return "out of memory";
    default: return "[exit reason " + reason.toString() + "]";
  }
}
