// Randomly generated valid programs (seeded, reproducible) run in V8 and in the kernel's
// runtime: every result, trap and the memory contents after each call must agree.
import { describe, expect, it } from 'vitest';
import { compiler, differential, runDriver, wat, type DiffCase } from './harness.ts';
import { numericCases } from './numeric-cases.ts';
import { randomProgram } from './gen.ts';

const PROGRAMS = 300;

describe.skipIf(!compiler)('random programs (differential against V8)', () => {
  it(`${PROGRAMS} seeded random programs agree with V8`, async () => {
    const cases: DiffCase[] = [];
    for (let seed = 1; seed <= PROGRAMS; seed++) {
      const p = randomProgram(seed * 7919);
      cases.push({ name: `seed ${seed * 7919}`, bytes: await wat(p.text), calls: p.calls, checkMemory: true });
    }
    const { mismatches, calls } = differential(cases);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(calls).toBeGreaterThan(PROGRAMS * 20);
  });
});

describe.skipIf(!compiler)('sanitized trampoline build (gcc, ASan/UBSan)', () => {
  it('every numeric opcode and 100 random programs agree with V8 without musttail dispatch', async () => {
    const cases: DiffCase[] = await numericCases();
    for (let seed = 1; seed <= 100; seed++) {
      const p = randomProgram(seed * 104723);
      cases.push({ name: `seed ${seed * 104723}`, bytes: await wat(p.text), calls: p.calls, checkMemory: true });
    }
    const { mismatches, calls } = differential(cases, (lines) => runDriver(lines, { sanitize: true }));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(calls).toBeGreaterThan(30000);
  }, 900_000);
});
