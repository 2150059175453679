// File data of /tmp lives in 4 KiB blocks carved from Wasm pages this module
// grows itself, outside the allocator's heap: when memory.grow fails the
// task's quota is reached and a write gets E_NO_SPACE instead of the
// allocator trapping the whole server. Freed blocks are kept for reuse (Wasm
// memory never shrinks). The allocator gets a head start (`reserveHeap`) so
// the server's own bookkeeping still has room once the blocks took the rest.

export const BLOCK: u32 = 4096;
const PAGE: u32 = 65536;

const free: usize[] = [];
let total: u32 = 0;

/** Makes the heap hold `bytes` of free memory now, before blocks take the quota. */
export function reserveHeap(bytes: usize): void {
  heap.free(heap.alloc(bytes));
}

/** A zeroed block, or 0 when the quota is used up. */
export function allocBlock(): usize {
  if (free.length == 0) {
    const page = memory.grow(1);
    if (page < 0) return 0;
    const base = <usize>page * <usize>PAGE;
    for (let off: u32 = 0; off < PAGE; off += BLOCK) free.push(base + <usize>off);
    total += PAGE / BLOCK;
  }
  const b = free.pop();
  memory.fill(b, 0, <usize>BLOCK);
  return b;
}

export function freeBlock(b: usize): void {
  free.push(b);
}

/** Blocks taken from the quota so far, and how many of them are free. */
export function blocksTotal(): u32 {
  return total;
}
export function blocksFree(): u32 {
  return <u32>free.length;
}
