// The trace ring's tail lives in guest RAM and the host writes it when it
// drains, so drain instants are guest-visible (values read from the tail end
// up in saved registers and so in the state hash). A permalink's replay once
// diverged for exactly that reason: the live worker drained at the end of each
// slice (sizes set by wall time), the replay at other instants. This drives
// the page's path deterministically — an early boot with nobody attached, the
// UI attaching, commands, pause, Share, the link replayed by a second
// controller — with a virtual clock that makes every live slice 20,000 cycles
// (never an instant a replay stops at), and checks that both machines empty
// the ring at the same guest instants, all of them functions of guest time,
// and that the replay arrives at the recorded state.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HDR_TAIL } from '../../src/board/devices/trace.ts';
import type { Machine } from '../../src/board/machine.ts';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL } from '../../src/cli/os-session.ts';
import type { HostTimers } from '../../src/host/host-timers.ts';
import { MachineController } from '../../src/host/machine-controller.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import type { HostBatch } from '../../src/host/protocol.ts';
import type { ShareLink } from '../../src/host/replay/share-host.ts';
import { TRACE_DRAIN_CYCLES } from '../../src/host/replay/trace-drain.ts';

const image = new Uint8Array(readFileSync(KERNEL));
const initrd = osArchive(loadOsSource());
const live: MachineController[] = [];
afterEach(() => { for (const c of live.splice(0)) c.shutdown(); });

/**
 * Host time that stands still while a slice runs (so the slice sizer never
 * grows the 20,000-cycle first slices) and jumps when a timer fires (timers
 * fire at once: idle waits cost no wall time).
 */
class VirtualTimers implements HostTimers {
  private t = 0;
  now(): number { return this.t; }
  after(ms: number, fn: () => void): () => void {
    const at = this.t + ms;
    const id = setTimeout(() => { this.t = Math.max(this.t, at); fn(); }, 0);
    return () => clearTimeout(id);
  }
  yieldToEvents(): Promise<void> { return new Promise((r) => setImmediate(r)); }
}

function controller(): { c: MachineController; text: () => string; sink: (b: HostBatch) => Promise<void> } {
  const c = new MachineController(new VirtualTimers());
  live.push(c);
  let text = '';
  const dec = new TextDecoder();
  return { c, text: () => text, sink: (b) => { if (b.serial) text += dec.decode(b.serial, { stream: true }); return Promise.resolve(); } };
}

/**
 * The guest cycle counts at which the host's drains of `c`'s machine's trace
 * ring change the ring (move its tail), from now on.
 */
function drainInstants(c: MachineController): number[] {
  // The controller keeps its machine private; the test reads it to watch the ring.
  const m = (c as unknown as { machine: Machine }).machine;
  const trace = m.trace!;
  const drain = trace.drain.bind(trace);
  const tail = (): number => (trace.ring ? m.dma.readU32(trace.ring.base + HDR_TAIL) : 0);
  const at: number[] = [];
  trace.drain = (max) => {
    const before = tail();
    const batch = drain(max);
    if (tail() !== before) at.push(m.cycles);
    return batch;
  };
  return at;
}

async function until(pred: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const prompts = (s: string): number => s.split('shell> ').length - 1;

describe('trace drain instants', () => {
  it('live and replayed machines drain the trace at the same guest instants, so the replay reaches the recorded state', async () => {
    const a = controller();
    a.c.boot({ image, initrd, bootargs: '', memMiB: 128, trace: true }, null);
    const liveDrains = drainInstants(a.c);
    await new Promise((r) => setTimeout(r, 20));
    a.c.attach(a.sink);
    await until(() => prompts(a.text()) >= 1, 'the prompt');
    a.c.sendInput(new TextEncoder().encode('ping\r'));
    await until(() => prompts(a.text()) >= 2, 'ping');
    a.c.sendInput(new TextEncoder().encode('counter-client 3\r'));
    await until(() => prompts(a.text()) >= 3, 'counter-client');
    a.c.pause();
    const link = await a.c.share.link() as ShareLink;
    expect(link.warning).toBeNull();
    expect(liveDrains.length).toBeGreaterThan(10);
    expect(liveDrains.filter((c) => c % TRACE_DRAIN_CYCLES !== 0)).toEqual([]);

    const b = controller();
    expect(await b.c.share.open(link.packed, { image, initrd, bootargs: '' })).toMatchObject({ ok: true });
    b.c.boot({ image, initrd, bootargs: '', memMiB: 128 }, b.sink);
    const replayDrains = drainInstants(b.c);
    await until(() => b.c.share.replayProgress()?.state !== 'replaying', 'the replay');
    expect(replayDrains).toEqual(liveDrains);
    expect(b.c.share.replayProgress()).toMatchObject({ state: 'done', hash: link.hash, cycles: link.cycles });
    await until(() => b.text() === a.text(), 'the same console text');
  }, 60_000);
});
