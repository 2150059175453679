import { wasmos_task_info } from "../sdk/assembly";
// Callers waiting for input. console_read_line and console_read are answered
// later (a deferred reply: the caller stays blocked in its call, the server
// goes on serving others), oldest first; a few may queue up.
export const READ_LINE: i32 = 1;
export const READ_RAW: i32 = 2;

export const READERS_MAX: i32 = 8;

const tasks = new StaticArray<i32>(READERS_MAX);
const kinds = new StaticArray<i32>(READERS_MAX);
const maxLens = new StaticArray<u32>(READERS_MAX);
let count: i32 = 0;

export function readerCount(): i32 {
  return count;
}

/** Queues a reader; false when the queue is full. */
export function addReader(task: i32, kind: i32, maxLen: u32): bool {
  if (count == READERS_MAX) return false;
  unchecked((tasks[count] = task));
  unchecked((kinds[count] = kind));
  unchecked((maxLens[count] = maxLen));
  count++;
  return true;
}

export function headTask(): i32 {
  return unchecked(tasks[0]);
}

export function headKind(): i32 {
  return count > 0 ? unchecked(kinds[0]) : 0;
}

export function headMaxLen(): u32 {
  return unchecked(maxLens[0]);
}

/** Removes the i-th reader. */
export function dropReader(i: i32): void {
  for (let j = i; j + 1 < count; j++) {
    unchecked((tasks[j] = tasks[j + 1]));
    unchecked((kinds[j] = kinds[j + 1]));
    unchecked((maxLens[j] = maxLens[j + 1]));
  }
  count--;
}

export function readerTask(i: i32): i32 {
  return unchecked(tasks[i]);
}

/** task_info's record: {i32 id; i32 parent; char name[24]; i32 state; ...} (56 bytes). */
const INFO_SIZE: i32 = 56;
const INFO_STATE: usize = 32;
/** TASK_STATE_REPLY: blocked in a call, waiting for its reply. */
const STATE_REPLY: i32 = 3;
const info = memory.data(INFO_SIZE, 8);

/**
 * Is `task` still blocked in a call (to us)? A reader killed meanwhile must
 * not swallow the next line: its reply would go nowhere.
 */
export function stillWaiting(task: i32): bool {
  for (let i = 0; ; i++) {
    if (wasmos_task_info(i, info) < 0) return false;
    if (load<i32>(info) == task) return load<i32>(info + INFO_STATE) == STATE_REPLY;
  }
  return false;
}
