// `npm run bench [-- [--runs N] [--no-qemu] [NAME...]]` (= `wasmos bench`, or
// `tsx bench/run.ts`): runs the benchmarks (all, or the named ones), prints a
// table and, last, one JSON line with every result. Exit status 1 when a
// benchmark produced wrong results.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchmarkResult, Figure } from './benchmark.ts';
import { cpuBenchmark } from './cpu-benchmark.ts';
import { kernelBenchmark } from './kernel-benchmark.ts';
import { netBenchmark } from './net-benchmark.ts';
import { osBenchmark } from './os-benchmark.ts';
import { pageBenchmark } from './page-benchmark.ts';
import { shareBenchmark } from './share-benchmark.ts';
import { portableBenchmark } from './portable-benchmark.ts';
import { wasmBenchmark } from './wasm-benchmark.ts';

/** Every benchmark, in the order they run. Add new ones here. */
const BENCHMARKS: Benchmark[] = [cpuBenchmark, kernelBenchmark, wasmBenchmark, osBenchmark, pageBenchmark, portableBenchmark, shareBenchmark, netBenchmark];

/** The board's performance goal, in MIPS. */
const TARGET_MIPS = 300;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function targetText(f: Figure): string {
  const { max, min } = f.target ?? {};
  if (max === undefined && min === undefined) return '-';
  const ok = (max === undefined || f.value <= max) && (min === undefined || f.value >= min);
  const bound = max !== undefined ? `<= ${max.toLocaleString('en-US')}` : `>= ${min!.toLocaleString('en-US')}`;
  return `${bound} ${ok ? 'met' : 'MISSED'}`;
}

const fmt = (v: number | null | undefined, digits: number): string => (v == null ? '-' : v.toFixed(digits));

/** Runs the benchmarks for the command line `args`; returns the exit status. */
export function benchMain(args: string[]): number {
  try {
    return runBenchmarks(args);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 1;
  }
}

function runBenchmarks(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { runs: { type: 'string', default: '3' }, 'no-qemu': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(`usage: npm run bench -- [--runs N] [--no-qemu] [NAME...]\nbenchmarks: ${BENCHMARKS.map((b) => `${b.name} (${b.description})`).join('; ')}`);
    return 0;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive integer, not "${values.runs}"`);
  const unknown = positionals.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; have ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const selected = positionals.length ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS;

  const results: BenchmarkResult[] = [];
  for (const b of selected) results.push(b.run({ runs, qemu: !values['no-qemu'], log: (l) => console.error(l) }));

  console.log(table([
    ['benchmark', 'instructions', 'board s', 'board MIPS', 'qemu s', 'qemu MIPS', 'board/qemu', 'checksums'],
    ...results.map((r) => [
      r.name, r.instructions.toLocaleString('en-US'), fmt(r.board.seconds, 3), fmt(r.board.mips, 1),
      fmt(r.qemu?.seconds, 3), fmt(r.qemu?.mips, 1), fmt(r.ratio, 3),
      r.checksumsMatch === null ? 'board only' : r.checksumsMatch ? 'match' : 'DIFFER',
    ]),
  ]));
  console.log(`best of ${runs} runs each. QEMU MIPS = the board's instruction count / QEMU's wall time ` +
    '(QEMU counts no instructions; its time includes start-up).');
  for (const r of results) {
    if (r.speedTarget !== false) {
      const verdict = r.board.mips >= TARGET_MIPS ? 'meets' : 'below';
      console.log(`${r.name}: board ${r.board.mips.toFixed(1)} MIPS, ${verdict} the ${TARGET_MIPS} MIPS target`);
    }
    for (const e of r.errors) console.log(`${r.name}: ERROR ${e}`);
  }
  const figures = results.flatMap((r) => (r.figures ?? []).map((f) => ({ bench: r.name, ...f })));
  if (figures.length > 0) {
    console.log('');
    console.log(table([
      ['benchmark', 'figure', 'value', 'unit', 'target'],
      ...figures.map((f) => [f.bench, f.name, f.value.toLocaleString('en-US'), f.unit, targetText(f)]),
    ]));
  }
  // Rounded so the line stays readable; the table has the same numbers.
  const round = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v);
  console.log(JSON.stringify({ targetMips: TARGET_MIPS, runs, results }, round));
  return results.some((r) => r.errors.length > 0) ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = benchMain(process.argv.slice(2));
}
