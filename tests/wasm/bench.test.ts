// The rv32 benchmark (tests/wasm/bench): the C benchmarks compiled natively and to wasm32 must
// compute the same checksums on the target, with the native tier (the runtime's default) and
// with the interpreter alone, and the costs stay within bounds that catch regressions (the
// current figures are in docs/wasm-runtime.md; the target is <= 5x).
import { describe, expect, it } from 'vitest';
import { wat } from './harness.ts';
import { bigModuleText, runBench } from './bench/run.ts';
import { runRv32, rv32Available } from './rv32.ts';

describe.skipIf(!rv32Available)('rv32 benchmark', () => {
  it('native and Wasm builds agree; guest-instruction ratio and spawn cost stay bounded', async () => {
    const { results, load } = runBench(await wat(bigModuleText()));
    for (const r of results) {
      expect(r.agree, `${r.name} checksums differ`).toBe(true);
      expect(r.ratio, r.name).toBeLessThan(5);
    }
    const geo = Math.exp(results.reduce((s, r) => s + Math.log(r.ratio), 0) / results.length);
    expect(geo).toBeLessThan(3.5);
    expect(load!.bytes).toBeGreaterThan(90_000);
    expect(load!.load / load!.bytes).toBeLessThan(140);
    expect(load!.moduleHeap / load!.bytes).toBeLessThan(4.5);
  }, 900_000);

  it('the interpreter alone (native tier off) agrees too and stays bounded', () => {
    const { results } = runBench(undefined, '', (lines) => runRv32(lines, { icount: true, jit: 'off' }));
    for (const r of results) expect(r.agree, `${r.name} checksums differ`).toBe(true);
    const geo = Math.exp(results.reduce((s, r) => s + Math.log(r.ratio), 0) / results.length);
    expect(geo).toBeLessThan(6.8);
  }, 900_000);
});
