// The task itself: its id, arguments and exit, and the tasks it starts.
import {
  wasmos_arg_count,
  wasmos_arg_get,
  wasmos_exit,
  wasmos_kill,
  wasmos_spawn,
  wasmos_task_id,
  wasmos_yield,
} from "./imports";

export function taskId(): i32 {
  return wasmos_task_id();
}

/** Ends the task now with an exit code (negative codes become 1). */
export function exit(code: i32): void {
  wasmos_exit(code);
  unreachable();
}

/** Lets the next task of the same priority run. */
export function yieldNow(): void {
  wasmos_yield();
}

/** Kills a task (one's own children, unless granted more). 0 or an error. */
export function kill(task: i32): i32 {
  return wasmos_kill(task);
}

/** Number of arguments; argument 0 is the task's name. */
export function argCount(): i32 {
  return wasmos_arg_count();
}

/** Argument `index`, or "" if there is none. */
export function arg(index: i32): string {
  let cap: u32 = 128;
  let buf = heap.alloc(<usize>cap);
  let len = wasmos_arg_get(index, buf, cap);
  if (len >= 0 && <u32>len >= cap) {
    // The first try was too small: now the length is known.
    cap = <u32>len + 1;
    buf = heap.realloc(buf, <usize>cap);
    len = wasmos_arg_get(index, buf, cap);
  }
  const s = len < 0 ? "" : String.UTF8.decodeUnsafe(buf, <usize>min(<u32>len, cap - 1));
  heap.free(buf);
  return s;
}

/** All arguments, the task's name first. */
export function args(): string[] {
  const n = argCount();
  const out = new Array<string>(0);
  for (let i = 0; i < n; i++) out.push(arg(i));
  return out;
}

/**
 * Starts a Wasm module as a child task: `args` become its arguments 1.. (0 is
 * `name`), quota bounds its memory in bytes (0 = the kernel's default), uses and
 * provides grant service names (comma-separated, within what this task holds).
 * Returns the task id, or E_BAD_MODULE (with the reason in the kernel log),
 * E_NO_MEMORY, E_DENIED, E_INVALID.
 */
export function spawn(
  module: Uint8Array,
  name: string,
  args: string[] = [],
  quota: u32 = 0,
  uses: string = "",
  provides: string = "",
): i32 {
  let argBytes = 0;
  for (let i = 0; i < args.length; i++) argBytes += String.UTF8.byteLength(args[i]) + 1;
  const block = new Uint8Array(argBytes);
  let at = block.dataStart;
  for (let i = 0; i < args.length; i++) {
    const a = String.UTF8.encode(args[i], true);
    memory.copy(at, changetype<usize>(a), <usize>a.byteLength);
    at += <usize>a.byteLength;
  }
  const cname = String.UTF8.encode(name, true);
  const cuses = String.UTF8.encode(uses, true);
  const cprov = String.UTF8.encode(provides, true);
  return wasmos_spawn(
    module.dataStart,
    <u32>module.length,
    changetype<usize>(cname),
    block.dataStart,
    <u32>argBytes,
    quota,
    uses.length > 0 ? changetype<usize>(cuses) : 0,
    provides.length > 0 ? changetype<usize>(cprov) : 0,
  );
}
