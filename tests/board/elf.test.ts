import { describe, expect, it } from 'vitest';
import { ImageError, parseImage } from '../../src/board/elf.ts';

interface Ph { type?: number; offset?: number; paddr: number; vaddr?: number; data: number[]; memsz?: number }

/** Builds an ELF32 image: header, program headers, then each segment's bytes. */
function elf(opts: {
  entry?: number; phs: Ph[]; cls?: number; data?: number; machine?: number; type?: number;
  phentsize?: number;
}): Uint8Array {
  const phentsize = opts.phentsize ?? 32;
  const phoff = 52;
  let pos = phoff + opts.phs.length * phentsize;
  const offsets = opts.phs.map((p) => { const o = p.offset ?? pos; pos += p.data.length; return o; });
  const out = new Uint8Array(pos);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, opts.cls ?? 1, opts.data ?? 1, 1]);
  v.setUint16(16, opts.type ?? 2, true);
  v.setUint16(18, opts.machine ?? 243, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, opts.entry ?? 0x80000000, true);
  v.setUint32(28, phoff, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, phentsize, true);
  v.setUint16(44, opts.phs.length, true);
  opts.phs.forEach((p, i) => {
    const h = phoff + i * phentsize;
    v.setUint32(h, p.type ?? 1, true);
    v.setUint32(h + 4, offsets[i]!, true);
    v.setUint32(h + 8, p.vaddr ?? p.paddr, true);
    v.setUint32(h + 12, p.paddr, true);
    v.setUint32(h + 16, p.data.length, true);
    v.setUint32(h + 20, p.memsz ?? p.data.length, true);
    if (p.offset === undefined) out.set(p.data, offsets[i]!);
  });
  return out;
}

function imageError(f: () => unknown): ImageError {
  try { f(); } catch (e) { if (e instanceof ImageError) return e; throw e; }
  throw new Error('expected an ImageError');
}

describe('parseImage: ELF', () => {
  it('loads PT_LOAD segments at p_paddr with entry e_entry', () => {
    const img = elf({
      entry: 0x80000010,
      phs: [
        { paddr: 0x80000000, vaddr: 0xc0000000, data: [1, 2, 3, 4] },
        { paddr: 0x80001000, data: [5, 6], memsz: 0x100 },
      ],
    });
    const r = parseImage(img, 0x80000000);
    expect(r.entry).toBe(0x80000010);
    expect(r.segments).toHaveLength(2);
    expect(r.segments[0]!.paddr).toBe(0x80000000);
    expect([...r.segments[0]!.data]).toEqual([1, 2, 3, 4]);
    expect(r.segments[0]!.memsz).toBe(4);
    expect(r.segments[1]!.paddr).toBe(0x80001000);
    expect([...r.segments[1]!.data]).toEqual([5, 6]);
    expect(r.segments[1]!.memsz).toBe(0x100);
  });

  it('skips non-LOAD and empty segments', () => {
    const img = elf({
      phs: [
        { type: 0x70000003, paddr: 0, data: [9, 9] }, // PT_RISCV_ATTRIBUTES
        { paddr: 0x80002000, data: [], memsz: 0 },
        { paddr: 0x80000000, data: [7] },
      ],
    });
    const r = parseImage(img, 0);
    expect(r.segments.map((s) => s.paddr)).toEqual([0x80000000]);
  });

  it('accepts a bss-only segment and addresses above 2^31 as unsigned', () => {
    const r = parseImage(elf({ entry: 0xfffff000, phs: [{ paddr: 0xfffff000, data: [], memsz: 0x1000 }] }), 0);
    expect(r.entry).toBe(0xfffff000);
    expect(r.segments[0]).toMatchObject({ paddr: 0xfffff000, memsz: 0x1000 });
    expect(r.segments[0]!.data.length).toBe(0);
  });

  it('accepts ET_DYN and larger program header entries', () => {
    const r = parseImage(elf({ type: 3, phentsize: 40, phs: [{ paddr: 0x80000000, data: [1] }] }), 0);
    expect(r.segments).toHaveLength(1);
  });

  it('rejects ELF64, big-endian, bad class, other machines and non-executables', () => {
    const ph = [{ paddr: 0x80000000, data: [1] }];
    expect(imageError(() => parseImage(elf({ cls: 2, phs: ph }), 0)).message).toMatch(/ELF64.*ELF32/);
    expect(imageError(() => parseImage(elf({ data: 2, phs: ph }), 0)).message).toMatch(/big-endian/);
    expect(imageError(() => parseImage(elf({ cls: 7, phs: ph }), 0)).message).toMatch(/invalid class/);
    expect(imageError(() => parseImage(elf({ machine: 62, phs: ph }), 0)).message).toMatch(/machine 62, not RISC-V/);
    expect(imageError(() => parseImage(elf({ type: 1, phs: ph }), 0)).message).toMatch(/not an executable/);
  });

  it('rejects truncated and inconsistent images', () => {
    const good = elf({ phs: [{ paddr: 0x80000000, data: [1, 2, 3, 4] }] });
    expect(imageError(() => parseImage(good.subarray(0, 40), 0)).message).toMatch(/truncated/);
    expect(imageError(() => parseImage(good.subarray(0, 60), 0)).message).toMatch(/program headers run past/);
    expect(imageError(() => parseImage(good.subarray(0, good.length - 1), 0)).message).toMatch(/segment 0: data runs past/);
    expect(imageError(() => parseImage(elf({ phs: [] }), 0)).message).toMatch(/no program headers/);
    const small = good.slice();
    new DataView(small.buffer).setUint16(42, 16, true);
    expect(imageError(() => parseImage(small, 0)).message).toMatch(/header size 16/);
    expect(imageError(() => parseImage(elf({ phs: [{ paddr: 0x80000000, data: [1, 2], memsz: 1 }] }), 0)).message)
      .toMatch(/file size 2 exceeds memory size 1/);
    expect(imageError(() => parseImage(elf({ phs: [{ paddr: 0xfffffff0, data: [], memsz: 0x20 }] }), 0)).message)
      .toMatch(/wraps/);
    expect(imageError(() => parseImage(elf({ phs: [{ type: 4, paddr: 0, data: [1] }] }), 0)).message)
      .toMatch(/no loadable/);
    expect(imageError(() => parseImage(elf({ phs: [{ paddr: 0, data: [1], offset: 0xffffff00 }] }), 0)).message)
      .toMatch(/runs past/);
  });

  it('reports an ImageError, never another exception, for every truncation of a valid image', () => {
    const good = elf({ phs: [{ paddr: 0x80000000, data: [1, 2, 3, 4] }, { paddr: 0x80001000, data: [5], memsz: 8 }] });
    for (let n = 4; n < good.length; n++) expect(imageError(() => parseImage(good.subarray(0, n), 0))).toBeInstanceOf(ImageError);
  });
});

describe('parseImage: raw', () => {
  it('loads anything that is not ELF at the raw address', () => {
    const raw = new Uint8Array([0x13, 0, 0, 0, 0x73, 0, 0x50, 0x10]);
    const r = parseImage(raw, 0x80000000);
    expect(r.entry).toBe(0x80000000);
    expect(r.segments).toEqual([{ paddr: 0x80000000, data: raw, memsz: 8 }]);
  });

  it('treats a partial ELF magic as raw', () => {
    const r = parseImage(new Uint8Array([0x7f, 0x45, 0x4c]), 0x80200000);
    expect(r.segments[0]!.paddr).toBe(0x80200000);
  });

  it('rejects an empty image', () => {
    expect(imageError(() => parseImage(new Uint8Array(0), 0x80000000)).message).toMatch(/empty/);
  });
});
