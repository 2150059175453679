// Wasm tasks in the kernel, in guest instructions (so host load does not
// matter), all on the board:
//  - the same C benchmark (tests/wasm/bench/bench.c) built natively for rv32
//    (bench/wasm/bench-native.elf, bare metal) and to wasm32 (bench/wasm/bench.wasm,
//    run by the kernel as a Wasm task timing itself with wasmos.instret):
//    instructions of each and the ratio, target <= 5x;
//  - spawning a ~100 KB module (bench/wasm/big.wasm): decode, validate,
//    translate, link and instantiate, as the boot task measures it;
//  - memory per task: what a task holds right after spawn (kernel stack,
//    module, instance with its value stack and frames, linear memory).
// bash bench/wasm/build.sh rebuilds the committed binaries.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';
import { runOnBoard } from './board-runner.ts';
import { bootArchive } from '../src/host/boot-archive.ts';

const file = (p: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(p, import.meta.url))));

/** The smallest module a task can run: an empty `_start`, no memory. */
const MINIMAL = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, // export "_start"
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: empty body
]);

const RATIO_TARGET = 5;

interface BenchLine { sum: string; instructions: number }

function benchLines(out: string): Map<string, BenchLine> {
  const m = new Map<string, BenchLine>();
  for (const hit of out.matchAll(/^bench (\w+) ([0-9a-f]{8}) (\d+)\r?$/gm)) m.set(hit[1]!, { sum: hit[2]!, instructions: Number(hit[3]) });
  return m;
}

/** "boot: started "name" (file, N bytes) as task N: spawn N instructions, N bytes" */
function spawnLine(out: string, name: string): { bytes: number; instructions: number; memory: number } | null {
  const m = new RegExp(`^boot: started "${name}" \\([^,]+, (\\d+) bytes\\) as task \\d+: spawn (\\d+) instructions, (\\d+) bytes`, 'm').exec(out);
  return m ? { bytes: Number(m[1]), instructions: Number(m[2]), memory: Number(m[3]) } : null;
}

export const wasmBenchmark: Benchmark = {
  name: 'wasm',
  description: 'Wasm tasks: C benchmark as a Wasm task vs native rv32 (target <= 5x), spawn of a 100 KB module, memory per task',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const errors: string[] = [];
    const native = runOnBoard(file('./wasm/bench-native.elf'), { maxCycles: 2_000_000_000 });
    opts.log(`wasm: native run ${native.seconds.toFixed(3)} s`);
    if (native.poweroffCode !== 0) errors.push(`native benchmark powered off with code ${native.poweroffCode}`);

    const archive = bootArchive(
      { 'bench.wasm': file('./wasm/bench.wasm'), 'big.wasm': file('./wasm/big.wasm'), 'minimal.wasm': MINIMAL },
      [{ module: 'minimal.wasm', name: 'minimal' }, { module: 'big.wasm', name: 'big' }, { module: 'bench.wasm', name: 'bench' }],
    );
    // WASMOS_KERNEL: measure a kernel build other than the installed image (as the tests do).
    const image = process.env.WASMOS_KERNEL ? new Uint8Array(readFileSync(process.env.WASMOS_KERNEL)) : file('../public/kernel.elf');
    const kernel = runOnBoard(image, { maxCycles: 20_000_000_000, config: { initrd: archive } });
    opts.log(`wasm: kernel run ${kernel.seconds.toFixed(3)} s`);
    if (kernel.poweroffCode !== 0) errors.push(`kernel powered off with code ${kernel.poweroffCode}`);
    if (!kernel.output.includes('bench: done')) errors.push('the Wasm benchmark task did not finish');

    const figures: Figure[] = [];
    const nat = benchLines(native.output);
    const wasm = benchLines(kernel.output);
    const ratios: number[] = [];
    for (const [name, n] of nat) {
      const w = wasm.get(name);
      if (!w) {
        errors.push(`${name}: no result from the Wasm task`);
        continue;
      }
      if (w.sum !== n.sum) errors.push(`${name}: checksum ${w.sum} (Wasm) differs from ${n.sum} (native)`);
      const ratio = w.instructions / n.instructions;
      ratios.push(ratio);
      figures.push({ name: `${name} native`, value: n.instructions, unit: 'guest instructions' });
      figures.push({ name: `${name} wasm`, value: w.instructions, unit: 'guest instructions' });
      figures.push({ name: `${name} ratio`, value: Number(ratio.toFixed(2)), unit: 'x', target: { max: RATIO_TARGET } });
    }
    if (nat.size < 6) errors.push(`expected 6 native results, got ${nat.size}`);
    if (ratios.length > 0) {
      const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
      figures.push({ name: 'geometric mean ratio', value: Number(geo.toFixed(2)), unit: 'x (Wasm / native)', target: { max: RATIO_TARGET } });
    }
    const big = spawnLine(kernel.output, 'big');
    const minimal = spawnLine(kernel.output, 'minimal');
    const bench = spawnLine(kernel.output, 'bench');
    if (!big || !minimal || !bench) errors.push('missing spawn lines in the kernel log');
    if (big) {
      figures.push({ name: `spawn ${(big.bytes / 1024).toFixed(0)} KiB module`, value: big.instructions, unit: 'guest instructions' });
      figures.push({ name: 'spawn cost per module byte', value: Number((big.instructions / big.bytes).toFixed(1)), unit: 'instructions/byte' });
      figures.push({ name: `memory of the ${(big.bytes / 1024).toFixed(0)} KiB module's task`, value: big.memory, unit: 'bytes' });
    }
    if (minimal) figures.push({ name: 'memory per task (minimal module)', value: minimal.memory, unit: 'bytes' });
    if (bench) figures.push({ name: 'memory per task (benchmark, 5 pages)', value: bench.memory, unit: 'bytes' });

    return {
      name: 'wasm', instructions: kernel.instructions,
      board: { seconds: kernel.seconds, mips: kernel.instructions / kernel.seconds / 1e6 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
