import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Machine } from '../../../src/board/machine.ts';
import { KILL_UNAVAILABLE, MachineController } from '../../../src/host/machine-controller.ts';
import { FRAME_MS } from '../../../src/host/output-batcher.ts';
import type { HostBatch, MachineStatus } from '../../../src/host/protocol.ts';
import { kernelImage } from '../fixtures/selftest-trace.ts';

const INTERRUPTS_ELF = new URL('../../guest/bin/interrupts.elf', import.meta.url);

interface Session {
  c: MachineController;
  /** What the page would receive, with the time it arrived. */
  batches: Array<{ at: number; batch: HostBatch }>;
  sink: (batch: HostBatch) => Promise<void>;
  text: () => string;
  until: (pred: (s: MachineStatus) => boolean, ms?: number) => Promise<MachineStatus>;
}

const live: MachineController[] = [];
afterEach(() => {
  for (const c of live.splice(0)) c.shutdown();
  vi.restoreAllMocks();
});

function session(): Session {
  const c = new MachineController();
  live.push(c);
  const batches: Session['batches'] = [];
  const dec = new TextDecoder();
  let text = '';
  const sink = (batch: HostBatch): Promise<void> => {
    batches.push({ at: performance.now(), batch });
    if (batch.serial) text += dec.decode(batch.serial, { stream: true });
    return Promise.resolve();
  };
  const until = async (pred: (s: MachineStatus) => boolean, ms = 60_000): Promise<MachineStatus> => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const s = c.status();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`timed out; status ${JSON.stringify(c.status())}`);
  };
  return { c, batches, sink, text: () => text, until };
}

describe('MachineController', () => {
  it('boots the self-test, streams console, trace and tasks in frame-paced batches, and reports its figures', async () => {
    const s = session();
    const first = s.c.boot({ image: kernelImage(), bootargs: 'selftest', promptText: 'selftest: start' }, s.sink);
    expect(first.state).toBe('running');
    const end = await s.until((st) => st.state === 'poweroff');
    expect(end.powerCode).toBe(0);
    // Give the last batch time to go out.
    await new Promise((r) => setTimeout(r, 3 * FRAME_MS));
    expect(s.text()).toMatch(/selftest: \d+ passed, 0 failed/);
    expect(end.prompt?.text).toBe('selftest: start');
    expect(end.prompt!.wallMs).toBeGreaterThanOrEqual(end.firstOutputMs!);
    expect(end.prompt!.instret).toBeGreaterThan(0);
    expect(end.ramBytes).toBe(128 * 1024 * 1024);
    expect(end.instret).toBeGreaterThan(1_000_000);
    expect(end.busyMips).toBeGreaterThan(1);

    const records = s.batches.flatMap((b) => b.batch.trace ?? []);
    expect(records.some((r) => r.kind === 'ipc' && r.op === 'call')).toBe(true);
    expect(records.filter((r) => r.kind === 'task-create').length).toBeGreaterThan(10);
    const tasks = s.batches.filter((b) => b.batch.tasks).at(-1)!.batch.tasks!;
    expect(tasks.some((t) => t.name === 'selftest')).toBe(true);
    for (let i = 1; i < s.batches.length; i++) {
      expect(s.batches[i]!.at - s.batches[i - 1]!.at).toBeGreaterThanOrEqual(FRAME_MS - 2);
    }
    expect(s.batches.every((b) => b.batch.epoch === first.epoch)).toBe(true);
    expect(s.c.killTask(99999)).toEqual({ ok: false, message: 'There is no live task 99999.' });
  });

  it('pauses (the guest stops), resumes, and resets to a fresh boot with a new epoch', async () => {
    const s = session();
    const booted = s.c.boot({ image: kernelImage(), bootargs: 'selftest' }, s.sink);
    await s.until((st) => st.instret > 0);
    const paused = s.c.pause();
    expect(paused.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 100));
    const a = s.c.status().instret;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.c.status()).toMatchObject({ state: 'paused', instret: a, mips: 0 });
    s.c.resume();
    await s.until((st) => st.state === 'poweroff');
    expect(s.c.pause().state).toBe('poweroff'); // nothing to pause
    const again = s.c.reset();
    expect(again.epoch).toBe(booted.epoch + 1);
    expect(again.instret).toBe(0);
    expect(again.prompt).toBeNull();
    const end = await s.until((st) => st.state === 'poweroff');
    expect(end.powerCode).toBe(0);
  });

  it('records console input in the board\'s input log, between slices', async () => {
    const s = session();
    s.c.boot({ image: kernelImage(), bootargs: 'selftest' }, s.sink);
    s.c.sendInput(new TextEncoder().encode('ls\r'));
    await s.until((st) => st.instret > 0);
    await s.until(() => s.c.inputLog().length === 1);
    expect(new TextDecoder().decode(s.c.inputLog()[0]!.data)).toBe('ls\r');
  });

  it('sleeps through the guest\'s timer waits instead of spinning', async () => {
    const image = new Uint8Array(readFileSync(INTERRUPTS_ELF));
    const runs = vi.spyOn(Machine.prototype, 'run');
    const s = session();
    const t0 = performance.now();
    s.c.boot({ image, bootargs: '' }, s.sink);
    const end = await s.until((st) => st.state === 'poweroff');
    const wall = performance.now() - t0;
    expect(end.powerCode).toBe(0);
    // The program waits twice for a deadline 100 ms of guest time away.
    expect(wall).toBeGreaterThan(150);
    expect(runs.mock.calls.length).toBeLessThan(50);
  });

  it('reports a bad image as an error state, and a kill as not available yet', async () => {
    const s = session();
    const st = s.c.boot({ image: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]), bootargs: '' }, s.sink);
    expect(st.state).toBe('error');
    expect(st.error).toBeTruthy();
    s.c.boot({ image: kernelImage(), bootargs: 'selftest' }, s.sink);
    await s.until(() => s.c.tasks().some((t) => t.name === 'selftest' && t.state !== 'exited'));
    const id = s.c.tasks().find((t) => t.name === 'selftest')!.id;
    expect(s.c.killTask(id)).toEqual({ ok: false, message: KILL_UNAVAILABLE });
  });
});
