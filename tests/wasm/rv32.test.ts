// The runtime built for the kernel's target (rv32imafdc, freestanding) and run bare-metal under
// QEMU's virt machine with the board's ISA: every numeric opcode, the spec corpus and random
// programs must agree with V8, exactly as the native build does. This checks what only the
// target exercises: 32-bit code paths (software 64-bit division and conversions), RISC-V float
// hardware (canonical NaNs, fsqrt, fcvt) and misaligned word accesses. Every function runs as
// native code (the native tier's threshold is 1: compiled at its first call), so these are also
// the native tier's conformance tests; the interpreter alone is tested by the native build.
import { describe, expect, it } from 'vitest';
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from './corpus.ts';
import { randomProgram } from './gen.ts';
import { differential, exportSignatures, wat, type Call, type DiffCase } from './harness.ts';
import { numericCases } from './numeric-cases.ts';
import { hex } from './harness.ts';
import { runRv32, rv32Available } from './rv32.ts';

/** Every function compiled to native code at its first call. */
const runJit = (lines: string[]) => runRv32(lines, { jit: '1' });

/**
 * runJit, and the same script on the interpreter alone: both answers must be identical line for
 * line (results, NaN bits, trap kinds and messages with their code offsets, memory hashes).
 */
function runBoth(diffs: string[]): (lines: string[]) => string[] {
  return (lines) => {
    const jit = runJit(lines);
    const interp = runRv32(lines, { jit: 'off' });
    for (let i = 0; i < jit.length && diffs.length < 20; i++)
      if (jit[i] !== interp[i]) diffs.push(`${lines[i].slice(0, 80)}: native ${jit[i]} interpreter ${interp[i]}`);
    return jit;
  };
}
import { v, valuesOf } from './values.ts';

/** Calls every exported function with arguments drawn from the edge-case value sets. */
async function corpusCase(name: string, text: string, vectors = 6): Promise<DiffCase> {
  const bytes = await wat(text);
  const { params } = exportSignatures(bytes);
  const calls: Call[] = [];
  for (const [fn, ps] of params) {
    if (fn === 'forever' || fn === 'deep') continue; // stack limits differ from V8's by design
    for (let k = 0; k < vectors; k++) {
      calls.push({ fn, args: ps.map((t, i) => v(t, t === 'ref' ? 0n : valuesOf(t)[(k * 5 + i * 3) % valuesOf(t).length] & (t === 'i32' ? 0xffffn : ~0n))) });
    }
  }
  return { name, bytes, calls, checkMemory: true };
}

describe.skipIf(!rv32Available)('rv32 build under QEMU (differential against V8)', () => {
  it('every numeric opcode agrees with V8 on rv32, and native code with the interpreter', async () => {
    const diffs: string[] = [];
    const { mismatches, calls } = differential(await numericCases(), runBoth(diffs));
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(diffs).toEqual([]);
    expect(calls).toBeGreaterThan(20000);
  }, 900_000);

  it('the spec corpus and 60 random programs agree with V8 on rv32, and native code with the interpreter (traps at the same sites)', async () => {
    const cases: DiffCase[] = [];
    for (const [n, t] of Object.entries({ CONTROL, MEMORY, TABLES, GLOBALS, HOST })) cases.push(await corpusCase(n, t));
    for (let seed = 1; seed <= 60; seed++) {
      const p = randomProgram(seed * 6007);
      cases.push({ name: `seed ${seed * 6007}`, bytes: await wat(p.text), calls: p.calls, checkMemory: true });
    }
    const diffs: string[] = [];
    const { mismatches, calls } = differential(cases, runBoth(diffs));
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(diffs).toEqual([]);
    expect(calls).toBeGreaterThan(1500);
  }, 900_000);

  it('1000 spawn/run/exit cycles on rv32 leak nothing, and a trapping start function is refused', async () => {
    const good = hex(await wat(CONTROL));
    const bad = hex(await wat('(module (func $s (i32.div_s (i32.const 1) (i32.const 0)) (drop)) (start $s))'));
    const lines = [`load ${bad}`, 'unload'];
    for (let i = 0; i < 1000; i++) lines.push(`load ${good}`, `call fib i32:${(i % 12).toString(16)}`, 'unload');
    const out = runJit(lines);
    expect(out[0]).toMatch(/^error start function trapped: integer divide by zero in module 'test', function 's'/);
    expect(out[1]).toBe('used 0');
    const fib = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89];
    for (let i = 0; i < 1000; i++) expect(out.slice(2 + 3 * i, 5 + 3 * i)).toEqual(['ok', `ok i32:${fib[i % 12].toString(16)}`, 'used 0']);
  }, 900_000);
});
