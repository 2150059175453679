// Drives a machine along recorded inputs to a target instant: each input is
// given to the board at exactly the cycle count it was recorded at (Machine.run
// stops exactly at its budget, and input enters at the start of a run), then
// the machine runs on to the target (a cycle count, or an instruction count
// for trace events, which carry instret). Runs also stop at every drain
// instant (trace-drain.ts), where the trace is drained exactly as live, so the
// guest sees its ring emptied at the same instants. Works in bounded steps so
// a worker can yield between them.
import type { Machine, StopReason } from '../../board/machine.ts';
import type { HostTree } from '../9p/index.ts';
import type { RecordedInput } from './recording.ts';
import { drainDue, nextDrainAt } from './trace-drain.ts';

export interface ReplayTarget {
  cycles?: number;
  instret?: number;
}

export interface ReplayHooks {
  /** At every drain instant (trace-drain.ts): empty the trace ring here, as live. */
  drain?: () => void;
  /** After every run (for whatever is not guest-visible; never drain the trace here). */
  afterRun?: (stop: StopReason) => void;
  /** A recorded trace switch. */
  setTrace?: (on: boolean) => void;
}

export class ReplayDiverged extends Error {}

export class Replayer {
  private next: number;
  /** Host-tree changes the recording asked for that failed (the replay then diverges). */
  readonly failures: string[] = [];

  constructor(
    private m: Machine,
    private readonly tree: HostTree,
    private readonly inputs: readonly RecordedInput[],
    private readonly hooks: ReplayHooks = {},
  ) {
    // Starting from a checkpoint: inputs before it are already in the machine.
    this.next = inputs.findIndex((x) => x.cycles >= m.cycles);
    if (this.next < 0) this.next = inputs.length;
  }

  get machine(): Machine { return this.m; }
  /** Inputs not yet given to the machine. */
  get remaining(): number { return this.inputs.length - this.next; }

  private reached(t: ReplayTarget): boolean {
    if (t.instret !== undefined) return this.m.instret >= t.instret;
    return this.m.cycles >= (t.cycles ?? Infinity);
  }

  /**
   * Runs at most about `budget` cycles toward `target`; true once there (or
   * once the guest powered off, which nothing follows).
   */
  step(target: ReplayTarget, budget = Infinity, drain = this.hooks.drain): boolean {
    const m = this.m;
    const stopAt = m.cycles + budget;
    for (;;) {
      if (this.reached(target)) return true;
      while (this.next < this.inputs.length && this.inputs[this.next]!.cycles === m.cycles) this.apply(this.inputs[this.next++]!);
      const nextInput = this.inputs[this.next];
      if (nextInput && nextInput.cycles < m.cycles) {
        throw new ReplayDiverged(`input ${this.next} was due at cycle ${nextInput.cycles}, the machine is at ${m.cycles}`);
      }
      let n = stopAt - m.cycles;
      if (nextInput) n = Math.min(n, nextInput.cycles - m.cycles);
      if (target.cycles !== undefined) n = Math.min(n, target.cycles - m.cycles);
      if (target.instret !== undefined) n = Math.min(n, target.instret - m.instret);
      if (n <= 0) return false; // the budget is spent
      const stop = m.run(Math.min(n, nextDrainAt(m.cycles) - m.cycles));
      if (drainDue(m.cycles, stop)) drain?.();
      this.hooks.afterRun?.(stop);
      if (stop.kind === 'poweroff') return true;
    }
  }

  private apply(x: RecordedInput): void {
    const m = this.m;
    switch (x.kind) {
      case 'serial': m.sendSerial(x.data); break;
      case 'mailbox': m.mailbox.post(x.data); break;
      case 'net': m.netReceive(x.data); break;
      case 'trace': this.hooks.setTrace?.(x.data[0] === 1); break;
      default: this.applyTree(x);
    }
  }

  private applyTree(x: RecordedInput): void {
    try {
      switch (x.kind) {
        case 'file': this.tree.writeFile(x.path!, x.data); break;
        case 'mkdir': this.tree.mkdir(x.path!); break;
        case 'remove': this.tree.remove(x.path!); break;
        case 'rename': this.tree.rename(x.path!, x.to!); break;
        default: break;
      }
    } catch (e) {
      this.failures.push(`${x.kind} ${x.path}: ${(e as Error).message}`);
    }
  }
}
