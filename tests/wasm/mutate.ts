// The mutation fuzzer's mutations (fuzz.test.ts, and the native tier's fuzz run in
// fuzz-native.test.ts), and the refusals allowed where V8 accepts.
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from './corpus.ts';
import { randomProgram } from './gen.ts';
import { Rng, wat } from './harness.ts';

// Refusals allowed when V8 accepts: features beyond WebAssembly 2.0 that V8 ships (SIMD,
// threads, exception handling, tail calls, typed function references/GC, memory64, multi-memory,
// extended constant expressions) and the runtime's documented implementation limits.
export const EXTENSION =
  /not supported|illegal opcode 0x(fd|fe|fb|6|7|8|9|a|12|13|14|15|18|19|d3|d4|d5|d6)\b|malformed section id 13|malformed (import|export) kind 0x4|malformed limits flags 0x[4-7]\b|implementation limit|malformed value type 0x(6[3-9a-e]|7[0-4]|4e|5[0-9a-f])|malformed reference type 0x(6[3-9a-e]|4e)|constant expression required \(opcode 0x(6a|6b|6c|7c|7d|7e)\)|constant expression may only use imported globals|malformed function type form 0x(5[0-f]|4e)|malformed element kind|only use imported globals|multiple memories|unknown memory [1-9]/;

export function mutate(src: Uint8Array, rng: Rng): Uint8Array {
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


/**
 * `cases` mutants of the fuzzing corpus (the hand-written modules and 25
 * random programs, the k-th from seed k * programStride), drawn with `seed`.
 */
export async function mutantsOf(cases: number, seed: number, programStride: number): Promise<Uint8Array[]> {
  const corpus: Uint8Array[] = [];
  for (const t of [CONTROL, MEMORY, TABLES, GLOBALS, HOST]) corpus.push(await wat(t));
  for (let k = 1; k <= 25; k++) corpus.push(await wat(randomProgram(k * programStride, 3, 1).text));
  const rng = new Rng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < cases; i++) out.push(mutate(corpus[i % corpus.length], rng));
  return out;
}
