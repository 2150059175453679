// Runs the kernel's benchmarks (bootarg "bench") on the board and holds the
// IPC round trip to its target: at most 1,000 guest instructions.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';

const IMAGE = fileURLToPath(new URL('../../public/kernel.elf', import.meta.url));

it('kernel benchmarks: boot, IPC round trip (<= 1000 instructions), context switch', () => {
  const m = new Machine({ image: new Uint8Array(readFileSync(IMAGE)), bootargs: 'bench', memMiB: 128 });
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  let code: number | null = null;
  for (let i = 0; i < 200 && code === null; i++) {
    const r = m.run(1_000_000);
    if (r.kind === 'poweroff') code = r.code;
  }
  expect(code, out).toBe(0);
  const figure = (name: string): number => {
    const hit = new RegExp(`^bench: ${name} (\\d+) instructions`, 'm').exec(out);
    expect(hit, `${name} missing in:\n${out}`).not.toBeNull();
    return Number(hit![1]);
  };
  const boot = figure('boot_to_first_task');
  const ipc = figure('ipc_round_trip');
  const sw = figure('context_switch');
  expect(boot).toBeGreaterThan(1000);
  expect(boot).toBeLessThan(1_000_000);
  expect(ipc).toBeGreaterThan(100);
  expect(ipc).toBeLessThanOrEqual(1000);
  expect(sw).toBeGreaterThan(20);
  expect(sw).toBeLessThan(ipc);
});
