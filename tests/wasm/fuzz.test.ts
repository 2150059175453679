// Mutation fuzzer: thousands of malformed variants of valid modules. Each one must be refused
// with an error or run (and trap) cleanly in a sandboxed child of the driver (built with
// AddressSanitizer/UBSan when available) without crashing or leaking; and the runtime's
// accept/refuse decision must match V8's WebAssembly.validate, except for post-2.0 features
// that V8 implements and WasmOS deliberately refuses.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiler, hex, runDriver } from './harness.ts';
import { EXTENSION, mutantsOf } from './mutate.ts';

// WASM_FUZZ_CASES / WASM_FUZZ_SEED run longer campaigns locally.
const CASES = Number(process.env.WASM_FUZZ_CASES ?? 4000);
const SEED = Number(process.env.WASM_FUZZ_SEED ?? 20260427);

describe.skipIf(!compiler)('mutation fuzzing', () => {
  it(`${CASES} mutated modules are refused or run cleanly, and agree with V8 on validity`, async () => {
    const mutants = await mutantsOf(CASES, SEED, 104729);

    const out = runDriver(['limits 65536 200 64', ...mutants.map((m) => `fuzz ${hex(m)}`)], { sanitize: true, timeoutMs: 900_000 }).slice(1);
    const stats: Record<string, number> = {};
    const problems: string[] = [];
    out.forEach((line, i) => {
      const kind = line.split(' ')[0];
      stats[kind] = (stats[kind] ?? 0) + 1;
      const bytes = mutants[i];
      if (kind === 'crash' || kind === 'leak' || !['invalid', 'unlinkable', 'ran', 'timeout'].includes(kind)) {
        problems.push(`case ${i}: ${line} (module ${hex(bytes)})`);
        return;
      }
      const v8 = WebAssembly.validate(new Uint8Array(bytes));
      const ours = kind !== 'invalid';
      if (ours && !v8) problems.push(`case ${i}: runtime accepts a module V8 refuses (${line}) (module ${hex(bytes)})`);
      if (!ours && v8 && !EXTENSION.test(line)) problems.push(`case ${i}: runtime refuses a module V8 accepts: ${line} (module ${hex(bytes)})`);
    });
    if (problems.length) {
      // Full reproducers: feed a line to the driver (`fuzz <hex>` or `load <hex>`).
      const file = join(tmpdir(), 'wasmos-fuzz-failures.txt');
      writeFileSync(file, problems.join('\n') + '\n');
      problems.unshift(`${problems.length} problems; reproducers in ${file}`);
    }
    if (process.env.WASM_FUZZ_STATS) console.log(stats);
    expect(problems.slice(0, 5).map((p) => p.slice(0, 300))).toEqual([]);
    // The mutations must reach every outcome, not just the header checks.
    expect(stats.invalid).toBeGreaterThan(CASES / 4);
    expect(stats.ran ?? 0).toBeGreaterThan(CASES / 20);
  }, 900_000);
});
