// When the executor translates a block (cpu/executor.ts): once it has spent its
// interpreter budget while taking a large share of the run (a hot loop, a
// function called back to back), but not when it spends the same budget spread
// thinly over a long run (the OS boot's pattern), unless it keeps doing so for
// long. And the interpreter's warm-up (cpu/interp-warmup.ts) runs every
// instruction kind.
import { afterEach, describe, expect, it } from 'vitest';
import { addi, bne, jal, jalr, li, lui, sw } from '../../src/board/cpu/encode.ts';
import { COLD_BUDGET, type Executor, setColdBudget } from '../../src/board/cpu/executor.ts';
import { scenarios } from '../../src/board/cpu/interp-warmup.ts';
import { decodeBlock, kindOfHeader } from '../../src/board/cpu/interp.ts';
import { KINDS } from '../../src/board/cpu/ops.ts';
import { Machine } from '../../src/board/machine.ts';

const RA = 1, T0 = 5, T1 = 6, T2 = 7, S0 = 8, A0 = 10, T3 = 28;

/**
 * `calls` times: call f (a0 += 1), then count t0 up to `pad` in a loop; then
 * power off. f's block runs `calls` times whatever `pad` is; `pad` sets how
 * much else runs between its calls.
 */
function program(calls: number, pad: number): Uint8Array {
  const w: number[] = [...li(S0, calls)];
  const outer = w.length;
  const callAt = w.push(0) - 1; // jal ra, f (patched below)
  w.push(...li(T1, pad), addi(T0, 0, 0));
  const loop = w.length;
  /** A branch placed after one more instruction, back to word `to`. */
  const back = (to: number): number => (to - (w.length + 1)) * 4;
  w.push(addi(T0, T0, 1), bne(T0, T1, back(loop)));
  w.push(addi(S0, S0, -1), bne(S0, 0, back(outer)));
  w.push(lui(T2, 0x100), ...li(T3, 0x5555), sw(T3, T2, 0), jal(0, 0));
  const f = w.length;
  w.push(addi(A0, A0, 1), jalr(0, RA, 0));
  w[callAt] = jal(RA, (f - callAt) * 4);
  return new Uint8Array(new Int32Array(w).buffer);
}

function run(image: Uint8Array, budget = COLD_BUDGET): { m: Machine; translated: number } {
  const old = setColdBudget(budget);
  let m: Machine;
  try { m = new Machine({ image }); } finally { setColdBudget(old); }
  expect(m.run(100_000_000)).toEqual({ kind: 'poweroff', code: 0 });
  return { m, translated: (m as unknown as { exec: Executor }).exec.translated };
}

afterEach(() => { setColdBudget(COLD_BUDGET); });

describe('tier-up policy', () => {
  it('translates the busy loop but not code that spends its budget thinly over a long run', () => {
    const calls = 30_000; // f's block spends its budget about 1.5 times over
    const { m, translated } = run(program(calls, 100));
    expect(m.hart.x[A0]).toBe(calls);
    // Only the counting loop: f and the blocks around the call each take under a tenth of the run.
    expect(translated).toBe(1);
  });

  it('translates thinly spread code too once it has run for 16 budgets', () => {
    // Budget 1,000: f spends one every 100 calls, over about 20 K instructions (more than 10 budgets);
    // the 11-instruction block after the call (it runs on through the not-taken branches) every 52.
    const short = run(program(600, 100), 1_000);
    expect(short.m.hart.x[A0]).toBe(600);
    expect(short.translated).toBe(1); // the counting loop
    const long = run(program(4_000, 100), 1_000);
    expect(long.m.hart.x[A0]).toBe(4_000);
    expect(long.translated).toBeGreaterThanOrEqual(4); // also f, the call, the code after the return
  });

  it('translates a function called back to back once it has spent its budget', () => {
    const { m, translated } = run(program(30_000, 1));
    expect(m.hart.x[A0]).toBe(30_000);
    expect(translated).toBeGreaterThanOrEqual(3); // f, the call, the code after the return
  });

  it('leaves the guest-visible state the same as either tier alone', () => {
    const image = program(30_000, 100);
    const hashes = [COLD_BUDGET, 0, Infinity].map((b) => {
      const { m } = run(image, b);
      return { hash: m.stateHash(), instret: m.instret };
    });
    expect(hashes[1]).toEqual(hashes[0]);
    expect(hashes[2]).toEqual(hashes[0]);
  });
});

describe('interpreter warm-up', () => {
  it('runs every instruction kind', () => {
    const seen = new Set<string>();
    for (const s of scenarios()) {
      for (const words of s.blocks) {
        const parcels = new Uint16Array(new Int32Array(words).buffer);
        const d = decodeBlock((o) => parcels[o >>> 1] ?? 0, words.length * 4, 64);
        for (let j = 0; j < d.code.length; j += 4) seen.add(kindOfHeader(d.code[j]!).name);
      }
    }
    expect([...seen].sort()).toEqual(KINDS.map((k) => k.name).sort());
  });
});
