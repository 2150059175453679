import { describe, expect, it } from 'vitest';
import { Clock } from '../../../src/board/clock.ts';
import { Clint } from '../../../src/board/devices/clint.ts';
import { HartLines, MIP_MSIP, MIP_MTIP, MIP_STIP } from '../../../src/board/irq.ts';
import { expectRoundTrip } from './helpers.ts';

const MSIP = 0x0;
const CMP_LO = 0x4000;
const CMP_HI = 0x4004;
const TIME_LO = 0xbff8;
const TIME_HI = 0xbffc;

function setup(opts: ConstructorParameters<typeof Clint>[2] = {}) {
  const clock = new Clock();
  const lines = new HartLines();
  const clint = new Clint(clock, lines, opts);
  const mip = (bit: number): boolean => (lines.bits & bit) !== 0;
  return { clock, lines, clint, mip };
}

describe('CLINT', () => {
  it('powers on like QEMU 7.2: mtimecmp 0, so MTIP is pending', () => {
    const { clint, mip } = setup();
    expect(clint.base).toBe(0x0200_0000);
    expect(clint.size).toBe(0x10000);
    expect(clint.read(CMP_LO, 4)).toBe(0);
    expect(clint.read(CMP_HI, 4)).toBe(0);
    expect(mip(MIP_MTIP)).toBe(true);
    expect(mip(MIP_MSIP)).toBe(false);
  });

  it('drives MSIP from bit 0 of msip', () => {
    const { clint, mip } = setup();
    clint.write(MSIP, 0xffff_ffff, 4);
    expect(clint.read(MSIP, 4)).toBe(1);
    expect(mip(MIP_MSIP)).toBe(true);
    clint.write(MSIP, 2, 4);
    expect(clint.read(MSIP, 4)).toBe(0);
    expect(mip(MIP_MSIP)).toBe(false);
  });

  it('raises MTIP exactly at the cycle mtime reaches mtimecmp and reports that deadline', () => {
    const { clock, clint, mip } = setup();
    clock.cycles = 1000; // mtime 100
    clint.write(CMP_HI, 0, 4);
    clint.write(CMP_LO, 250, 4);
    expect(mip(MIP_MTIP)).toBe(false);
    const deadline = clint.update(clock.cycles);
    expect(deadline).toBe(2500);
    clock.cycles = 2499;
    expect(clint.update(clock.cycles)).toBe(2500);
    expect(mip(MIP_MTIP)).toBe(false);
    clock.cycles = 2500;
    expect(clint.update(clock.cycles)).toBe(Infinity);
    expect(mip(MIP_MTIP)).toBe(true);
    // Moving the compare into the future clears it again, at once.
    clint.write(CMP_LO, 400, 4);
    expect(mip(MIP_MTIP)).toBe(false);
    expect(clint.update(clock.cycles)).toBe(4000);
  });

  it('compares all 64 bits: a high word far in the future never fires', () => {
    const { clock, clint, mip } = setup();
    clint.write(CMP_LO, 0, 4);
    clint.write(CMP_HI, 1, 4);
    expect(clint.read(CMP_HI, 4)).toBe(1);
    expect(mip(MIP_MTIP)).toBe(false);
    expect(clint.update(0)).toBe(0x1_0000_0000 * 10);
    clint.write(CMP_HI, 0xffff_ffff, 4);
    clint.write(CMP_LO, 0xffff_ffff, 4);
    expect(clint.update(0)).toBe(Infinity);
    clock.cycles = 1e15;
    expect(clint.update(clock.cycles)).toBe(Infinity);
    expect(mip(MIP_MTIP)).toBe(false);
  });

  it('reads mtime as cycles / 10 and lets the guest set it through the clock offset', () => {
    const { clock, clint, mip } = setup();
    clock.cycles = 12_345;
    expect(clint.read(TIME_LO, 4)).toBe(1234);
    expect(clint.read(TIME_HI, 4)).toBe(0);
    clint.write(CMP_LO, 5000, 4);
    expect(mip(MIP_MTIP)).toBe(false);
    clint.write(TIME_LO, 6000, 4);
    expect(clock.mtime()).toBe(6000);
    expect(clock.mtimeOffset).toBe(6000 - 1234);
    expect(mip(MIP_MTIP)).toBe(true);
    clint.write(TIME_HI, 2, 4);
    expect(clint.read(TIME_HI, 4)).toBe(2);
    expect(clint.read(TIME_LO, 4)).toBe(6000);
    clock.cycles += 100;
    expect(clint.read(TIME_LO, 4)).toBe(6010);
  });

  it('ignores accesses narrower than 32 bits and unknown offsets', () => {
    const { clint } = setup();
    clint.write(CMP_LO, 77, 2);
    clint.write(MSIP, 1, 1);
    clint.write(0x8000, 5, 4);
    expect(clint.read(CMP_LO, 4)).toBe(0);
    expect(clint.read(MSIP, 4)).toBe(0);
    expect(clint.read(CMP_LO, 2)).toBe(0);
    expect(clint.read(0x8000, 4)).toBe(0);
  });

  it('drives STIP from the SBI comparator only when asked to', () => {
    const plain = setup();
    plain.lines.set(MIP_STIP, true); // someone else owns STIP
    plain.clint.setTimerCompare(0);
    plain.clint.write(MSIP, 0, 4);
    expect(plain.mip(MIP_STIP)).toBe(true);

    const { clock, clint, mip } = setup({ sbiTimer: true });
    clint.write(CMP_HI, 0xffff_ffff, 4);
    expect(mip(MIP_STIP)).toBe(false);
    clint.setTimerCompare(300);
    expect(clint.update(0)).toBe(3000);
    clock.cycles = 3000;
    expect(clint.update(clock.cycles)).toBe(Infinity);
    expect(mip(MIP_STIP)).toBe(true);
    expect(mip(MIP_MTIP)).toBe(false);
    clint.setTimerCompare(Number.MAX_SAFE_INTEGER);
    expect(mip(MIP_STIP)).toBe(false);
  });

  it('maps an SSWI with the ACLINT layout that sets SSIP edge-style and reads 0', () => {
    let raised = 0;
    const { clint } = setup({ aclint: true, raiseSsip: () => raised++ });
    const windows = clint.windows();
    expect(windows.map((w) => [w.base, w.size])).toEqual([[0x0200_0000, 0x10000], [0x02f0_0000, 0x4000]]);
    const sswi = windows[1]!;
    sswi.write(0, 1, 4);
    expect(raised).toBe(1);
    sswi.write(0, 0, 4);
    sswi.write(4, 1, 4);
    expect(raised).toBe(1);
    expect(sswi.read(0, 4)).toBe(0);
    expect(setup().clint.windows()).toHaveLength(1);
    expect(() => setup({ aclint: true })).toThrow(/raiseSsip/);
  });

  it('snapshots round-trip and restore re-drives the lines', () => {
    const a = setup({ sbiTimer: true });
    a.clint.write(MSIP, 1, 4);
    a.clint.write(CMP_LO, 0x1234, 4);
    a.clint.write(CMP_HI, 0x5, 4);
    a.clint.setTimerCompare(777);
    const b = setup({ sbiTimer: true });
    expectRoundTrip(a.clint, b.clint);
    expect(b.clint.read(CMP_LO, 4)).toBe(0x1234);
    expect(b.clint.read(CMP_HI, 4)).toBe(5);
    expect(b.mip(MIP_MSIP)).toBe(true);
    expect(b.mip(MIP_MTIP)).toBe(false);
    expect(b.clint.update(0)).toBe(7770);
  });

  it('resets msip and the comparators', () => {
    const { clint, mip } = setup({ sbiTimer: true });
    clint.write(MSIP, 1, 4);
    clint.write(CMP_LO, 99, 4);
    clint.setTimerCompare(0);
    clint.reset();
    expect(clint.read(MSIP, 4)).toBe(0);
    expect(clint.read(CMP_LO, 4)).toBe(0);
    expect(mip(MIP_MSIP)).toBe(false);
    expect(mip(MIP_MTIP)).toBe(true);
    expect(mip(MIP_STIP)).toBe(false);
  });
});
