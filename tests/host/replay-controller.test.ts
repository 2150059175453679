// The worker's share path end to end (no page): a live MachineController runs
// the whole OS at wall pace, the user types and uploads a program; its Share
// link is opened by a second controller, which replays it at full speed to
// the same console text, task table and state hash, then accepts input again.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOsSource } from '../../src/cli/os-files.ts';
import { KERNEL } from '../../src/cli/os-session.ts';
import { MachineController } from '../../src/host/machine-controller.ts';
import { osArchive } from '../../src/host/os-archive.ts';
import type { HostBatch } from '../../src/host/protocol.ts';
import { packedFromFragment } from '../../src/host/replay/link.ts';
import type { ShareLink } from '../../src/host/replay/share-host.ts';

const image = new Uint8Array(readFileSync(KERNEL));
const initrd = osArchive(loadOsSource());
const hello = new Uint8Array(readFileSync(new URL('../../servers/build/apps/hello.wasm', import.meta.url)));
const live: MachineController[] = [];
afterEach(() => { for (const c of live.splice(0)) c.shutdown(); });

function controller(): { c: MachineController; text: () => string; sink: (b: HostBatch) => Promise<void> } {
  const c = new MachineController();
  live.push(c);
  let text = '';
  const dec = new TextDecoder();
  return { c, text: () => text, sink: (b) => { if (b.serial) text += dec.decode(b.serial, { stream: true }); return Promise.resolve(); } };
}

async function until(pred: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const count = (s: string, sub: string): number => s.split(sub).length - 1;

describe('Share through the controller', () => {
  it('a link opened in another controller replays to the same console, tasks and state hash', async () => {
    const a = controller();
    a.c.boot({ image, initrd, bootargs: '', memMiB: 64 }, a.sink);
    await until(() => a.text().includes('shell> '), 'the prompt');
    a.c.sendInput(new TextEncoder().encode('ping\r'));
    await until(() => count(a.text(), 'shell> ') >= 2, 'ping');
    const spawned = await a.c.spawnFile('hello.wasm', hello);
    expect(spawned.ok).toBe(true);
    await until(() => a.text().includes('Hello from WasmOS!'), 'hello');
    a.c.pause();
    const link = await a.c.share.link() as ShareLink;
    expect(link.fragment).not.toBeNull();
    expect(link.warning).toBeNull();
    const liveText = a.text();
    const liveTasks = a.c.tasks().map((t) => `${t.id} ${t.name}`);
    expect(a.c.share.stateHash()).toBe(link.hash);

    const b = controller();
    const opened = await b.c.share.open(packedFromFragment(`#${link.fragment!}`)!, { image, initrd, bootargs: 'ignored' });
    expect(opened).toMatchObject({ ok: true, board: { memMiB: 64, bootargs: '' } });
    b.c.boot({ image, initrd, bootargs: 'ignored', memMiB: 128 }, b.sink);
    // Input during the replay is refused: it would not be part of the recording.
    b.c.sendInput(new TextEncoder().encode('ps\r'));
    expect(await b.c.spawnFile('x.wasm', hello)).toMatchObject({ ok: false });
    await until(() => b.c.share.replayProgress()?.state !== 'replaying', 'the replay');
    const p = b.c.share.replayProgress()!;
    expect(p.message).toMatch(/recorded state/);
    expect(p).toMatchObject({ state: 'done', hash: link.hash, cycles: link.cycles });
    expect(b.c.status().state).toBe('paused');
    expect(b.c.share.stateHash()).toBe(link.hash);
    await new Promise((r) => setTimeout(r, 50)); // the last batch
    expect(b.text()).toBe(liveText);
    expect(b.c.tasks().map((t) => `${t.id} ${t.name}`)).toEqual(liveTasks);
    expect(b.c.status()).toMatchObject({ bootargs: '', ramBytes: 64 * 1024 * 1024 });
    // Then the user drives, and sharing again includes the replayed inputs.
    b.c.resume();
    b.c.sendInput(new TextEncoder().encode('uptime\r'));
    await until(() => count(b.text(), 'shell> ') > count(liveText, 'shell> '), 'uptime');
    const again = await b.c.share.link() as ShareLink;
    expect(again.inputs).toBe(link.inputs + 1);
  }, 120_000);

  it('a link from another OS build or a broken link is refused with a clear message', async () => {
    const a = controller();
    const other = image.slice();
    other[other.length - 1] ^= 1;
    const c = a.c.share;
    expect(await c.open(new Uint8Array([1, 2, 3]), { image, initrd, bootargs: '' })).toMatchObject({ ok: false, reason: 'invalid' });
    // A real recording, from a machine that is not running yet, is not available.
    expect(await c.link()).toEqual({ error: 'The machine is not running.' });
    a.c.boot({ image: other, initrd, bootargs: '', memMiB: 64 }, a.sink);
    a.c.pause();
    const link = await c.link() as ShareLink;
    const result = await c.open(link.packed, { image, initrd, bootargs: '' });
    expect(result).toMatchObject({ ok: false, reason: 'build' });
    if (!result.ok) expect(result.message).toMatch(/made with OS build [0-9a-f]{16}; this page runs build [0-9a-f]{16}/);
  });
});
