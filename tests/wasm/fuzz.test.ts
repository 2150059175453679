// Mutation fuzzer: thousands of malformed variants of valid modules. Each one must be refused
// with an error or run (and trap) cleanly in a sandboxed child of the driver (built with
// AddressSanitizer/UBSan when available) without crashing or leaking; and the runtime's
// accept/refuse decision must match V8's WebAssembly.validate, except for post-2.0 features
// that V8 implements and WasmOS deliberately refuses.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from './corpus.ts';
import { randomProgram } from './gen.ts';
import { Rng, compiler, hex, runDriver, wat } from './harness.ts';

// WASM_FUZZ_CASES / WASM_FUZZ_SEED run longer campaigns locally.
const CASES = Number(process.env.WASM_FUZZ_CASES ?? 4000);
const SEED = Number(process.env.WASM_FUZZ_SEED ?? 20260427);

// Refusals allowed when V8 accepts: features beyond WebAssembly 2.0 that V8 ships (SIMD,
// threads, exception handling, tail calls, typed function references/GC, memory64, multi-memory,
// extended constant expressions) and the runtime's documented implementation limits.
export const EXTENSION =
  /not supported|illegal opcode 0x(fd|fe|fb|6|7|8|9|a|12|13|14|15|18|19|d3|d4|d5|d6)\b|malformed section id 13|malformed (import|export) kind 0x4|malformed limits flags 0x[4-7]\b|implementation limit|malformed value type 0x(6[3-9a-e]|7[0-4]|4e|5[0-9a-f])|malformed reference type 0x(6[3-9a-e]|4e)|constant expression required \(opcode 0x(6a|6b|6c|7c|7d|7e)\)|constant expression may only use imported globals|malformed function type form 0x(5[0-f]|4e)|malformed element kind|only use imported globals|multiple memories|unknown memory [1-9]/;

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  let b = Array.from(src);
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) {
    // Keep the header intact most of the time so mutations reach the sections.
    const lo = rng.chance(0.95) ? 8 : 0;
    const at = lo + rng.int(Math.max(1, b.length - lo));
    switch (rng.int(8)) {
      case 0:
        b[at] ^= 1 << rng.int(8);
        break;
      case 1:
        b[at] = rng.int(256);
        break;
      case 2:
        b.splice(at, 0, rng.int(256));
        break;
      case 3:
        b.splice(at, 1 + rng.int(4));
        break;
      case 4: {
        const len = 1 + rng.int(16);
        b.splice(at, 0, ...b.slice(at, at + len));
        break;
      }
      case 5:
        b = b.slice(0, at);
        break;
      case 6:
        b[at] = rng.pick([0x00, 0x7f, 0x80, 0xff, 0x0b, 0x40, 0x41, 0x20]);
        break;
      default: {
        const other = lo + rng.int(Math.max(1, b.length - lo));
        [b[at], b[other]] = [b[other], b[at]];
      }
    }
  }
  return new Uint8Array(b.map((x) => x & 0xff));
}

describe.skipIf(!compiler)('mutation fuzzing', () => {
  it(`${CASES} mutated modules are refused or run cleanly, and agree with V8 on validity`, async () => {
    const corpus: Uint8Array[] = [];
    for (const t of [CONTROL, MEMORY, TABLES, GLOBALS, HOST]) corpus.push(await wat(t));
    for (let seed = 1; seed <= 25; seed++) corpus.push(await wat(randomProgram(seed * 104729, 3, 1).text));
    const rng = new Rng(SEED);
    const mutants: Uint8Array[] = [];
    for (let i = 0; i < CASES; i++) mutants.push(mutate(corpus[i % corpus.length], rng));

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
