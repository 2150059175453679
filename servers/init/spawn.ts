// Starting an init.rc entry: its module from the boot archive, then
// wasmos.spawn_ex with its grants (the 108-byte spec of docs/userland.md).
import { E_NO_MEMORY, E_NOT_FOUND, wasmos_bootfs_entry, wasmos_bootfs_read, wasmos_spawn_ex } from "../sdk/assembly";
import { Grant } from "./devices";
import { Entry } from "./entry";

const SPEC_SIZE = 108;
const MODULE_MAX: u32 = 4 << 20; // init must never run out of memory itself (that traps)

const spec = memory.data(SPEC_SIZE, 8);
const nameBuf = memory.data(64, 4);

/** Size of boot archive file `file`, or E_NOT_FOUND. */
export function bootFileSize(file: string): i32 {
  let i = 0;
  let size = wasmos_bootfs_entry(i, nameBuf, 64);
  while (size >= 0) {
    if (String.UTF8.decodeUnsafe(nameBuf, <usize>strlen(nameBuf)) == file) return size;
    size = wasmos_bootfs_entry(++i, nameBuf, 64);
  }
  return E_NOT_FOUND;
}

function strlen(p: usize): i32 {
  let n = 0;
  while (n < 64 && load<u8>(p + <usize>n) != 0) n++;
  return n;
}

/** Size of the block the last loadBootFile returned, or its error when it returned 0. */
export let loadedSize: u32 = 0;
export let loadError: i32 = 0;

/** Reads a boot archive file into a new heap block (the caller frees it with heap.free); 0 on error. */
export function loadBootFile(file: string): usize {
  const size = bootFileSize(file);
  if (size < 0) {
    loadError = size;
    return 0;
  }
  if (<u32>size > MODULE_MAX) {
    loadError = E_NO_MEMORY;
    return 0;
  }
  const buf = heap.alloc(max<usize>(<usize>size, 1));
  const cname = String.UTF8.encode(file, true);
  let off: u32 = 0;
  while (off < <u32>size) {
    const n = wasmos_bootfs_read(changetype<usize>(cname), off, buf + <usize>off, <u32>size - off);
    if (n <= 0) {
      heap.free(buf);
      loadError = n < 0 ? n : E_NOT_FOUND;
      return 0;
    }
    off += <u32>n;
  }
  loadedSize = <u32>size;
  return buf;
}

/** Arguments as the kernel takes them: each NUL-terminated, back to back. */
export function argBlock(args: string[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < args.length; i++) total += String.UTF8.byteLength(args[i]) + 1;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < args.length; i++) {
    const n = String.UTF8.byteLength(args[i]);
    String.UTF8.encodeUnsafe(changetype<usize>(args[i]), args[i].length, out.dataStart + <usize>at, false);
    at += n + 1; // the NUL is already there (a new array is zeroed)
  }
  return out;
}

/** spawn_ex of an entry's module (at `module`, `len` bytes) with its grants: the task id or an error. */
export function spawnEntry(e: Entry, module: usize, len: u32, grants: Grant[]): i32 {
  const name = String.UTF8.encode(e.name, true);
  const uses = String.UTF8.encode(e.uses, true);
  const provides = String.UTF8.encode(e.provides, true);
  const args = argBlock(e.args);
  memory.fill(spec, 0, SPEC_SIZE);
  store<u32>(spec, <u32>module, 0);
  store<u32>(spec, len, 4);
  store<u32>(spec, <u32>changetype<usize>(name), 8);
  store<u32>(spec, <u32>args.dataStart, 12);
  store<u32>(spec, <u32>args.length, 16);
  store<u32>(spec, e.quota, 20);
  store<u32>(spec, e.uses.length > 0 ? <u32>changetype<usize>(uses) : 0, 24);
  store<u32>(spec, e.provides.length > 0 ? <u32>changetype<usize>(provides) : 0, 28);
  store<i32>(spec, e.priority, 32);
  store<u32>(spec, <u32>e.flags, 36);
  const n = min(grants.length, 4);
  store<u32>(spec, <u32>n, 40);
  for (let i = 0; i < n; i++) {
    const at = spec + 44 + <usize>i * 16;
    const g = grants[i];
    store<u32>(at, g.base, 0);
    store<u32>(at, g.size, 4);
    store<i32>(at, g.irq, 8);
    store<u32>(at, g.dma, 12);
  }
  return wasmos_spawn_ex(spec);
}
