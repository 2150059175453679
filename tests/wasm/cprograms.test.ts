// Real compiler output: tests/wasm/c/programs.c compiled by clang-19 to wasm32 at several
// optimization levels (switch tables, function pointers, 64-bit arithmetic, floats, strings,
// recursion, bulk memory), run in V8 and in the runtime on the same inputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { differential, repoRoot, type Call, type DiffCase } from './harness.ts';
import { runOnBoard, runRv32, rv32Available } from './rv32.ts';
import { v } from './values.ts';

const i32 = (x: number) => v('i32', BigInt.asUintN(32, BigInt(x)));
const i64 = (x: bigint) => v('i64', BigInt.asUintN(64, x));
const f64 = (x: number) => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return v('f64', dv.getBigUint64(0));
};

function compile(opt: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-cprog-'));
  const out = join(dir, 'p.wasm');
  const r = spawnSync('clang-19', ['--target=wasm32', opt, '-mbulk-memory', '-nostdlib', '-Wl,--no-entry', '-Wl,--export-memory', '-o', out, join(repoRoot, 'tests/wasm/c/programs.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`clang failed: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

function calls(): Call[] {
  const out: Call[] = [];
  for (const s of [0, 1, 7, 42, -5, 123456789]) {
    out.push({ fn: 'tokens', args: [i32(s)] }, { fn: 'strings', args: [i32(s)] });
    for (const w of [0, 1, 2]) out.push({ fn: 'sort_with', args: [i32(w), i32(s)] });
    out.push({ fn: 'recursion', args: [i32(s & 7), i32(s)] });
  }
  for (const [a, b] of [[0n, 0n], [123456789012345n, -7n], [-(1n << 63n), -1n], [(1n << 62n) + 5n, 1n << 33n], [-99n, 1000000007n]])
    out.push({ fn: 'i64_mix', args: [i64(a), i64(b)] }, { fn: 'u64_divs', args: [i64(a), i64(b)] });
  for (const [x, n] of [[0.5, 3], [1.25, 20], [-3.75, 31], [1e-3, 7], [2.0, 0]] as const) out.push({ fn: 'float_mix', args: [f64(x), i32(n)] });
  for (const k of [0, 64, 65532, 65533, 65534, 65536, 1 << 20, 3, 1]) out.push({ fn: 'faulty', args: [i32(k)] });
  return out;
}

const hasClang = spawnSync('sh', ['-c', 'command -v clang-19']).status === 0;

describe.skipIf(!hasClang)('C programs compiled by clang-19', () => {
  const levels = ['-O0', '-O1', '-O2', '-Os', '-O3'];
  it(`agree with V8 at ${levels.join(' ')} (native build)`, () => {
    const cases: DiffCase[] = levels.map((o) => ({ name: `programs.c ${o}`, bytes: compile(o), calls: calls(), checkMemory: true }));
    const { mismatches, calls: n } = differential(cases);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(n).toBe(levels.length * calls().length);
  }, 900_000);

  it.skipIf(!rv32Available)('agree with V8 on the board (-O2), every function compiled to native code', () => {
    const { mismatches } = differential([{ name: 'programs.c -O2 board', bytes: compile('-O2'), calls: calls(), checkMemory: true }], (lines) => runOnBoard(lines, undefined, '1'));
    expect(mismatches.slice(0, 10)).toEqual([]);
  }, 900_000);

  it.skipIf(!rv32Available)(`agree with V8 at ${levels.join(' ')} on rv32 (QEMU), every function compiled to native code`, () => {
    const cases: DiffCase[] = levels.map((o) => ({ name: `programs.c ${o} rv32`, bytes: compile(o), calls: calls(), checkMemory: true }));
    const { mismatches, calls: n } = differential(cases, (lines) => runRv32(lines, { jit: '1' }));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(n).toBe(levels.length * calls().length);
  }, 900_000);
});
