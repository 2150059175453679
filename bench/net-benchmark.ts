// Network throughput of the whole OS on the user-mode gateway (bench/net-load.ts
// in a child process): 1 MiB downloaded into the guest from a loopback HTTP
// server through fetch, and 1 MiB uploaded by the guest web server to a host
// client through a port forward. Target: >= 1 MB/s each way.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Figure } from './benchmark.ts';
import type { NetLoadResult } from './net-load.ts';

const SCRIPT = fileURLToPath(new URL('./net-load.ts', import.meta.url));
const MB = 1e6;

export const netBenchmark: Benchmark = {
  name: 'net',
  description: 'network: 1 MiB download into the guest (fetch) and 1 MiB upload from the guest web server (port forward), MB/s',
  run(opts: BenchmarkOptions): BenchmarkResult {
    const errors: string[] = [];
    const runs: NetLoadResult[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const child = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), SCRIPT], {
        encoding: 'utf8', timeout: 300_000, maxBuffer: 16 << 20,
      });
      try {
        const r = JSON.parse((child.stdout ?? '').trim().split('\n').at(-1) ?? '') as NetLoadResult;
        if (r.errors.length > 0) errors.push(...r.errors.map((e) => `run ${i + 1}: ${e}`));
        else runs.push(r);
      } catch {
        errors.push(`run ${i + 1} failed (status ${child.status}): ${(child.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || child.error?.message}`);
      }
    }
    // The best run each way, like the other benchmarks: the least disturbed by other work on the machine.
    const rate = (bytes: number, seconds: number): number => bytes / seconds / MB;
    const kinds = {
      down: (r: NetLoadResult) => rate(r.downloadBytes, r.downloadSeconds),
      up: (r: NetLoadResult) => rate(r.uploadBytes, r.uploadSeconds),
      hashed: (r: NetLoadResult) => rate(r.hashed.bytes, r.hashed.seconds),
      cold: (r: NetLoadResult) => rate(r.cold.bytes, r.cold.seconds),
    };
    const bestRate = (of: (r: NetLoadResult) => number): number => Math.round(Math.max(0, ...runs.map(of)) * 100) / 100;
    const best = [...runs].sort((a, b) => a.downloadSeconds - b.downloadSeconds)[0];
    for (const r of runs) {
      opts.log(`net: download ${kinds.down(r).toFixed(2)} MB/s (cold ${kinds.cold(r).toFixed(2)}, hashed ${kinds.hashed(r).toFixed(2)}), ` +
        `upload ${kinds.up(r).toFixed(2)} MB/s`);
    }
    const figures: Figure[] = runs.length === 0 ? [] : [
      { name: 'download 1 MiB into the guest', value: bestRate(kinds.down), unit: 'MB/s', target: { min: 1 } },
      { name: 'upload 1 MiB from the guest', value: bestRate(kinds.up), unit: 'MB/s', target: { min: 1 } },
      { name: '  guest instructions per downloaded MiB', value: Math.round(best!.downloadInstructions / 1e5) / 10, unit: 'M' },
      { name: 'download 1 MiB hashed by the shell (http -s)', value: bestRate(kinds.hashed), unit: 'MB/s' },
      { name: '  guest instructions per hashed MiB', value: Math.round(best!.hashed.instructions / 1e5) / 10, unit: 'M' },
      { name: 'first download after boot (cold)', value: bestRate(kinds.cold), unit: 'MB/s' },
    ];
    const seconds = best ? best.downloadSeconds + best.uploadSeconds : 0;
    return {
      name: 'net', instructions: best?.instret ?? 0,
      board: { seconds, mips: 0 },
      qemu: null, ratio: null, checksumsMatch: null, errors, figures, speedTarget: false,
    };
  },
};
