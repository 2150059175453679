// A direct-mapped software TLB, one per access kind (load, store, fetch).
//
// It caches only successful translations that land in RAM, so the translated
// code's fast path is: one tag compare, one add, one typed-array access. Each
// entry stores `ramOff - (vpn << 12)`, so that `(off[i] + va) | 0` is the byte
// offset of `va` inside RAM. Anything else (MMIO, faults, A/D bits still to be
// set, pages holding translated code for stores) takes the slow path.

export const TLB_BITS = 8;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

export class Tlb {
  /** Virtual page number per slot, or -1. */
  readonly tag = new Int32Array(TLB_SIZE).fill(-1);
  /** RAM byte offset of the page minus (vpn << 12), wrapping in int32. */
  readonly off = new Int32Array(TLB_SIZE);
  /** RAM page number of the slot (to drop entries of a page that became code). */
  readonly page = new Int32Array(TLB_SIZE);

  flush(): void { this.tag.fill(-1); }

  install(va: number, ramOff: number): void {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    this.tag[i] = vpn;
    this.off[i] = (ramOff & ~0xfff) - (vpn << 12);
    this.page[i] = ramOff >>> 12;
  }

  /** Drops every entry that maps RAM page `ramPage`. */
  dropPage(ramPage: number): void {
    for (let i = 0; i < TLB_SIZE; i++) if (this.page[i] === ramPage) this.tag[i] = -1;
  }
}
