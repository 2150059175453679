// Differential conformance inside the kernel: the runtime's own corpus (every
// numeric opcode on edge-case operands, the spec-style control/memory/table/
// global/host modules, seeded random programs; tests/wasm/) runs as Wasm tasks
// on the board under the kernel's conformance driver (bootarg "wasmdriver",
// kernel/test/wasm_driver.c), and every result, trap and memory digest is
// compared with V8 by the runtime tests' own comparator.
import { describe, expect, it } from 'vitest';
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from '../wasm/corpus.ts';
import { randomProgram } from '../wasm/gen.ts';
import { differential, exportSignatures, wat, type Call, type DiffCase } from '../wasm/harness.ts';
import { numericCases } from '../wasm/numeric-cases.ts';
import { v, valuesOf } from '../wasm/values.ts';
import { writeBootArchive, type ArchiveFile } from '../../src/host/boot-archive.ts';
import { bootBoard } from './wasm-boot.ts';

/**
 * Runs a driver script (the protocol of tests/wasm/host-driver.c: load, call,
 * mem) inside the kernel on the board: modules become archive files, answers
 * are the console lines starting with "= ".
 */
export function runInKernel(lines: string[]): string[] {
  const files: ArchiveFile[] = [];
  const script = lines.map((l) => {
    if (!l.startsWith('load ')) return l;
    const name = `m${files.length}.wasm`;
    files.push({ name, data: new Uint8Array(Buffer.from(l.slice(5), 'hex')) });
    return `load ${name}`;
  });
  const archive = writeBootArchive([{ name: 'script', data: new TextEncoder().encode(script.join('\n') + '\n') }, ...files]);
  const { out, code } = bootBoard(archive, { bootargs: 'wasmdriver', maxCycles: 20_000_000_000 });
  if (code !== 0 || !out.includes('wasmdriver: done')) throw new Error(`driver did not finish (code ${code}):\n${out.slice(-3000)}`);
  const answers = out.split('\n').filter((l) => l.startsWith('= ')).map((l) => l.slice(2));
  if (answers.length !== lines.length) throw new Error(`driver answered ${answers.length} of ${lines.length} commands`);
  return answers;
}

/** Calls every export with arguments drawn from the edge-case value sets (stack-depth tests left out: limits differ from V8's by design). */
async function corpusCase(name: string, text: string, vectors = 6): Promise<DiffCase> {
  const bytes = await wat(text);
  const calls: Call[] = [];
  for (const [fn, ps] of exportSignatures(bytes).params) {
    if (fn === 'forever' || fn === 'deep') continue;
    for (let k = 0; k < vectors; k++) {
      calls.push({ fn, args: ps.map((t, i) => {
        const vals = valuesOf(t);
        return v(t, t === 'ref' ? 0n : vals[(k * 7 + i * 5) % vals.length]! & (t === 'i32' ? 0xffffn : ~0n));
      }) });
    }
  }
  return { name, bytes, calls, checkMemory: true };
}

describe('Wasm conformance inside the kernel (differential against V8)', () => {
  it('every numeric opcode agrees with V8', async () => {
    const { mismatches, calls } = differential(await numericCases(), runInKernel);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThan(20000);
  }, 900_000);

  it('the spec corpus and 60 random programs agree with V8 (results, traps, memory)', async () => {
    const cases: DiffCase[] = [];
    for (const [n, t] of Object.entries({ CONTROL, MEMORY, TABLES, GLOBALS, HOST })) cases.push(await corpusCase(n, t));
    for (let seed = 1; seed <= 60; seed++) {
      const p = randomProgram(seed * 4513);
      cases.push({ name: `seed ${seed * 4513}`, bytes: await wat(p.text), calls: p.calls, checkMemory: true });
    }
    const { mismatches, calls } = differential(cases, runInKernel);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThan(1500);
  }, 900_000);

  it('the driver reports refusals and a task that ended itself', async () => {
    const exitMod = await wat('(module (import "wasmos" "exit" (func $exit (param i32))) (func (export "bye") (call $exit (i32.const 3))))');
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const answers = runInKernel([`load ${hex(exitMod)}`, 'call bye', 'call bye', 'load 0061736d', `load ${hex(await wat('(module (import "env" "nope" (func)))'))}`]);
    expect(answers[0]).toBe('ok');
    expect(answers[1]).toMatch(/^trap exit /);
    expect(answers[2]).toBe('error no module');
    expect(answers[3]).toMatch(/^error not a WebAssembly module/);
    expect(answers[4]).toBe('error import env.nope refused: unknown import');
  });
});
