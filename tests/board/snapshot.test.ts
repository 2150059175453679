// Determinism and snapshots: the same inputs at the same cycle counts give the
// same machine, however the host slices the run or whether it was saved and
// restored on the way; broken snapshots are refused with a clear error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { SnapshotError } from '../../src/board/snapshot.ts';

const guest = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../guest/bin/${name}.elf`, import.meta.url)));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../cli/fixtures/bin/${name}.elf`, import.meta.url)));
const text = (chunks: Uint8Array[]): string => chunks.map((c) => new TextDecoder().decode(c)).join('');

/** Runs until power-off (or a bound), in slices of `slice` cycles; returns the output. */
function runOut(m: Machine, slice: number, bound = 300_000_000): string {
  const out: Uint8Array[] = [];
  m.onSerial = (b) => out.push(b.slice());
  const end = m.cycles + bound;
  while (m.cycles < end) {
    const stop = m.run(slice);
    if (stop.kind === 'poweroff') break;
  }
  return text(out);
}

/** Advances guest time to exactly `cycles`. */
function runTo(m: Machine, cycles: number): void {
  while (m.cycles < cycles) {
    const stop = m.run(cycles - m.cycles);
    if (stop.kind === 'poweroff') break;
  }
}

describe('determinism', () => {
  it('gives the same state whatever the slice size (timer interrupts, Sv32)', () => {
    for (const name of ['interrupts', 'sv32']) {
      const a = new Machine({ image: guest(name) });
      const b = new Machine({ image: guest(name) });
      const outA = runOut(a, 1_000_000);
      const outB = runOut(b, 7_777);
      expect(outB).toBe(outA);
      expect(outA).toContain('PASS');
      expect(b.cycles).toBe(a.cycles);
      expect(b.instret).toBe(a.instret);
      expect(b.stateHash()).toBe(a.stateHash());
    }
  });

  it('replays recorded serial input to the identical machine', () => {
    const live = new Machine({ image: fixture('echo') });
    const out: Uint8Array[] = [];
    live.onSerial = (b) => out.push(b.slice());
    live.run(2_000_000);
    live.sendSerial(new TextEncoder().encode('hello'));
    live.run(3_000_000);
    live.sendSerial(new TextEncoder().encode(' world'));
    live.run(1_234_567);
    live.sendSerial(new TextEncoder().encode('q'));
    expect(live.run(50_000_000)).toEqual({ kind: 'poweroff', code: 0 });
    expect(text(out)).toBe('echo ready\nHELLO WORLD\nbye\n');
    expect(live.inputLog.map((r) => r.cycles)).toEqual([2_000_000, 5_000_000, 6_234_567]);

    const replay = new Machine({ image: fixture('echo') });
    const out2: Uint8Array[] = [];
    replay.onSerial = (b) => out2.push(b.slice());
    for (const rec of live.inputLog) {
      runTo(replay, rec.cycles);
      replay.sendSerial(rec.data);
    }
    runTo(replay, live.cycles);
    expect(text(out2)).toBe(text(out));
    expect(replay.stateHash()).toBe(live.stateHash());
  });
});

describe('snapshots', () => {
  it('restore-then-run equals an uninterrupted run', () => {
    const whole = new Machine({ image: guest('interrupts') });
    const wholeOut = runOut(whole, 1_000_000);

    const first = new Machine({ image: guest('interrupts') });
    const outA: Uint8Array[] = [];
    first.onSerial = (b) => outA.push(b.slice());
    first.run(Math.floor(whole.cycles / 3));
    const restored = Machine.fromSnapshot(first.snapshot());
    expect(restored.stateHash()).toBe(first.stateHash());
    const rest = runOut(restored, 1_000_000);
    expect(text(outA) + rest).toBe(wholeOut);
    expect(restored.cycles).toBe(whole.cycles);
    expect(restored.stateHash()).toBe(whole.stateHash());
  });

  it('keeps a fresh 128 MiB machine small by leaving out zero pages', () => {
    const m = new Machine({ image: guest('rv32i'), memMiB: 128 });
    const blob = m.snapshot();
    expect(blob.length).toBeLessThan(256 * 1024);
    expect(Machine.fromSnapshot(blob).stateHash()).toBe(m.stateHash());
  });

  it('refuses corrupt, truncated, foreign and other-version blobs with a clear error', () => {
    const blob = new Machine({ image: guest('rv32i') }).snapshot();
    const flipped = blob.slice();
    flipped[Math.floor(blob.length / 2)]! ^= 0x40;
    expect(() => Machine.fromSnapshot(flipped)).toThrow(/corrupt/);
    expect(() => Machine.fromSnapshot(blob.subarray(0, blob.length - 100))).toThrow(/corrupt/);
    expect(() => Machine.fromSnapshot(new TextEncoder().encode('hello, not a snapshot'))).toThrow(/not a WasmOS board snapshot/);
    expect(() => Machine.fromSnapshot(new Uint8Array(3))).toThrow(SnapshotError);
    const other = blob.slice();
    other[7] = 99;
    expect(() => Machine.fromSnapshot(other)).toThrow(/version 99 is not supported/);
  });
});
