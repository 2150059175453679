// The Wasm task benchmark (bench/wasm-benchmark.ts, part of `npm run bench`):
// the C benchmark run natively and as a Wasm task on the board must compute
// the same checksums, and the figures stay within bounds that catch
// regressions (the goal for the ratio is <= 5x; see docs/kernel.md).
import { expect, it } from 'vitest';
import { wasmBenchmark } from '../../bench/wasm-benchmark.ts';

it('Wasm task benchmark: same checksums as native, ratio, spawn cost and memory per task bounded', () => {
  const r = wasmBenchmark.run({ runs: 1, qemu: false, log: () => {} });
  expect(r.errors).toEqual([]);
  const fig = (name: string): number => {
    const f = r.figures!.find((x) => x.name === name);
    expect(f, `${name} in ${r.figures!.map((x) => x.name).join(', ')}`).toBeDefined();
    return f!.value;
  };
  for (const b of ['crc32', 'sieve', 'matmul', 'fib', 'sort', 'mandel']) {
    expect(fig(`${b} native`)).toBeGreaterThan(100_000);
    expect(fig(`${b} ratio`), b).toBeLessThan(14);
    expect(fig(`${b} ratio`), b).toBeGreaterThan(1);
  }
  expect(fig('geometric mean ratio')).toBeLessThan(10);
  const big = r.figures!.find((x) => x.name.startsWith('spawn ') && x.name.endsWith('KiB module'))!;
  expect(big.name).toBe('spawn 103 KiB module');
  expect(fig('spawn cost per module byte')).toBeLessThan(250);
  expect(fig('memory per task (minimal module)')).toBeLessThan(160_000);
  expect(fig("memory of the 103 KiB module's task")).toBeGreaterThan(105_000);
}, 120_000);
