// The runtime's rv32 build on the playground's own board (src/board): conformance against V8
// (spec corpus, every numeric opcode, random programs) and the benchmark counted in the board's
// retired instructions, which must match QEMU's count exactly. The conformance run compiles every
// function to native code at its first call (the native tier's threshold is 1).
import { describe, expect, it } from 'vitest';
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from './corpus.ts';
import { randomProgram } from './gen.ts';
import { differential, exportSignatures, wat, type Call, type DiffCase } from './harness.ts';
import { numericCases } from './numeric-cases.ts';
import { runOnBoard, rv32Available } from './rv32.ts';
import { BENCHES, runBench } from './bench/run.ts';
import { v, valuesOf } from './values.ts';

async function corpusCase(name: string, text: string): Promise<DiffCase> {
  const bytes = await wat(text);
  const calls: Call[] = [];
  for (const [fn, ps] of exportSignatures(bytes).params) {
    if (fn === 'forever' || fn === 'deep') continue;
    for (let k = 0; k < 4; k++) calls.push({ fn, args: ps.map((t, i) => v(t, t === 'ref' ? 0n : valuesOf(t)[(k * 5 + i * 3) % valuesOf(t).length] & (t === 'i32' ? 0xffffn : ~0n))) });
  }
  return { name, bytes, calls, checkMemory: true };
}

describe.skipIf(!rv32Available)('runtime on the playground board', () => {
  it('spec corpus, every numeric opcode and 20 random programs agree with V8 on the board', async () => {
    const cases: DiffCase[] = [];
    for (const [n, t] of Object.entries({ CONTROL, MEMORY, TABLES, GLOBALS, HOST })) cases.push(await corpusCase(n, t));
    cases.push(...(await numericCases()));
    for (let seed = 1; seed <= 20; seed++) {
      const p = randomProgram(seed * 3571);
      cases.push({ name: `seed ${seed * 3571}`, bytes: await wat(p.text), calls: p.calls, checkMemory: true });
    }
    const { mismatches, calls } = differential(cases, (lines) => runOnBoard(lines, undefined, '1'));
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThan(25000);
  }, 900_000);

  it('the benchmark on the board: same checksums, and the same guest instruction counts as QEMU', () => {
    const board = runBench(undefined, '', (lines) => runOnBoard(lines)).results;
    const qemu = runBench().results;
    expect(board.length).toBe(BENCHES.length);
    board.forEach((r, i) => {
      expect(r.agree, r.name).toBe(true);
      expect(r.native).toBe(qemu[i].native);
      expect(r.wasm).toBe(qemu[i].wasm);
    });
  }, 900_000);
});
