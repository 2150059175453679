import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Machine } from '../../../src/board/machine.ts';
import { loadOsSource } from '../../../src/cli/os-files.ts';
import { MachineController, NO_ANSWER, NOT_RUNNING } from '../../../src/host/machine-controller.ts';
import { osArchive } from '../../../src/host/os-archive.ts';
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
    expect(await s.c.killTask(99999)).toEqual({ ok: false, message: NOT_RUNNING });
  });

  it('boots before anyone listens and hands everything kept since the boot to the page that attaches', async () => {
    const s = session();
    const first = s.c.boot({ image: kernelImage(), bootargs: 'selftest', promptText: 'selftest: start' }, null);
    expect(first.state).toBe('running');
    // The page's UI is still loading: the guest runs on and its output is kept.
    const end = await s.until((st) => st.state === 'poweroff');
    expect(end.prompt).not.toBeNull();
    expect(s.batches).toEqual([]);
    const attached = s.c.attach(s.sink);
    expect(attached.epoch).toBe(first.epoch);
    await new Promise((r) => setTimeout(r, 3 * FRAME_MS));
    // One batch with the whole console from the kernel's first line, the trace and the task table.
    expect(s.text()).toMatch(/^WasmOS kernel:/);
    expect(s.text()).toMatch(/selftest: \d+ passed, 0 failed/);
    const records = s.batches.flatMap((b) => b.batch.trace ?? []);
    expect(records.filter((r) => r.kind === 'task-create').length).toBeGreaterThan(10);
    expect(s.batches.some((b) => b.batch.tasks?.some((t) => t.name === 'selftest'))).toBe(true);
    expect(s.batches.at(-1)!.batch.status).toMatchObject({ state: 'poweroff', powerCode: 0, epoch: first.epoch });
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

  it('reports a bad image as an error state, and a kill nobody answers as such', async () => {
    const s = session();
    const st = s.c.boot({ image: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]), bootargs: '' }, s.sink);
    expect(st.state).toBe('error');
    expect(st.error).toBeTruthy();
    s.c.boot({ image: kernelImage(), bootargs: 'selftest' }, s.sink);
    await s.until(() => s.c.tasks().some((t) => t.name === 'selftest' && t.state !== 'exited'));
    const id = s.c.tasks().find((t) => t.name === 'selftest')!.id;
    // The self-test kernel runs no init, so nothing drives the host mailbox.
    s.c.mailboxTimeoutMs = 300;
    expect(await s.c.killTask(id)).toEqual({ ok: false, message: NO_ANSWER });
    expect(await s.c.killTask(0)).toEqual({ ok: false, message: '0 is not a task id.' });
  });

  it('spawns an uploaded program and kills a task through the OS while the shell is busy', async () => {
    const s = session();
    const app = (name: string): Uint8Array =>
      new Uint8Array(readFileSync(new URL(`../../../servers/build/apps/${name}.wasm`, import.meta.url)));
    s.c.boot({ image: readFileSync(new URL('../../../public/kernel.elf', import.meta.url)), bootargs: '', initrd: osArchive(loadOsSource()) }, s.sink);
    await s.until((st) => st.prompt !== null);
    // `busy` without a limit spins until killed: the shell waits for it the whole time. While
    // it spins the worker never sleeps, and in Node its MessageChannel yields starve setTimeout
    // (so console batches lag): wait with setImmediate and look at the text once it is over.
    s.c.sendInput(new TextEncoder().encode('busy\r'));
    const end = performance.now() + 30_000;
    const liveBusy = () => s.c.tasks().find((t) => t.name === 'busy' && t.state !== 'exited');
    while (!liveBusy() && performance.now() < end) await new Promise((r) => setImmediate(r));
    const busy = liveBusy()!;
    expect(busy).toBeDefined();
    const hello = await s.c.spawnFile('hello.wasm', app('hello'), ['one']);
    expect(hello).toMatchObject({ ok: true, message: `Started hello.wasm as task ${hello.task}.` });
    const spin = await s.c.spawnFile('spin.wasm', app('busy'));
    expect(spin.ok).toBe(true);
    expect(await s.c.killTask(spin.task!)).toEqual({ ok: true, message: `Task ${spin.task} killed.` });
    expect(await s.c.killTask(spin.task!)).toEqual({ ok: false, message: `There is no live task ${spin.task}.` });
    const bad = await s.c.spawnFile('notes.wasm', new TextEncoder().encode('text'));
    expect(bad).toEqual({ ok: false, task: null, message: 'Cannot run notes.wasm: E_NOT_WASM (/host/uploads/notes.wasm).' });
    expect((await s.c.spawnFile('a b.wasm', app('hello'))).ok).toBe(false);
    expect(s.c.hostTree.readFile('/uploads/hello.wasm')).toEqual(app('hello'));
    // Killing the shell's busy program gives the prompt back.
    expect(liveBusy()?.id).toBe(busy.id);
    expect(await s.c.killTask(busy.id)).toEqual({ ok: true, message: `Task ${busy.id} killed.` });
    const prompts = (): number => s.text().split('shell> ').length - 1;
    await s.until(() => prompts() === 2);
    const text = s.text().replace(/\r/g, '');
    const hi = text.indexOf('Hello from WasmOS!\n  arg 1: one');
    expect(hi).toBeGreaterThan(text.indexOf('busy: spinning forever'));
    expect(hi).toBeLessThan(text.lastIndexOf('shell> '));
  }, 60_000);
});
