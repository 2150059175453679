import { describe, expect, it } from 'vitest';
import { Plic } from '../../../src/board/devices/plic.ts';
import { HartLines, MIP_MEIP, MIP_SEIP } from '../../../src/board/irq.ts';
import { expectRoundTrip } from './helpers.ts';

const prio = (src: number): number => 4 * src;
const PENDING = 0x1000;
const enable = (ctx: number, word = 0): number => 0x2000 + 0x80 * ctx + 4 * word;
const threshold = (ctx: number): number => 0x20_0000 + 0x1000 * ctx;
const claim = (ctx: number): number => 0x20_0004 + 0x1000 * ctx;
const M = 0;
const S = 1;

function setup() {
  const lines = new HartLines();
  const plic = new Plic(lines);
  const mip = (bit: number): boolean => (lines.bits & bit) !== 0;
  return { lines, plic, mip };
}

describe('PLIC', () => {
  it('sits where QEMU virt has it', () => {
    const { plic } = setup();
    expect([plic.base, plic.size]).toEqual([0x0c00_0000, 0x60_0000]);
  });

  it('keeps 3 priority bits (WARL) for sources and thresholds', () => {
    const { plic } = setup();
    plic.write(prio(10), 0xf, 4);
    expect(plic.read(prio(10), 4)).toBe(7);
    plic.write(prio(95), 9, 4);
    expect(plic.read(prio(95), 4)).toBe(1);
    plic.write(threshold(S), 0xfe, 4);
    expect(plic.read(threshold(S), 4)).toBe(6);
    // 96 sources: id 96 has no priority register.
    plic.write(prio(96), 3, 4);
    expect(plic.read(prio(96), 4)).toBe(0);
  });

  it('shows pending bits following the source level', () => {
    const { plic } = setup();
    plic.setLevel(10, true);
    plic.setLevel(33, true);
    plic.setLevel(95, true);
    expect(plic.read(PENDING, 4)).toBe(1 << 10);
    expect(plic.read(PENDING + 4, 4)).toBe(1 << 1);
    expect(plic.read(PENDING + 8, 4)).toBe((1 << 31) >>> 0);
    plic.setLevel(10, false);
    expect(plic.read(PENDING, 4)).toBe(0);
    plic.write(PENDING, 0xffff_ffff, 4); // read-only
    expect(plic.read(PENDING, 4)).toBe(0);
  });

  it('ignores sources outside 1..95', () => {
    const { plic, mip } = setup();
    plic.write(enable(M, 0), 0xffff_ffff, 4);
    plic.write(enable(M, 2), 0xffff_ffff, 4);
    plic.write(prio(0), 7, 4);
    for (const s of [0, 96, 200, -1, 1.5]) plic.setLevel(s, true);
    expect(plic.read(PENDING, 4)).toBe(0);
    expect(mip(MIP_MEIP)).toBe(false);
    expect(plic.read(claim(M), 4)).toBe(0);
  });

  it('interrupts a context only for enabled sources above its threshold', () => {
    const { plic, mip } = setup();
    plic.setLevel(10, true);
    expect(mip(MIP_MEIP) || mip(MIP_SEIP)).toBe(false); // priority 0 = never
    plic.write(prio(10), 1, 4);
    expect(mip(MIP_MEIP) || mip(MIP_SEIP)).toBe(false); // not enabled
    plic.write(enable(S), 1 << 10, 4);
    expect(plic.read(enable(S), 4)).toBe(1 << 10);
    expect(mip(MIP_SEIP)).toBe(true);
    expect(mip(MIP_MEIP)).toBe(false);
    plic.write(threshold(S), 1, 4);
    expect(mip(MIP_SEIP)).toBe(false); // priority must exceed the threshold
    plic.write(prio(10), 2, 4);
    expect(mip(MIP_SEIP)).toBe(true);
    plic.write(enable(M), 1 << 10, 4);
    expect(mip(MIP_MEIP)).toBe(true);
    plic.setLevel(10, false);
    expect(mip(MIP_MEIP) || mip(MIP_SEIP)).toBe(false);
  });

  it('claims the highest priority first, lowest id on ties, and completes', () => {
    const { plic, mip } = setup();
    for (const s of [3, 5, 7]) {
      plic.write(prio(s), s === 7 ? 2 : 5, 4);
      plic.setLevel(s, true);
    }
    plic.write(enable(M), (1 << 3) | (1 << 5) | (1 << 7), 4);
    expect(plic.read(claim(M), 4)).toBe(3);
    expect(plic.read(claim(M), 4)).toBe(5);
    expect(plic.read(PENDING, 4)).toBe(1 << 7);
    expect(plic.read(claim(M), 4)).toBe(7);
    expect(plic.read(claim(M), 4)).toBe(0);
    expect(mip(MIP_MEIP)).toBe(false);
    // Lines still high: each completion makes its source pending again at once.
    plic.write(claim(M), 5, 4);
    expect(mip(MIP_MEIP)).toBe(true);
    expect(plic.read(claim(M), 4)).toBe(5);
    // A source that dropped its line while claimed stays quiet after completion.
    plic.setLevel(3, false);
    plic.write(claim(M), 3, 4);
    expect(plic.read(PENDING, 4)).toBe(0);
    expect(mip(MIP_MEIP)).toBe(false);
  });

  it('keeps a claimed source from re-pending until completion, even if it pulses', () => {
    const { plic, mip } = setup();
    plic.write(prio(10), 1, 4);
    plic.write(enable(S), 1 << 10, 4);
    plic.setLevel(10, true);
    expect(plic.read(claim(S), 4)).toBe(10);
    plic.setLevel(10, false);
    plic.setLevel(10, true);
    expect(mip(MIP_SEIP)).toBe(false);
    expect(plic.read(claim(S), 4)).toBe(0);
    plic.write(claim(S), 10, 4);
    expect(mip(MIP_SEIP)).toBe(true);
  });

  it('shares claims between contexts: a source claimed by S is not offered to M', () => {
    const { plic, mip } = setup();
    plic.write(prio(1), 1, 4);
    plic.write(enable(M), 2, 4);
    plic.write(enable(S), 2, 4);
    plic.setLevel(1, true);
    expect(mip(MIP_MEIP) && mip(MIP_SEIP)).toBe(true);
    expect(plic.read(claim(S), 4)).toBe(1);
    expect(mip(MIP_MEIP) || mip(MIP_SEIP)).toBe(false);
    expect(plic.read(claim(M), 4)).toBe(0);
  });

  it('reads unknown registers and odd widths as 0 and never throws', () => {
    const { plic } = setup();
    plic.write(prio(1), 3, 4);
    expect(plic.read(prio(1), 2)).toBe(0);
    expect(plic.read(prio(1) + 1, 4)).toBe(0);
    expect(plic.read(enable(2), 4)).toBe(0); // no third context
    expect(plic.read(threshold(2), 4)).toBe(0);
    expect(plic.read(0x5f_fffc, 4)).toBe(0);
    plic.write(claim(2), 1, 4);
    plic.write(enable(M, 3), 1, 4);
    expect(plic.read(enable(M, 3), 4)).toBe(0);
  });

  it('snapshots round-trip, including claims and levels', () => {
    const a = setup();
    a.plic.write(prio(10), 3, 4);
    a.plic.write(prio(11), 2, 4);
    a.plic.write(enable(S), (1 << 10) | (1 << 11), 4);
    a.plic.write(threshold(M), 4, 4);
    a.plic.setLevel(10, true);
    a.plic.setLevel(11, true);
    expect(a.plic.read(claim(S), 4)).toBe(10);
    const b = setup();
    expectRoundTrip(a.plic, b.plic);
    expect(b.mip(MIP_SEIP)).toBe(true);
    expect(b.plic.read(claim(S), 4)).toBe(11);
    b.plic.write(claim(S), 10, 4);
    expect(b.plic.read(claim(S), 4)).toBe(10);
  });

  it('resets registers but keeps device levels pending', () => {
    const { plic, mip } = setup();
    plic.write(prio(4), 1, 4);
    plic.write(enable(M), 1 << 4, 4);
    plic.setLevel(4, true);
    expect(plic.read(claim(M), 4)).toBe(4);
    plic.reset();
    expect(plic.read(prio(4), 4)).toBe(0);
    expect(plic.read(enable(M), 4)).toBe(0);
    expect(plic.read(PENDING, 4)).toBe(1 << 4);
    expect(mip(MIP_MEIP)).toBe(false);
  });
});
