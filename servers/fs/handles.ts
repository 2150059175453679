// Open files by handle. A handle belongs to the task that opened it: any other
// task gets E_BAD_HANDLE for it. A handle number carries a generation count
// in its high bits, so a closed handle stays invalid after its slot is reused.
import { E_BAD_HANDLE, E_NO_SPACE } from "../sdk/assembly";
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
  for (let i = 0; i < MAX_HANDLES; i++) {
    if (slots[i] !== null) continue;
    generation = (generation + 1) & 0x3fffff;
    if (generation == 0) generation = 1;
    const id = (generation << SLOT_BITS) | i;
    slots[i] = new Handle(owner, file, flags, id);
    inUse++;
    return id;
  }
  return E_NO_SPACE;
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
