// The mutation fuzzer against the native tier: mutated modules (fuzz.test.ts's mutations) run on
// the rv32 build under QEMU with every function compiled to native code at its first call, and
// again on the interpreter alone. Both must answer every module (no crash of the bare-metal
// driver), leak nothing, and agree exactly: the same validity, the same digest of every call's
// status, results and trap message (code offsets included) and of the memory afterwards.
// Only modules whose calls end are sent (bare metal has no sandbox or timeout): the native
// driver's sandboxed fuzz command (a 2 s alarm) picks them.
import { describe, expect, it } from 'vitest';
import { compiler, hex, runDriver } from './harness.ts';
import { mutantsOf } from './mutate.ts';
import { runRv32, rv32Available } from './rv32.ts';

const CASES = Number(process.env.WASM_NATIVE_FUZZ_CASES ?? 4000);
const SEED = Number(process.env.WASM_FUZZ_SEED ?? 20261127);

describe.skipIf(!compiler || !rv32Available)('mutation fuzzing of the native tier (rv32)', () => {
  it(`${CASES} mutated modules: native code and the interpreter agree, nothing crashes or leaks`, async () => {
    const mutants = await mutantsOf(CASES, SEED, 7919);

    const limits = 'limits 65536 200 64';
    const host = runDriver([limits, ...mutants.map((m) => `fuzz ${hex(m)}`)], { timeoutMs: 900_000 }).slice(1);
    const ending = mutants.filter((_, i) => /^(ran|invalid|unlinkable) /.test(host[i]));
    const lines = [limits, ...ending.map((m) => `fuzz ${hex(m)}`)];
    const native = runRv32(lines, { jit: '1', timeoutMs: 600_000 }).slice(1);
    const interp = runRv32(lines, { jit: 'off', timeoutMs: 600_000 }).slice(1);

    const problems: string[] = [];
    native.forEach((line, i) => {
      if (!/^(ran|invalid|unlinkable) /.test(line)) problems.push(`case ${i}: ${line} (module ${hex(ending[i])})`);
      else if (line !== interp[i]) problems.push(`case ${i}: native ${line}, interpreter ${interp[i]} (module ${hex(ending[i])})`);
    });
    expect(problems.slice(0, 5).map((p) => p.slice(0, 400))).toEqual([]);
    // The mutants must reach the native code, not only the validator.
    const ran = native.filter((l) => l.startsWith('ran ')).length;
    expect(ran).toBeGreaterThan(CASES / 20);
  }, 900_000);
});
