// Drives a board in slices until the guest powers off or the host stops it.
// Between slices the event loop runs, so keyboard input and signals get in
// and output gets out while the guest computes.
import type { StopReason } from '../board/machine.ts';
import type { HostInput } from './host-input.ts';

/** What the loop needs from the board (Machine implements it). */
export interface RunnableMachine {
  run(maxCycles: number): StopReason;
  readonly instret: number;
  /** Input is queued for the next slice (typed by a script while the guest waited). */
  readonly inputPending?: boolean;
}

export type RunOutcome =
  | { kind: 'poweroff'; code: number }
  /** --max-insns ran out. */
  | { kind: 'limit' }
  /** Ctrl-A x or a signal. */
  | { kind: 'quit' }
  /** The guest waits for input forever and stdin has ended. */
  | { kind: 'stuck' };

/** Cycles per slice: a few tens of milliseconds of host time. */
export const SLICE_CYCLES = 10_000_000;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runLoop(
  m: RunnableMachine,
  input: Pick<HostInput, 'quit' | 'ended' | 'activity'>,
  opts: { maxInsns?: number | undefined; afterSlice?: () => Promise<void> | void },
): Promise<RunOutcome> {
  for (;;) {
    if (input.quit) return { kind: 'quit' };
    let budget = SLICE_CYCLES;
    if (opts.maxInsns !== undefined) {
      const left = opts.maxInsns - m.instret;
      if (left <= 0) return { kind: 'limit' };
      // cycles >= retired instructions, so this cannot overshoot the limit.
      budget = Math.min(budget, left);
    }
    const r = m.run(budget);
    await opts.afterSlice?.();
    switch (r.kind) {
      case 'poweroff':
        return { kind: 'poweroff', code: r.code };
      case 'idle':
        // A finite wake-up time means guest time just skips ahead; only a
        // guest with nothing to wake it needs the host (input) to go on.
        if (r.until === Infinity && !m.inputPending) {
          if (input.ended && !input.quit) return { kind: 'stuck' };
          await input.activity();
        }
        break;
      case 'reset': // the board has already rebooted itself
      case 'budget':
        break;
    }
    await yieldToHost();
  }
}

export const EXIT_LIMIT = 124;
export const EXIT_ERROR = 1;

/** The process exit status for an outcome (0..255). */
export function exitStatus(o: RunOutcome): number {
  switch (o.kind) {
    case 'poweroff':
      // A failure code that is a multiple of 256 must not read as success.
      return o.code === 0 ? 0 : (o.code & 0xff) || EXIT_ERROR;
    case 'limit':
      return EXIT_LIMIT;
    case 'quit':
      return 0;
    case 'stuck':
      return EXIT_ERROR;
  }
}
