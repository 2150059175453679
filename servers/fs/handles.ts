// Open files by handle. A handle belongs to the task that opened it: any other
// task gets E_BAD_HANDLE for it. A handle number carries a generation count
// in its high bits, so a closed handle stays invalid after its slot is reused.
// A task that exits without closing its files leaves its handles behind (the
// kernel does not tell servers who exited); they are reclaimed when the table
// fills, by asking the kernel which tasks are still alive. Task ids carry a
// generation, so a later task never inherits a dead one's handles.
import { E_BAD_HANDLE, E_NO_SPACE, wasmos_task_info } from "../sdk/assembly";
import { OpenFile } from "./vfs";

/** Open files at a time, over all tasks. */
export const MAX_HANDLES: i32 = 256;
const SLOT_BITS: i32 = 8;

export class Handle {
  constructor(public owner: i32, public file: OpenFile, public flags: u32, public id: i32) {}
}

const slots = new Array<Handle | null>(MAX_HANDLES);
let generation: i32 = 0;
let inUse: i32 = 0;

/** A new handle for the task's file: its number (> 0), or E_NO_SPACE when the table is full. */
export function openHandle(owner: i32, file: OpenFile, flags: u32): i32 {
  let i = freeSlot();
  if (i < 0 && reclaimDead() > 0) i = freeSlot();
  if (i < 0) return E_NO_SPACE;
  generation = (generation + 1) & 0x3fffff;
  if (generation == 0) generation = 1;
  const id = (generation << SLOT_BITS) | i;
  slots[i] = new Handle(owner, file, flags, id);
  inUse++;
  return id;
}

function freeSlot(): i32 {
  for (let i = 0; i < MAX_HANDLES; i++) if (slots[i] === null) return i;
  return -1;
}

/** task_info's record: {i32 id; i32 parent; char name[24]; i32 state; ...} (56 bytes, docs/abi.md). */
const info = memory.data(56, 8);
const STATE_EXITED: i32 = 5;

/** The ids of the tasks that have not exited, asked of the kernel once. */
function liveTasks(): Set<i32> {
  const live = new Set<i32>();
  for (let i = 0; wasmos_task_info(i, info) == 0; i++) {
    if (load<i32>(info + 32) != STATE_EXITED) live.add(load<i32>(info));
  }
  return live;
}

/** Closes the handles of tasks that have exited; returns how many. */
function reclaimDead(): i32 {
  const live = liveTasks();
  let freed = 0;
  for (let i = 0; i < MAX_HANDLES; i++) {
    const h = slots[i];
    if (h === null || live.has(h.owner)) continue;
    slots[i] = null;
    inUse--;
    h.file.close();
    freed++;
  }
  return freed;
}

/** The owner's handle `id`, or null (unknown, closed, or another task's). */
export function getHandle(owner: i32, id: i32): Handle | null {
  if (id <= 0) return null;
  const h = slots[id & ((1 << SLOT_BITS) - 1)];
  if (h === null || h.id != id || h.owner != owner) return null;
  return h;
}

/** Closes the owner's handle: 0 or E_BAD_HANDLE. */
export function closeHandle(owner: i32, id: i32): i32 {
  const h = getHandle(owner, id);
  if (h === null) return E_BAD_HANDLE;
  slots[id & ((1 << SLOT_BITS) - 1)] = null;
  inUse--;
  h.file.close();
  return 0;
}

export function handlesInUse(): i32 {
  return inUse;
}
