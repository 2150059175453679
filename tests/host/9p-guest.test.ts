// A bare-metal guest (tests/guest/9p) drives the board's virtio-9p device
// with its own 9P2000.L client: it reads files this test put in the host
// tree, creates and writes one, makes a directory, unlinks a file and lists
// the root. The test checks its transcript, then reads what the guest wrote
// back from the host tree. The same image runs on QEMU against a real
// directory shared with -fsdev, and must print the same transcript.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { guestClock } from '../../src/host/9p/guest-clock.ts';
import { NinePServer } from '../../src/host/9p/server.ts';
import { HostTree } from '../../src/host/9p/tree.ts';
import { runUntilStopped } from '../helpers/board-run.ts';
import { hasQemu, runQemu } from '../helpers/qemu.ts';

const IMAGE = new Uint8Array(readFileSync(fileURLToPath(new URL('../guest/9p/9p.elf', import.meta.url))));
const HELLO = 'hello from the host\n';
const BIG = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37 + 11) & 0xff);
const WRITTEN = 'written by the guest over virtio-9p\n';

function fnv1a(b: Uint8Array): number {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0;
  return h;
}

const EXPECTED = [
  '9p guest',
  'mount tag "host"',
  'Rversion 9P2000.L, msize accepted',
  'Rattach: the root is a directory',
  'Twalk missing.txt: Rlerror 2',
  'Twalk hello.txt: 1 qid, a file',
  `Tread hello.txt: ${HELLO.length} bytes "hello from the host\\n"`,
  `Tread big.bin: ${BIG.length} bytes in 5 reads, fnv1a 0x${fnv1a(BIG).toString(16).padStart(8, '0')}`,
  'Tlcreate out.txt: a file',
  `Twrite out.txt: ${WRITTEN.length} bytes`,
  `Tgetattr out.txt: mode 100644, size ${WRITTEN.length}`,
  'Tmkdir made-by-guest: a directory',
  'Tunlinkat scratch.txt: then Twalk gives Rlerror 2',
  'Treaddir /: 6 entries',
  '  dir  .',
  '  dir  ..',
  '  file big.bin',
  '  file hello.txt',
  '  dir  made-by-guest',
  '  file out.txt',
  'PASS',
  '',
].join('\n');

function hostTree(): HostTree {
  const tree = new HostTree();
  tree.writeFile('/hello.txt', HELLO);
  tree.writeFile('/big.bin', BIG);
  return tree;
}

function boot(virtio: 'legacy' | 'modern', tree = hostTree()) {
  const m = new Machine({ image: IMAGE, virtio, hostFs: new NinePServer(tree) });
  tree.clock = guestClock(m);
  let out = '';
  m.onSerial = (b) => { out += new TextDecoder().decode(b); };
  return { m, tree, output: () => out };
}

describe('a bare-metal 9P client on the board', () => {
  for (const virtio of ['legacy', 'modern'] as const) {
    it(`${virtio} virtio-mmio: prints the expected transcript, and its file lands in the host tree`, () => {
      const { m, tree, output } = boot(virtio);
      const stop = runUntilStopped(m, 50_000_000);
      expect(output()).toBe(EXPECTED);
      expect(stop).toEqual({ kind: 'poweroff', code: 0 });
      expect(tree.readText('/out.txt')).toBe(WRITTEN);
      expect(tree.stat('/made-by-guest')).toMatchObject({ kind: 'dir', mode: 0o755 });
      expect(tree.exists('/scratch.txt')).toBe(false);
      expect(tree.readFile('/big.bin')).toEqual(BIG);
      // Times are guest time on the board's RTC: 2026-01-01 plus at most the run's length.
      const mtime = tree.stat('/out.txt')!.mtimeMs;
      expect(mtime).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
      expect(mtime).toBeLessThanOrEqual(Date.UTC(2026, 0, 1) + m.cycles / 1e5);
    });
  }

  it('is deterministic, and a snapshot taken mid-session resumes to the same end', () => {
    const whole = boot('legacy');
    runUntilStopped(whole.m, 50_000_000);
    const again = boot('legacy');
    runUntilStopped(again.m, 50_000_000);
    expect(again.m.stateHash()).toBe(whole.m.stateHash());
    expect(again.m.cycles).toBe(whole.m.cycles);

    // Stop halfway (the session is open: fids, a negotiated msize, a partly written tree).
    const first = boot('legacy');
    runUntilStopped(first.m, Math.floor(whole.m.cycles / 2), 100_000);
    expect(first.output()).not.toBe(whole.output());
    const blob = first.m.snapshot();
    const tree = new HostTree();
    tree.writeFile('/stale', 'replaced by the snapshot');
    const resumed = Machine.fromSnapshot(blob, { hostFs: new NinePServer(tree) });
    tree.clock = guestClock(resumed);
    let rest = '';
    resumed.onSerial = (b) => { rest += new TextDecoder().decode(b); };
    expect(runUntilStopped(resumed, 50_000_000)).toEqual({ kind: 'poweroff', code: 0 });
    expect(first.output() + rest).toBe(whole.output());
    expect(resumed.stateHash()).toBe(whole.m.stateHash());
    expect(tree.entries()).toEqual(whole.tree.entries());
    expect(tree.readText('/out.txt')).toBe(WRITTEN);
  });

  it('a file the host writes right after a restore gets the time it gets on the original board', () => {
    // The board syncs its clock lazily (timer deadlines, device access); the host's
    // writes between slices must read guest time exactly, as a restore or replay sees it.
    const first = boot('legacy');
    const rtc = (cycles: number): number => Date.UTC(2026, 0, 1) + Math.floor(cycles * 10) / 1e6;
    for (let i = 0; i < 200 && first.m.cycles < 5_000_000; i++) {
      first.m.run(12_345);
      expect(guestClock(first.m)()).toBe(rtc(first.m.cycles));
    }
    const resumed = Machine.fromSnapshot(first.m.snapshot(), { hostFs: new NinePServer(new HostTree()) });
    expect(guestClock(resumed)()).toBe(guestClock(first.m)());
  });

  it('a snapshot of a board with hostFs needs the hostFs object back', () => {
    const { m } = boot('legacy');
    runUntilStopped(m, 100_000);
    expect(() => Machine.fromSnapshot(m.snapshot())).toThrow(/virtio device 9/);
  });
});

describe.skipIf(!hasQemu())('the same client against QEMU 7.2 and a real shared directory', () => {
  it('prints the same transcript and writes the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmos-9p-'));
    try {
      writeFileSync(join(dir, 'hello.txt'), HELLO);
      writeFileSync(join(dir, 'big.bin'), BIG);
      const elf = join(dir, '..', `${dir.split('/').pop()}.elf`);
      writeFileSync(elf, IMAGE);
      try {
        const q = await runQemu(elf, {
          timeoutMs: 60_000,
          extraArgs: ['-fsdev', `local,id=host0,path=${dir},security_model=none`, '-device', 'virtio-9p-device,fsdev=host0,mount_tag=host'],
        });
        expect(q.timedOut).toBe(false);
        expect(new TextDecoder().decode(q.stdout)).toBe(EXPECTED);
        expect(q.status).toBe(0);
        expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(WRITTEN);
        expect(existsSync(join(dir, 'scratch.txt'))).toBe(false);
      } finally {
        rmSync(elf, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
