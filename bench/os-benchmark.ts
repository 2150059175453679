// The OS's figures, in guest instructions (host load does not matter): reset
// to the shell's first prompt (target <= 50 M), and an IPC round trip between
// two Wasm tasks (the pingpong app against the pong service; guest time is
// 10 ns per cycle, so ns / 10 = instructions).
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';
import { bootOs } from '../src/cli/os-session.ts';

const ROUNDS = 2000;

export const osBenchmark: Benchmark = {
  name: 'os',
  description: 'WasmOS userland: reset to the shell prompt, Wasm-to-Wasm IPC round trip (guest instructions)',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const t0 = performance.now();
    const r = bootOs({ script: [`pingpong ${ROUNDS}`, 'shutdown'], maxCycles: 3_000_000_000 });
    const seconds = (performance.now() - t0) / 1000;
    opts.log(`os: board run: ${seconds.toFixed(3)} s`);
    const errors: string[] = [];
    const figures: Figure[] = [];
    if (r.firstPromptAt === null) errors.push('the shell never prompted');
    else figures.push({ name: 'reset_to_shell_prompt', value: r.firstPromptAt, unit: 'guest instructions', target: { max: 50_000_000 } });
    const m = /pingpong: rounds=(\d+) ns_per_round=(\d+)/.exec(r.out);
    if (!m) errors.push('pingpong printed no result');
    else figures.push({ name: 'wasm_ipc_round_trip', value: Math.round(Number(m[2]) / 10), unit: 'guest instructions' });
    if (r.code !== 0) errors.push(`the OS did not power off cleanly (code ${r.code})`);
    return {
      name: 'os', instructions: r.instret,
      board: { seconds, mips: r.instret / seconds / 1e6 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
