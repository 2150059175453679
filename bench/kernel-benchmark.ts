// The kernel's own figures, in guest instructions (so host load does not
// matter): reset to the first task, IPC round trip (target <= 1,000), context
// switch. The kernel measures them itself with rdinstret under the `bench`
// bootarg and prints "bench: <name> <N> instructions" lines.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';
import { runOnBoard } from './board-runner.ts';

const KERNEL = fileURLToPath(new URL('../public/kernel.elf', import.meta.url));
const TARGETS: Record<string, Figure['target']> = { ipc_round_trip: { max: 1000 } };

export const kernelBenchmark: Benchmark = {
  name: 'kernel',
  description: 'WasmOS kernel: reset to first task, IPC round trip, context switch (guest instructions)',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const image = new Uint8Array(readFileSync(KERNEL));
    const r = runOnBoard(image, { maxCycles: 2_000_000_000, config: { bootargs: 'bench=boot,ipc,switch' } });
    opts.log(`kernel: board run: ${r.seconds.toFixed(3)} s`);
    const errors: string[] = [];
    if (r.poweroffCode !== 0) errors.push(`kernel powered off with code ${r.poweroffCode}`);
    if (!r.output.includes('bench: done')) errors.push('kernel benchmarks did not finish');
    const figures: Figure[] = [];
    for (const m of r.output.matchAll(/^bench: (\w+) (\d+) instructions/gm)) {
      figures.push({ name: m[1]!, value: Number(m[2]), unit: 'guest instructions', target: TARGETS[m[1]!] });
    }
    if (figures.length < 3) errors.push(`expected 3 kernel figures, got ${figures.length}`);
    return {
      name: 'kernel', instructions: r.instructions,
      board: { seconds: r.seconds, mips: r.instructions / r.seconds / 1e6 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
