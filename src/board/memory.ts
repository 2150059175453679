// Guest RAM: one ArrayBuffer with typed views of every width. Offsets are bytes
// from RAM_BASE. Aligned accesses use the wide views directly (every supported
// host is little-endian, like RISC-V).

export const RAM_BASE = 0x80000000;
export const PAGE_SIZE = 4096;

export class Ram {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  /** One flag per 4 KiB page: 1 while translated code exists for the page. */
  readonly codePage: Uint8Array;
  /** One flag per 64-byte chunk: 1 when translated code was read from it. */
  readonly codeChunk: Uint8Array;

  constructor(readonly size: number) {
    const buf = new ArrayBuffer(size);
    this.u8 = new Uint8Array(buf);
    this.i8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.i32 = new Int32Array(buf);
    this.codePage = new Uint8Array(size / PAGE_SIZE);
    this.codeChunk = new Uint8Array(size / 64);
  }

  /** True when a write to [off, off+len) would change translated code. */
  hitsCode(off: number, len: number): boolean {
    const c = this.codeChunk;
    return c[off >>> 6] !== 0 || c[(off + len - 1) >>> 6] !== 0;
  }

  /** RAM offset of physical address `pa`, or -1 when [pa, pa+len) is not all RAM. */
  offsetOf(pa: number, len = 1): number {
    const off = (pa - RAM_BASE) >>> 0;
    return off + len <= this.size && pa >= 0 && pa < 0x100000000 ? off : -1;
  }
}
