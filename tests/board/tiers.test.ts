// The interpreter tier (cpu/interp.ts) and the translator must be
// indistinguishable to the guest: the same program gives the same output,
// instruction and cycle counts and machine state hash whether every block is
// translated at once (budget 0), never (Infinity) or part-way through its
// runs (a small budget promotes blocks mid-loop and mid-slice).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COLD_BUDGET, type Executor, setColdBudget } from '../../src/board/cpu/executor.ts';
import { Machine } from '../../src/board/machine.ts';

const GUEST = fileURLToPath(new URL('../guest/bin/', import.meta.url));
const programs = readdirSync(GUEST).filter((f) => f.endsWith('.elf')).map((f) => f.slice(0, -4)).sort();
const BUDGETS = [0, Infinity, 3, 200];

/** The executor a machine runs on (private to the machine; its counters say which tier ran). */
const executorOf = (m: Machine): Executor => (m as unknown as { exec: Executor }).exec;

interface Outcome { output: string; instret: number; cycles: number; hash: string; translated: number; decoded: number }

function run(image: Uint8Array, budget: number, slice: number, memMiB?: number, bound = 300_000_000): Outcome {
  const old = setColdBudget(budget);
  let m: Machine;
  try {
    m = new Machine({ image, ...(memMiB ? { memMiB } : {}) });
  } finally {
    setColdBudget(old);
  }
  const out: string[] = [];
  m.onSerial = (b) => out.push(new TextDecoder().decode(b));
  while (m.cycles < bound) {
    const stop = m.run(Math.min(slice, bound - m.cycles));
    if (stop.kind === 'poweroff' || stop.kind === 'reset' || (stop.kind === 'idle' && stop.until === Infinity)) break;
  }
  const e = executorOf(m);
  return { output: out.join(''), instret: m.instret, cycles: m.cycles, hash: m.stateHash(), translated: e.translated, decoded: e.decoded };
}

const observable = (o: Outcome): Omit<Outcome, 'translated' | 'decoded'> =>
  ({ output: o.output, instret: o.instret, cycles: o.cycles, hash: o.hash });

afterEach(() => { setColdBudget(COLD_BUDGET); });

describe('interpreter and translator tiers', () => {
  it.each(programs)('%s: the same machine whatever the tier and the slicing', (name) => {
    const image = new Uint8Array(readFileSync(`${GUEST}${name}.elf`));
    const base = run(image, 0, 1_000_000);
    expect(base.output.endsWith('PASS\n')).toBe(true);
    expect(base.decoded).toBe(0); // budget 0: the translator alone
    for (const budget of BUDGETS) {
      for (const slice of [1_000_000, 7_777]) {
        const o = run(image, budget, slice);
        expect(observable(o), `budget ${budget}, slices of ${slice}`).toEqual(observable(base));
        if (budget === Infinity) expect(o.translated).toBe(0); // the interpreter alone
      }
    }
  });

  it('random instruction streams in every mode give the same state hash in both tiers', () => {
    let s = 0x7135;
    const next = (): number => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
    const ops = [0x13, 0x33, 0x03, 0x23, 0x63, 0x6f, 0x67, 0x37, 0x17, 0x73, 0x2f, 0x07, 0x27, 0x53, 0x0f];
    for (let round = 0; round < 30; round++) {
      const words = new Uint32Array(0x4000 / 4);
      for (let i = 0; i < words.length; i++) {
        const r = next();
        // Mostly real opcodes, some compressed pairs, pointers kept near RAM's start by the loads of x0.
        words[i] = (r & 3) === 0 ? r : ((r & ~0x7f) | ops[r % ops.length]!) >>> 0;
      }
      // mtvec = 0x80000100 (random code too), then fall into random code in M-mode.
      words.set([0x800002b7, 0x10028293, 0x30529073], 0);
      const image = new Uint8Array(words.buffer);
      const [a, b, c] = [0, Infinity, 2].map((budget) => run(image, budget, 5_000, 16, 30_000));
      expect(a!.instret, `round ${round} retired nothing`).toBeGreaterThan(0);
      expect(observable(b!), `round ${round}`).toEqual(observable(a!));
      expect(observable(c!), `round ${round}`).toEqual(observable(a!));
    }
  });

  it('refuses a negative or NaN budget', () => {
    expect(() => setColdBudget(-1)).toThrow(/budget/);
    expect(() => setColdBudget(Number.NaN)).toThrow(/budget/);
  });
});
