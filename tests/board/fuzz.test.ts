// Random instruction streams in every privilege mode, with and without Sv32:
// the board must never throw, must stop for a reason, and must be
// deterministic (the same stream twice gives the same machine state hash).
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';

/** xorshift32: a fixed seed gives the same streams on every run. */
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return s >>> 0;
  };
}

// Minimal encoders for the prologue.
const lui = (rd: number, imm: number): number => ((imm & 0xfffff000) | (rd << 7) | 0x37) >>> 0;
const addi = (rd: number, rs1: number, imm: number): number => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const csrw = (csr: number, rs1: number): number => ((csr << 20) | (rs1 << 15) | (1 << 12) | 0x73) >>> 0;
const MRET = 0x30200073;

/** Loads a 32-bit constant into rd (lui + addi with the carry fixed up). */
function li(rd: number, v: number): number[] {
  const lo = (v << 20) >> 20;
  return [lui(rd, (v - lo) | 0), addi(rd, rd, lo)];
}

const BASE = 0x80000000;
const HANDLER = BASE + 0x1000;
const CODE = BASE + 0x2000;
const PT = BASE + 0x10000;

/** An image whose prologue enters `mode` at random code, with random trap handlers and page tables. */
function image(next: () => number, mode: number, paging: boolean): Uint8Array {
  const words = new Uint32Array(0x20000 / 4);
  for (let i = 0; i < words.length; i++) {
    const r = next();
    // Bias towards real opcodes so execution gets somewhere before faulting.
    const ops = [0x13, 0x33, 0x03, 0x23, 0x63, 0x6f, 0x67, 0x37, 0x17, 0x73, 0x2f, 0x07, 0x27, 0x53, 0x0f];
    words[i] = (r & 3) === 0 ? r : ((r & ~0x7f) | ops[r % ops.length]!) >>> 0;
  }
  if (paging) {
    // A root table whose entries point into RAM with random permission bits.
    for (let i = 0; i < 1024; i++) {
      const ppn = (BASE >>> 12) + (next() % 64) * 1024;
      words[(PT - BASE) / 4 + i] = (((i === 512 ? BASE >>> 12 : ppn) << 10) | (next() & 0xff) | 1) >>> 0;
    }
  }
  const pro = [
    ...li(5, HANDLER), csrw(0x305, 5), csrw(0x105, 5),
    ...li(6, mode << 11), csrw(0x300, 6),
    ...li(7, CODE), csrw(0x341, 7),
    ...li(28, paging ? ((1 << 31) | (PT >>> 12)) : 0), csrw(0x180, 28),
    ...li(29, next() & 0xb3ff), csrw(0x302, 29),
    MRET,
  ];
  words.set(pro, 0);
  return new Uint8Array(words.buffer);
}

describe('random instruction streams', () => {
  const cases: Array<[string, number, boolean]> = [
    ['M-mode', 3, false], ['S-mode', 1, false], ['U-mode', 0, false], ['S-mode with Sv32', 1, true], ['U-mode with Sv32', 0, true],
  ];
  for (const [name, mode, paging] of cases) {
    it(`never throws and is deterministic (${name})`, () => {
      const next = rng(0x5eed + mode * 7 + (paging ? 1 : 0));
      for (let round = 0; round < 40; round++) {
        const img = image(next, mode, paging);
        const hashes: string[] = [];
        for (let rep = 0; rep < 2; rep++) {
          const m = new Machine({ image: img, memMiB: 16 });
          const stop = m.run(20_000);
          expect(['budget', 'idle', 'poweroff', 'reset']).toContain(stop.kind);
          hashes.push(m.stateHash());
        }
        expect(hashes[0]).toBe(hashes[1]);
      }
    });
  }
});
