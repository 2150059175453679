import { describe, expect, it } from 'vitest';
import type { StopReason } from '../../src/board/machine.ts';
import { exitStatus, runLoop, SLICE_CYCLES, type RunnableMachine } from '../../src/cli/run-loop.ts';

/** Replays a script of stop reasons; each run retires `insnsPerRun` instructions (capped by the budget). */
class ScriptedMachine implements RunnableMachine {
  instret = 0;
  budgets: number[] = [];
  constructor(private readonly script: StopReason[], private readonly insnsPerRun = 100) {}
  run(maxCycles: number): StopReason {
    this.budgets.push(maxCycles);
    this.instret += Math.min(this.insnsPerRun, maxCycles);
    return this.script.shift() ?? { kind: 'budget' };
  }
}

function input(over: Partial<{ quit: boolean; ended: boolean; activity: () => Promise<void> }> = {}) {
  return { quit: false, ended: false, activity: () => Promise.resolve(), ...over };
}

describe('runLoop', () => {
  it('runs slices until power-off, going on after budget, reset and timed idle', async () => {
    const m = new ScriptedMachine([
      { kind: 'budget' }, { kind: 'reset' }, { kind: 'idle', until: 123456 }, { kind: 'poweroff', code: 7 },
    ]);
    expect(await runLoop(m, input(), {})).toEqual({ kind: 'poweroff', code: 7 });
    expect(m.budgets).toEqual([SLICE_CYCLES, SLICE_CYCLES, SLICE_CYCLES, SLICE_CYCLES]);
  });

  it('waits for host activity when the guest idles with nothing to wake it', async () => {
    const m = new ScriptedMachine([{ kind: 'idle', until: Infinity }, { kind: 'poweroff', code: 0 }]);
    let waits = 0;
    const r = await runLoop(m, input({ activity: () => { waits++; return Promise.resolve(); } }), {});
    expect(r).toEqual({ kind: 'poweroff', code: 0 });
    expect(waits).toBe(1);
  });

  it('gives up when the guest idles forever and input has ended', async () => {
    const m = new ScriptedMachine([{ kind: 'idle', until: Infinity }]);
    expect(await runLoop(m, input({ ended: true }), {})).toEqual({ kind: 'stuck' });
  });

  it('stops at the instruction limit without overshooting it', async () => {
    const m = new ScriptedMachine([], 40);
    expect(await runLoop(m, input(), { maxInsns: 100 })).toEqual({ kind: 'limit' });
    expect(m.instret).toBe(100);
    expect(m.budgets).toEqual([100, 60, 20]);
  });

  it('stops when the user quits', async () => {
    const inp = input();
    const m = new ScriptedMachine([]);
    let slices = 0;
    const r = await runLoop(m, inp, { afterSlice: () => { if (++slices === 3) inp.quit = true; } });
    expect(r).toEqual({ kind: 'quit' });
    expect(m.budgets.length).toBe(3);
  });
});

describe('exitStatus', () => {
  it('maps outcomes to process exit codes', () => {
    expect(exitStatus({ kind: 'poweroff', code: 0 })).toBe(0);
    expect(exitStatus({ kind: 'poweroff', code: 3 })).toBe(3);
    expect(exitStatus({ kind: 'poweroff', code: 0x1ff })).toBe(0xff);
    expect(exitStatus({ kind: 'poweroff', code: 0x100 })).toBe(1); // must not look like success
    expect(exitStatus({ kind: 'limit' })).toBe(124);
    expect(exitStatus({ kind: 'quit' })).toBe(0);
    expect(exitStatus({ kind: 'stuck' })).toBe(1);
  });
});
