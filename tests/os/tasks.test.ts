// The Tasks panel's table from a real boot: the whole OS on the board with the
// trace on from reset, folded by the worker's TaskTracker. The kernel's trace
// tells what each task runs, who provides services, and whom a blocked task waits on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { HostTree, NinePServer, guestClock } from '../../src/host/9p/index.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import type { TaskRow } from '../../src/host/protocol.ts';
import { TaskTracker } from '../../src/host/task-tracker.ts';
import { kindLabel, stateLabel } from '../../src/ui/tasks/task-labels.ts';
import { KERNEL, PROMPT } from './os-boot.ts';

/** Boots to the prompt (plus `typed` after it), feeding every trace record to a tracker. */
function bootTraced(typed = ''): { rows: Map<string, TaskRow>; out: string } {
  const tree = new HostTree();
  const m = new Machine({ image: new Uint8Array(readFileSync(KERNEL)), initrd: osArchive(loadOsSource()), memMiB: 128, hostFs: new NinePServer(tree) });
  tree.clock = guestClock(m);
  m.trace!.setEnabled(true);
  const tracker = new TaskTracker();
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  let prompts = 0;
  while (m.cycles < 400_000_000) {
    const r = m.run(1_000_000);
    tracker.feed(m.trace!.drain().records);
    if (r.kind === 'poweroff' || r.kind === 'reset') break;
    const seen = out.split(PROMPT).length - 1;
    if (seen > prompts) {
      prompts = seen;
      if (typed && prompts === 1) m.sendSerial(new TextEncoder().encode(typed));
      else if (typed) break; // the program ran and the shell is back
    }
    // At the prompt, wait for the next statistics (every 100 ms of guest time): every task has them then.
    if (prompts > 0 && !typed && tracker.rows().every((t) => t.id === 0 || t.state === 'exited' || t.memBytes > 0)) break;
  }
  return { rows: new Map(tracker.rows().map((r) => [r.name, r])), out };
}

describe('the task table of a real boot', () => {
  it('tells servers from apps, what they run, and whom the idle shell waits on', () => {
    const { rows, out } = bootTraced();
    expect(out).toContain(PROMPT);
    const names = new Map([...rows.values()].map((r) => [r.id, r.name]));
    const get = (n: string): TaskRow => { const r = rows.get(n); expect(r, n).toBeDefined(); return r!; };
    const console_ = get('console');
    // Every server of the OS is a WasmOS module that registered its service.
    for (const [name, service] of [['console', 'console'], ['fs', 'fs'], ['init', 'proc']]) {
      expect(get(name!)).toMatchObject({ runtime: 'wasmos', services: [service] });
      expect(kindLabel(get(name!))).toBe('WasmOS server');
    }
    const shell = get('shell');
    expect(kindLabel(shell)).toBe('WasmOS app');
    // At the prompt the shell waits for a line: a call to the console, not yet answered.
    expect(shell).toMatchObject({ state: 'call', waitingOn: console_.id });
    expect(stateLabel(shell, names)).toBe(`blocked in call on console (${console_.id})`);
    // The console waits for input from anyone (its device interrupt comes as a notification).
    expect(console_).toMatchObject({ state: 'recv', waitingOn: -1 });
    expect(stateLabel(console_, names)).toBe('blocked in receive from anyone');
    expect(get('kernel (idle)')).toMatchObject({ runtime: 'kernel' });
    for (const r of rows.values()) {
      if (r.id === 0) continue;
      expect(r.memBytes, r.name).toBeGreaterThan(0);
      expect(r.state, r.name).not.toBe('unknown');
    }
    expect(console_.received).toBeGreaterThan(0);
    expect(shell.sent).toBeGreaterThan(0);
  }, 60_000);

  it('shows a WASI program as a WASI app while it runs', () => {
    const { rows, out } = bootTraced('wasi-hello\r');
    expect(out).toContain(PROMPT);
    const wasi = [...rows.values()].filter((r) => r.runtime === 'wasi');
    expect(wasi.length, out).toBeGreaterThan(0);
    for (const r of wasi) expect(kindLabel(r)).toBe('WASI app');
  }, 60_000);
});
