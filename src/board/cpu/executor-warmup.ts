// Warms the executor up once per process, before the first machine runs (as
// interp-warmup.ts does for the interpreter): a small program on a scratch
// hart, run through a real Executor with a small budget in short slices, so
// the run loop has taken each of its paths — blocks interpreted, chained,
// linked, translated and run translated, lukewarm blocks refilled, a block too
// long for the rest of the slice replaced by single instructions — before V8
// optimises it. Without this, the boot reaches the translated-block paths
// only after the loop is optimised, and V8 recompiles it (tens of ms each time).
// No guest-visible state is involved: the scratch hart is thrown away.
import { Clock } from '../clock.ts';
import { HartLines } from '../irq.ts';
import { Ram, RAM_BASE } from '../memory.ts';
import { PhysBus } from '../phys-bus.ts';
import { addi, bne, jal, jalr, li, lw, sw } from './encode.ts';
import { Hart } from './hart.ts';

const RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, A0 = 10;
/** Two compressed instructions (c.nop) in one word: slices also end on 16-bit instructions. */
const C_NOP_PAIR = 0x00010001;

/**
 * `calls` times: call f, then a loop of `pad` passes that loads and stores;
 * then spin. f is lukewarm, the loop hot.
 */
function program(calls: number, pad: number): number[] {
  const w: number[] = [...li(S0, calls)];
  const outer = w.length;
  const callAt = w.push(0) - 1;
  w.push(...li(T1, pad), addi(T0, 0, 0));
  const loop = w.length;
  const back = (to: number): number => (to - (w.length + 1)) * 4;
  w.push(addi(T0, T0, 1), lw(T2, SP, 0), C_NOP_PAIR, sw(T0, SP, 4));
  w.push(bne(T0, T1, back(loop)));
  w.push(addi(S0, S0, -1), bne(S0, 0, back(outer)));
  w.push(jal(0, 0));
  const f = w.length;
  w.push(addi(A0, A0, 1), jalr(0, RA, 0));
  w[callAt] = jal(RA, (f - callAt) * 4);
  return w;
}

let warmed = false;

/** Runs the program through the executor `make` builds for a scratch hart (the first call in a process only). */
export function warmExecutor(make: (h: Hart) => { run(): void }): void {
  if (warmed) return;
  warmed = true;
  const h = new Hart(new Ram(64 * 1024), new PhysBus(), new HartLines(), new Clock());
  h.reset(RAM_BASE | 0);
  h.ram.i32.set(program(200, 40));
  h.x[SP] = (RAM_BASE + 0x8000) | 0;
  // Two executors taking turns (as for the interpreter: V8 then expects a
  // different interpreter closure in every executor), in slices of an odd
  // length that end inside blocks (single-instruction blocks finish them).
  const execs = [make(h), make(h)];
  for (let n = 0; n < 8; n++) {
    h.limit = h.instret + 7_777;
    h.exit = 0;
    execs[n & 1]!.run();
  }
}
