// Benchmark of the kernel's Wasm interpreter on rv32: the same C benchmarks compiled natively
// and to wasm32 (clang-19) run on the target under QEMU with exact instruction counting; prints
// the ratio of retired guest instructions (Wasm / native), the cost of loading a ~100 KB module
// and the memory held per instance.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hex, repoRoot } from '../harness.ts';
import { runRv32 } from '../rv32.ts';

export const BENCHES: [string, number][] = [
  ['bench_crc32', 2],
  ['bench_sieve', 2],
  ['bench_matmul', 4],
  ['bench_fib', 20],
  ['bench_sort', 1],
  ['bench_mandel', 2],
];

/** The benchmark compiled to wasm32. */
export function benchWasm(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-bench-'));
  const out = join(dir, 'bench.wasm');
  const r = spawnSync('clang-19', ['--target=wasm32', '-O2', '-mbulk-memory', '-nostdlib', '-Wl,--no-entry', '-o', out, join(repoRoot, 'tests/wasm/bench/bench.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wasm32 build failed: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

/** A ~100 KB module: many distinct functions, as a large program would have. */
export function bigModuleText(functions = 1200): string {
  const fns: string[] = [];
  for (let i = 0; i < functions; i++) {
    fns.push(`(func $f${i} (export "f${i}") (param i32 i32) (result i32) (local i32)
      (local.set 2 (i32.mul (local.get 0) (i32.const ${i + 3})))
      (block (loop (br_if 1 (i32.ge_u (local.get 2) (local.get 1)))
        (local.set 2 (i32.add (local.get 2) (i32.load offset=${(i * 4) % 1024} (i32.and (local.get 2) (i32.const 1023)))))
        (br 0)))
      (if (result i32) (i32.eqz (local.get 2)) (then (i32.const ${i})) (else (i32.xor (local.get 2) (i32.const ${i * 7})))))`);
  }
  return `(module (memory 1) ${fns.join('\n')})`;
}

export interface BenchResult {
  name: string;
  native: number;
  wasm: number;
  ratio: number;
  agree: boolean;
}

export interface LoadCost {
  bytes: number;
  load: number;
  instantiate: number;
  moduleHeap: number;
  instanceHeap: number;
}

/** Runs the benchmark script on rv32: under QEMU with exact instruction counting by default. */
export function runBench(
  bigModule?: Uint8Array,
  limits = '',
  run: (lines: string[]) => string[] = (lines) => runRv32(lines, { icount: true }),
): { results: BenchResult[]; load?: LoadCost } {
  const wasm = benchWasm();
  const lines: string[] = [`load ${hex(wasm)}`];
  for (const [name, n] of BENCHES) lines.push(`native ${name} ${n.toString(16)}`, `callc ${name} i32:${n.toString(16)}`);
  lines.push('unload');
  if (bigModule) lines.push(...(limits ? [`limits ${limits}`] : []), `loadc ${hex(bigModule)}`, 'unload');
  const out = run(lines);
  if (out[0] !== 'ok') throw new Error(`bench module refused: ${out[0]}`);
  const results: BenchResult[] = BENCHES.map(([name], i) => {
    const nat = /^ok ([0-9a-f]+) n=(\d+)$/.exec(out[1 + 2 * i]);
    const w = /^ok i32:([0-9a-f]+) n=(\d+)$/.exec(out[2 + 2 * i]);
    if (!nat || !w) throw new Error(`${name}: ${out[1 + 2 * i]} / ${out[2 + 2 * i]}`);
    const native = Number(nat[2]);
    const wasmN = Number(w[2]);
    return { name, native, wasm: wasmN, ratio: wasmN / native, agree: nat[1] === w[1] };
  });
  let load: LoadCost | undefined;
  if (bigModule) {
    const line = out[out.length - 2];
    const m = /^ok load=(\d+) instantiate=(\d+) module=(\d+) instance=(\d+)$/.exec(line);
    if (!m) throw new Error(`big module: ${line}`);
    load = { bytes: bigModule.length, load: Number(m[1]), instantiate: Number(m[2]), moduleHeap: Number(m[3]), instanceHeap: Number(m[4]) };
  }
  return { results, load };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { wat } = await import('../harness.ts');
  const { runOnBoard } = await import('../rv32.ts');
  const big = await wat(bigModuleText());
  const onBoard = process.argv.includes('--board');
  const { results, load } = runBench(big, '', onBoard ? (lines) => runOnBoard(lines) : undefined);
  console.log(`Wasm interpreter on rv32 (guest instructions, ${onBoard ? 'the playground board' : 'QEMU -icount'}):`);
  for (const r of results)
    console.log(`  ${r.name.padEnd(14)} native ${String(r.native).padStart(11)}  wasm ${String(r.wasm).padStart(12)}  ratio ${r.ratio.toFixed(2)}x${r.agree ? '' : '  RESULTS DIFFER'}`);
  const geo = Math.exp(results.reduce((s, r) => s + Math.log(r.ratio), 0) / results.length);
  console.log(`  geometric mean ratio ${geo.toFixed(2)}x (target <= 5x)`);
  if (load) {
    console.log(`Spawning a ${load.bytes} B module: decode+validate+translate ${load.load} instructions (${(load.load / load.bytes).toFixed(0)}/byte), instantiate ${load.instantiate}`);
    console.log(`  memory: module ${load.moduleHeap} B (translated code, ${(load.moduleHeap / load.bytes).toFixed(1)}x the binary), instance ${load.instanceHeap} B (64 KiB linear memory, 64 KiB value stack, frames, tables)`);
  }
}
