import { describe, expect, it } from 'vitest';
import { CYCLES_PER_MS, RunPacer } from '../../../src/host/run-pacer.ts';
import { MipsMeter } from '../../../src/host/mips-meter.ts';
import { SliceSizer } from '../../../src/host/slice-sizer.ts';

describe('RunPacer', () => {
  it('sleeps until the timer deadline at the nominal 100 MHz', () => {
    const p = new RunPacer();
    // Idle at cycle 1M, deadline 100 ms of guest time later.
    expect(p.idleSleepMs(1_000_000, 1_000_000 + 100 * CYCLES_PER_MS, 50)).toBeCloseTo(100);
  });

  it('accounts for guest time that ran ahead of the wall clock', () => {
    const p = new RunPacer();
    p.idleSleepMs(0, 10 * CYCLES_PER_MS, 0);
    // 5 ms of wall later the guest already reached 20 ms (an idle slice skipped ahead): sleep to 30 ms.
    expect(p.idleSleepMs(20 * CYCLES_PER_MS, 30 * CYCLES_PER_MS, 5)).toBeCloseTo(25);
  });

  it('does not make a guest that fell behind catch up', () => {
    const p = new RunPacer();
    p.idleSleepMs(0, CYCLES_PER_MS, 0);
    // The guest ran busy code slower than real time: 1 s of wall for 10 ms of guest time.
    expect(p.idleSleepMs(10 * CYCLES_PER_MS, 60 * CYCLES_PER_MS, 1000)).toBeCloseTo(50);
  });

  it('sleeps forever with no timer armed, and forgets its anchor on reset', () => {
    const p = new RunPacer();
    expect(p.idleSleepMs(0, Infinity, 0)).toBe(Infinity);
    p.idleSleepMs(100 * CYCLES_PER_MS, Infinity, 0); // far ahead
    p.reset();
    expect(p.idleSleepMs(100 * CYCLES_PER_MS, 101 * CYCLES_PER_MS, 0)).toBeCloseTo(1);
  });
});

describe('SliceSizer', () => {
  it('aims at its target time and stays within bounds', () => {
    const s = new SliceSizer(10, 1000, 1_000_000);
    for (let i = 0; i < 30; i++) s.record(50_000, 1); // 50,000 cycles per ms
    expect(s.cycles).toBeGreaterThan(450_000);
    expect(s.cycles).toBeLessThanOrEqual(500_000);
    for (let i = 0; i < 60; i++) s.record(1_000_000_000, 1);
    expect(s.cycles).toBe(1_000_000);
    s.record(0, 0); // nothing learned from an empty slice
    expect(s.cycles).toBe(1_000_000);
  });
});

describe('MipsMeter', () => {
  it('measures instructions per wall second and per busy second over its window', () => {
    const m = new MipsMeter(1000);
    m.record(0, 0, 0);
    for (let t = 100; t <= 2000; t += 100) m.record(t, t * 50_000, 50); // 50 M instr per s of wall, busy half the time
    expect(m.mips(2000)).toBeCloseTo(50, 0);
    expect(m.busyMips()).toBeCloseTo(100, 0);
    // Idle for a while: the wall-clock figure decays.
    expect(m.mips(4000)).toBeLessThan(20);
    m.reset();
    expect(m.mips(5000)).toBe(0);
  });
});
