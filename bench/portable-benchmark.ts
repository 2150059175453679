// The same Wasm binary on two systems: the compute demo app
// (servers/apps/compute, a prime sieve) inside the emulated OS (the real
// kernel on the board, started from the shell) and under `wasmos run` (Node's
// own WebAssembly engine, src/portable/). Prints both wall-clock times of the
// job and their ratio.
//
// OS: the job's time is the wall time of a boot that runs the command minus
// that of a boot that only reaches the prompt (the shell's spawn of compute is
// included: ~1 M instructions, under 1% of the job). Portable: the app's own
// "took X ms" line, which is wall time there (the portable clock is real
// time); the whole `wasmos run` process time is printed as well.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bootOs } from '../src/cli/os-session.ts';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';

const N = 2_000_000;
const JOB = `compute primes ${N}`;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULT = /compute: (\d+) primes below (\d+), the largest (\d+)/;

function osSeconds(script: string[]): { seconds: number; out: string; instret: number } {
  const t0 = performance.now();
  const r = bootOs({ script, maxCycles: 6_000_000_000 });
  return { seconds: (performance.now() - t0) / 1000, out: r.out, instret: r.instret };
}

function portableRun(): { seconds: number; jobMs: number | null; out: string; status: number | null } {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ['bin/wasmos.js', 'run', 'servers/build/apps/compute.wasm', 'primes', String(N)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const m = /compute: primes took (\d+) ms/.exec(p.stdout);
  return { seconds, jobMs: m ? Number(m[1]) : null, out: p.stdout, status: p.status };
}

export const portableBenchmark: Benchmark = {
  name: 'portable',
  description: `the compute app (${JOB}) inside the emulated OS vs under wasmos run (Node's WebAssembly)`,
  run(opts: BenchmarkOptions): BenchmarkResult {
    const errors: string[] = [];
    let bestOs = Infinity;
    let bestPortable = Infinity;
    let bestProcess = Infinity;
    let instret = 0;
    let osOut = '';
    let portableOut = '';
    for (let i = 0; i < opts.runs; i++) {
      const boot = osSeconds([]);
      const job = osSeconds([JOB]);
      const jobSeconds = job.seconds - boot.seconds;
      opts.log(`portable: OS boot ${boot.seconds.toFixed(3)} s, boot + job ${job.seconds.toFixed(3)} s`);
      if (jobSeconds < bestOs) {
        bestOs = jobSeconds;
        instret = job.instret - boot.instret;
      }
      osOut = job.out;
      const p = portableRun();
      opts.log(`portable: wasmos run ${p.seconds.toFixed(3)} s, job ${p.jobMs} ms`);
      if (p.status !== 0 || p.jobMs === null) errors.push(`wasmos run failed (status ${p.status}): ${p.out.trim()}`);
      else bestPortable = Math.min(bestPortable, p.jobMs / 1000);
      bestProcess = Math.min(bestProcess, p.seconds);
      portableOut = p.out;
    }
    // The same binary must compute the same answer on both systems.
    const inOs = RESULT.exec(osOut)?.[0];
    const inNode = RESULT.exec(portableOut)?.[0];
    if (!inOs) errors.push('the OS run printed no result');
    if (inOs !== inNode) errors.push(`different results: OS "${inOs}", portable "${inNode}"`);
    const ratio = bestOs / bestPortable;
    console.error(`portable: ${JOB}: emulated OS ${bestOs.toFixed(3)} s, wasmos run ${bestPortable.toFixed(3)} s ` +
      `(whole process ${bestProcess.toFixed(3)} s): Node's engine is ${ratio.toFixed(1)}x faster`);
    const figures: Figure[] = [
      { name: 'compute_in_os_ms', value: Math.round(bestOs * 1000), unit: 'ms wall' },
      { name: 'compute_portable_ms', value: Math.round(bestPortable * 1000), unit: 'ms wall' },
      { name: 'compute_os_over_portable', value: Math.round(ratio * 10) / 10, unit: 'x' },
      { name: 'wasmos_run_process_ms', value: Math.round(bestProcess * 1000), unit: 'ms wall' },
    ];
    return {
      name: 'portable', instructions: instret,
      board: { seconds: bestOs, mips: instret / bestOs / 1e6 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
