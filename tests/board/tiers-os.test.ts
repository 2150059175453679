// The whole OS (kernel, Wasm servers, shell) on both execution tiers: booting
// to the prompt and running a command gives the same console output, the same
// instruction count and the same machine state whether every block is
// translated at once, never, or after the default interpreter budget.
import { afterEach, describe, expect, it } from 'vitest';
import { COLD_BUDGET, type Executor, setColdBudget } from '../../src/board/cpu/executor.ts';
import { bootOs, PROMPT } from '../../src/cli/os-session.ts';

afterEach(() => { setColdBudget(COLD_BUDGET); });

function boot(budget: number) {
  setColdBudget(budget);
  const r = bootOs({ script: ['ls /'], host: false });
  const exec = (r.machine as unknown as { exec: Executor }).exec;
  return { out: r.out, instret: r.instret, cycles: r.machine.cycles, prompt: r.firstPromptAt, hash: r.machine.stateHash(), translated: exec.translated };
}

describe('the OS on both tiers', () => {
  it('boots to the prompt and runs a command identically', () => {
    const translated = boot(0);
    expect(translated.out).toContain(PROMPT);
    expect(translated.out).toContain('boot');
    const interpreted = boot(Infinity);
    expect(interpreted.translated).toBe(0);
    const mixed = boot(COLD_BUDGET);
    const { translated: _a, ...want } = translated;
    for (const other of [interpreted, mixed]) {
      const { translated: _b, ...got } = other;
      expect(got).toEqual(want);
    }
    // The default budget leaves most of the boot's blocks to the interpreter.
    expect(mixed.translated).toBeLessThan(translated.translated / 4);
  }, 120_000);
});
