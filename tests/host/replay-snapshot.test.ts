// Snapshots and time travel through the worker's controller, on the whole OS:
// a saved machine restores (in the same or another controller) to the same
// state hash with its console and task names; time travel rebuilds an earlier
// instant (a trace record's time) exactly, leaves the live machine alone, and
// "continue from here" makes that past the live machine.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/board/devices/trace.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL } from '../../src/cli/os-session.ts';
import { MachineController } from '../../src/host/machine-controller.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import type { HostBatch } from '../../src/host/protocol.ts';
import type { TravelResult } from '../../src/host/replay/share-host.ts';
import { unpackSnapshot } from '../../src/host/replay/snapshot-bundle.ts';

const image = new Uint8Array(readFileSync(KERNEL));
const initrd = osArchive(loadOsSource());
const live: MachineController[] = [];
afterEach(() => { for (const c of live.splice(0)) c.shutdown(); });

function controller(): { c: MachineController; text: () => string; trace: TraceRecord[]; sink: (b: HostBatch) => Promise<void> } {
  const c = new MachineController();
  live.push(c);
  let text = '';
  const trace: TraceRecord[] = [];
  const dec = new TextDecoder();
  return {
    c, text: () => text, trace,
    sink: (b) => { if (b.serial) text += dec.decode(b.serial, { stream: true }); if (b.trace) trace.push(...b.trace); return Promise.resolve(); },
  };
}

async function until(pred: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('snapshots and time travel', () => {
  it('saves and restores the whole machine; travels to a trace event and back', async () => {
    const a = controller();
    a.c.boot({ image, initrd, bootargs: '', memMiB: 64, net: false } as Parameters<MachineController['boot']>[0], a.sink);
    await until(() => a.text().includes('shell> '), 'the prompt');
    a.c.sendInput(new TextEncoder().encode('ping\r'));
    await until(() => a.text().split('shell> ').length > 2, 'ping');
    a.c.pause();
    await new Promise((r) => setTimeout(r, 50));

    // Snapshot: under 1 MB for a booted OS with 64 MiB, restores to the same hash.
    const snap = await a.c.share.snapshot('after ping');
    if ('error' in snap) throw new Error(snap.error);
    expect(snap.bytes.length).toBeLessThan(1024 * 1024);
    expect(snap.meta.console).toContain('pong');
    const hash = a.c.share.stateHash()!;
    expect(snap.meta.hash).toBe(hash);
    expect(unpackSnapshot(snap.bytes).meta.tasks.map((t) => t.name)).toEqual(expect.arrayContaining(['init', 'shell', 'pong']));

    // The page restores into its running machine (here one still booting).
    const b = controller();
    b.c.boot({ image, initrd, bootargs: '', memMiB: 128, net: false } as Parameters<MachineController['boot']>[0], b.sink);
    const restored = await b.c.share.restore(snap.bytes);
    expect(restored).toMatchObject({ ok: true, meta: { hash } });
    expect(b.c.share.stateHash()).toBe(hash);
    expect(b.c.status().state).toBe('paused');
    await new Promise((r) => setTimeout(r, 50));
    expect(b.text()).toContain('pong');
    expect(b.c.tasks().map((t) => t.name)).toEqual(expect.arrayContaining(['init', 'shell', 'pong']));
    // It runs on: a command typed after the restore is answered.
    b.c.resume();
    b.c.sendInput(new TextEncoder().encode('echo again\r'));
    await until(() => b.text().includes('again\n') || b.text().includes('again\r\n'), 'echo');
    expect(await b.c.share.restore(new Uint8Array([1, 2, 3]))).toEqual({ error: 'Cannot restore: not a WasmOS snapshot file' });

    // Time travel to the pong service's reply to the shell's ping.
    const reply = a.trace.find((r) => r.kind === 'ipc' && r.op === 'reply' && a.trace.some((t) => t.kind === 'task-create' && t.name === 'pong' && t.id === r.task));
    expect(reply).toBeDefined();
    const t1 = await a.c.share.travel(reply!.time) as TravelResult;
    expect(t1.instret).toBe(reply!.time);
    expect(t1.tasks.map((t) => t.name)).toEqual(expect.arrayContaining(['shell', 'pong']));
    // Deterministic: the same instant twice gives the same state; the live machine did not move.
    const t2 = await a.c.share.travel(reply!.time) as TravelResult;
    expect(t2.hash).toBe(t1.hash);
    expect(a.c.share.stateHash()).toBe(hash);
    const earlier = await a.c.share.travel(reply!.time - 1000) as TravelResult;
    expect(earlier.hash).not.toBe(t1.hash);
    expect(await a.c.share.travel(a.c.status().instret + 1)).toEqual({ error: 'That instant is in the future.' });
    a.c.share.backToLive();
    expect(a.c.status().state).not.toBe('paused');
    a.c.pause();
    // Continue from the past: the past becomes the live machine.
    await a.c.share.travel(reply!.time);
    const cont = a.c.share.continueFromPast();
    expect(cont).toEqual({ ok: true, hash: t1.hash });
    expect(a.c.status()).toMatchObject({ state: 'paused', instret: reply!.time });
  }, 120_000);
});
