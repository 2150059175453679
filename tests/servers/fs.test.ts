// The fs server on the board: the real kernel boots fs.wasm and the test
// client (servers/fs/test-client) from a boot archive; the client runs suites
// of requests and prints one "t: " line per request, compared here with what
// the fs server must answer. /host runs against an in-memory HostTree served
// over the board's virtio-9p device (legacy and modern transports), and the
// tree is checked from TypeScript afterwards.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { HostTree, NinePServer, guestClock } from '../../src/host/9p/index.ts';
import { writeBootArchive } from '../../src/host/boot-archive.ts';
import { KERNEL } from '../kernel/wasm-boot.ts';

const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(rel, import.meta.url))));
const kernel = new Uint8Array(readFileSync(KERNEL));
const FS = read('../../servers/build/fs.wasm');
const CLIENT = read('../../servers/build/fs/test-client.wasm');

interface Run {
  /** The client's transcript: its "t: " lines without the prefix. */
  lines: string[];
  out: string;
  tree: HostTree | null;
}

interface RunOptions {
  /** The fs task's quota (default 4M, as init.rc gives it). */
  quota?: string;
  /** Attach a virtio-9p device with this tree (undefined: no device). */
  tree?: HostTree;
  virtio?: 'legacy' | 'modern';
  /** Start a second client running the intruder suite. */
  intruder?: boolean;
  /** Start, before the client, a task that opens files and exits without closing them. */
  leaker?: boolean;
}

function manifestFor(suites: string[], o: RunOptions): string {
  return [
    // The boot task refuses a device the board lacks: no 9P device, no grant.
    `task fs.wasm name=fs provides=fs ${o.tree ? 'device=virtio:9 dma=256K ' : ''}quota=${o.quota ?? '4M'}`,
    ...(o.leaker ? ['task test-client.wasm name=leaker uses=fs arg=leak'] : []),
    `task test-client.wasm name=client uses=fs provides=fstest ${suites.map((s) => `arg=${s}`).join(' ')}`,
    ...(o.intruder ? ['task test-client.wasm name=intruder uses=fs,fstest arg=intruder'] : []),
    '',
  ].join('\n');
}

function runSuites(suites: string[], o: RunOptions = {}): Run {
  const manifest = manifestFor(suites, o);
  const initrd = writeBootArchive([
    { name: 'manifest', data: new TextEncoder().encode(manifest) },
    { name: 'fs.wasm', data: FS },
    { name: 'test-client.wasm', data: CLIENT },
  ]);
  const tree = o.tree ?? null;
  const m = new Machine({
    image: kernel, initrd, memMiB: 128, virtio: o.virtio ?? 'legacy',
    ...(tree ? { hostFs: new NinePServer(tree) } : {}),
  });
  if (tree) tree.clock = guestClock(m);
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  const clients = o.intruder ? 2 : 1;
  while (m.cycles < 1_000_000_000) {
    const r = m.run(4_000_000);
    if (r.kind === 'poweroff' || r.kind === 'reset' || (r.kind === 'idle' && r.until === Infinity)) break;
    if ((out.match(/^boot: task \d+ \((client|intruder)\) exited/gm) ?? []).length >= clients) break;
  }
  out = out.replace(/\r/g, '');
  const exit = /^boot: task \d+ \(client\) exited: (.*)$/m.exec(out)?.[1];
  if (exit !== '0') throw new Error(`client did not finish (exit ${exit}):\n${out}`);
  const lines = out.split('\n').filter((l) => l.startsWith('t: ')).map((l) => l.slice(3));
  return { lines, out, tree };
}

/** The lines of one suite (between its "suite" marker and the next). */
function suite(run: Run, name: string): string[] {
  const start = run.lines.indexOf(`suite ${name}`);
  expect(start, `suite ${name} ran`).toBeGreaterThanOrEqual(0);
  const rest = run.lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('suite ') || l === 'done');
  return end < 0 ? rest : rest.slice(0, end);
}

function fnv1a(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0;
  return `0x${h.toString(16).padStart(8, '0')}`;
}

const N63 = 'n'.repeat(63);
const LONG255 = `/tmp/p/${'/'.repeat(248)}`;

const TMP = [
  'ls /tmp: E_END',
  'mkdir /tmp/d -> ok',
  'mkdir /tmp/d -> E_EXISTS',
  'mkdir /tmp/nope/x -> E_NOT_FOUND',
  'open /tmp/d/a.txt 6 -> ok',
  'write 0 "hello " -> 6',
  'write 6 "world" -> 5',
  'read 0 10 -> E_DENIED',
  'close -> ok',
  'close -> E_BAD_HANDLE',
  'stat /tmp/d/a.txt -> file 11',
  'open /tmp/d/a.txt 1 -> ok',
  'read 0 100 -> 11 "hello world"',
  'read 6 3 -> 3 "wor"',
  'read 11 10 -> 0 ""',
  'read 1000 10 -> 0 ""',
  'read 0 5000 -> 11 "hello world"',
  'write 0 "no" -> E_DENIED',
  'close -> ok',
  'open /tmp/d/a.txt 18 -> ok',
  'write 0 "!" -> 1',
  'close -> ok',
  'open /tmp/d/a.txt 3 -> ok',
  'write 0 "J" -> 1',
  'read 0 100 -> 12 "Jello world!"',
  'close -> ok',
  'open /tmp/d/b.txt 6 -> ok',
  'write 5000 "x" -> 1',
  'close -> ok',
  'stat /tmp/d/b.txt -> file 5001',
  'open /tmp/d/b.txt 1 -> ok',
  'read 4996 10 -> 5 "\\x00\\x00\\x00\\x00x"',
  'close -> ok',
  'open /tmp/d/b.txt 11 -> ok',
  'read 0 10 -> 0 ""',
  'close -> ok',
  'stat /tmp/d/b.txt -> file 0',
  'open /tmp/d/b.txt 3 -> ok',
  'write 4094 "abcd" -> 4',
  'read 4092 10 -> 6 "\\x00\\x00abcd"',
  'close -> ok',
  'open /tmp/big 6 -> ok',
  'fill 10000 -> ok',
  'close -> ok',
  'sum /tmp/big: 10000 bytes in 11 reads, fnv1a 0x9ed756c5',
  'mkdir /tmp/d/sub -> ok',
  'ls /tmp/d: a.txt(file 12) b.txt(file 4098) sub(dir) E_END',
  'open /tmp/d 1 -> E_IS_DIR',
  'open /tmp/d/sub 6 -> E_IS_DIR',
  'open /tmp/missing 1 -> E_NOT_FOUND',
  'open /tmp/d/a.txt 256 -> E_INVALID',
  'read bad handle -> E_BAD_HANDLE',
  'delete /tmp/d -> E_NOT_EMPTY',
  'delete /tmp/d/a.txt -> ok',
  'stat /tmp/d/a.txt -> E_NOT_FOUND',
  'delete /tmp/d/a.txt -> E_NOT_FOUND',
  'delete /tmp/d/sub/ -> ok',
  'delete /tmp/d/b.txt/ -> E_NOT_DIR',
  'delete /tmp/d/b.txt -> ok',
  'delete /tmp/d -> ok',
  'stat /tmp/d -> E_NOT_FOUND',
  'open /tmp/o 7 -> ok',
  'write 0 "still here" -> 10',
  'delete /tmp/o -> ok',
  'stat /tmp/o -> E_NOT_FOUND',
  'read 0 100 -> 10 "still here"',
  'close -> ok',
  'delete /tmp/big -> ok',
  'ls /tmp: E_END'
];

const PATHS = [
  'mkdir /tmp/p -> ok',
  'stat //tmp///p/./f -> file 3',
  'stat /tmp/p/../p/f -> file 3',
  'stat /tmp/../../tmp/p/f -> file 3',
  'stat /tmp/p/ -> dir',
  'stat /tmp/p/f/ -> E_NOT_DIR',
  'stat /tmp/p/f/x -> E_NOT_DIR',
  'stat tmp/p -> E_INVALID',
  'stat  -> E_INVALID',
  'ls /tmp/p/.: f(file 3) E_END',
  `mkdir /tmp/p/${N63} -> ok`,
  `stat /tmp/p/${N63} -> dir`,
  `mkdir /tmp/p/${N63}x -> E_NAME_TOO_LONG`,
  `stat ${LONG255} -> dir`,
  `stat ${LONG255}/ -> E_NAME_TOO_LONG`,
  `delete /tmp/p/${N63} -> ok`,
  'delete /tmp/p/f -> ok',
  'delete /tmp/p -> ok'
];

function hostTree(): HostTree {
  const tree = new HostTree();
  tree.writeFile('/hello.txt', 'hello from the host\n');
  tree.writeFile('/big.bin', BIG);
  tree.writeFile('/dir/keep.txt', 'keep');
  tree.writeFile('/scratch.txt', 'scratch');
  tree.writeFile('/trunc.txt', 'a long text to be cut');
  tree.writeFile(`/${DEEP}/deep.txt`, 'deep down');
  return tree;
}
const BIG = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37 + 11) & 0xff);
const DEEP = 'abcdefghijklmnopqr'.split('').join('/');

const HOST = [
  'ls /host: hello.txt(file 20) big.bin(file 10000) dir(dir) scratch.txt(file 7) trunc.txt(file 21) a(dir) E_END',
  'stat /host -> dir',
  'stat /host/hello.txt -> file 20',
  'open /host/hello.txt 1 -> ok',
  'read 0 100 -> 20 "hello from the host\\x0a"',
  'read 6 4 -> 4 "from"',
  'write 0 "x" -> E_DENIED',
  'close -> ok',
  `sum /host/big.bin: 10000 bytes in 11 reads, fnv1a ${fnv1a(BIG)}`,
  'open /host/out.txt 6 -> ok',
  'write 0 "written by fs" -> 13',
  'write 13 " over 9P" -> 8',
  'close -> ok',
  'stat /host/out.txt -> file 21',
  'mkdir /host/made -> ok',
  'mkdir /host/made -> E_EXISTS',
  'open /host/made/inner.txt 6 -> ok',
  'write 0 "inner" -> 5',
  'close -> ok',
  'ls /host/made: inner.txt(file 5) E_END',
  'open /host/log.txt 22 -> ok',
  'write 0 "one," -> 4',
  'write 0 "two" -> 3',
  'close -> ok',
  'open /host/hello.txt 3 -> ok',
  'write 0 "HELLO" -> 5',
  'close -> ok',
  'open /host/trunc.txt 10 -> ok',
  'write 0 "short" -> 5',
  'close -> ok',
  'open /host/missing 1 -> E_NOT_FOUND',
  'open /host/dir 1 -> E_IS_DIR',
  'open /host/hello.txt/ 1 -> E_NOT_DIR',
  'stat /host/hello.txt/x -> E_NOT_DIR',
  'stat /host/missing/x -> E_NOT_FOUND',
  'ls /host/hello.txt: E_NOT_DIR',
  'mkdir /host/hello.txt -> E_EXISTS',
  'mkdir /host/missing/x -> E_NOT_FOUND',
  'delete /host/dir -> E_NOT_EMPTY',
  'delete /host/scratch.txt -> ok',
  'stat /host/scratch.txt -> E_NOT_FOUND',
  'delete /host/scratch.txt -> E_NOT_FOUND',
  'delete /host/dir/keep.txt -> ok',
  'delete /host/dir -> ok',
  'delete /host -> E_READ_ONLY',
  `stat /host/${DEEP}/deep.txt -> file 9`,
  `open /host/${DEEP}/deep.txt 1 -> ok`,
  'read 0 100 -> 9 "deep down"',
  'close -> ok',
  `stat /host/${DEEP}/none.txt -> E_NOT_FOUND`,
  'stat /host/../host/hello.txt -> file 20',
];

describe('fs server on the board', () => {
  it('/ and /boot: the synthetic root, the boot archive read-only', () => {
    const run = runSuites(['root', 'boot'], { tree: hostTree() });
    expect(run.out).toContain('fs: /boot (3 files), /tmp, /host (9P2000.L, tag "host")');
    expect(suite(run, 'root')).toEqual([
      'stat / -> dir',
      'ls /: boot(dir) tmp(dir) host(dir) E_END',
      'open / 1 -> E_IS_DIR',
      'open /nothing 1 -> E_NOT_FOUND',
      'open /nothing 6 -> E_READ_ONLY',
      'stat /nothing -> E_NOT_FOUND',
      'mkdir / -> E_EXISTS',
      'mkdir /newtop -> E_READ_ONLY',
      'delete / -> E_READ_ONLY',
      'delete /tmp -> E_READ_ONLY',
      'delete /boot -> E_READ_ONLY',
      'mkdir /tmp -> E_EXISTS',
      'ping -> E_UNSUPPORTED',
    ]);
    const manifest = manifestFor(['root', 'boot'], { tree: run.tree! }).length;
    expect(suite(run, 'boot')).toEqual([
      `ls /boot: manifest(file ${manifest}) fs.wasm(file ${FS.length}) test-client.wasm(file ${CLIENT.length}) E_END`,
      'stat /boot -> dir',
      `stat /boot/manifest -> file ${manifest}`,
      'open /boot/manifest 1 -> ok',
      'read 0 4 -> 4 "task"',
      'write 0 "x" -> E_DENIED',
      'close -> ok',
      'open /boot/manifest 2 -> E_READ_ONLY',
      'open /boot/manifest 9 -> E_READ_ONLY',
      'open /boot/new.txt 6 -> E_READ_ONLY',
      'open /boot/missing 1 -> E_NOT_FOUND',
      'open /boot/manifest/ 1 -> E_NOT_DIR',
      'stat /boot/manifest/x -> E_NOT_DIR',
      'ls /boot/manifest: E_NOT_DIR',
      'mkdir /boot/dir -> E_READ_ONLY',
      'delete /boot/manifest -> E_READ_ONLY',
      `sum /boot/fs.wasm: ${FS.length} bytes in ${Math.floor(FS.length / 1024) + 2} reads, fnv1a ${fnv1a(FS)}`,
    ]);
  });

  it('/tmp: files and directories in RAM, and path handling', () => {
    const run = runSuites(['tmp', 'paths']);
    expect(run.out).toContain('fs: /boot (3 files), /tmp, no /host (no virtio-9p device)');
    expect(suite(run, 'tmp')).toEqual(TMP);
    expect(suite(run, 'paths')).toEqual(PATHS);
  });

  it('without a virtio-9p device / lists boot and tmp only', () => {
    const run = runSuites(['root']);
    expect(suite(run, 'root')).toContain('ls /: boot(dir) tmp(dir) E_END');
    expect(suite(run, 'root')).toContain('stat /nothing -> E_NOT_FOUND');
  });

  it('/tmp is bounded by the task quota: E_NO_SPACE, then the space comes back', () => {
    const run = runSuites(['quota', 'tmp'], { quota: '2M' });
    const lines = suite(run, 'quota');
    const full = /^fill -> E_NO_SPACE at (\d+) KiB \(ok\)$/.exec(lines[1] ?? '');
    expect(full, lines.join('\n')).not.toBeNull();
    const kib = Number(full![1]);
    expect(kib).toBeGreaterThanOrEqual(256);
    expect(kib).toBeLessThan(2048);
    expect(lines).toEqual([
      'open /tmp/fill 6 -> ok', lines[1], 'close -> ok', 'delete /tmp/fill -> ok',
      'open /tmp/again 6 -> ok', 'fill 100000 -> ok', 'close -> ok', 'stat /tmp/again -> file 100000', 'delete /tmp/again -> ok',
    ]);
    // The server is fine afterwards: the whole /tmp suite passes.
    expect(suite(run, 'tmp')).toEqual(TMP);
  });

  it("a handle belongs to the task that opened it: another task's use is E_BAD_HANDLE", () => {
    const run = runSuites(['owner'], { intruder: true });
    // The two tasks' lines interleave: keep the owner's.
    const owner = run.lines.filter((l) => !/^(intruder |suite |done$)/.test(l));
    expect(owner).toEqual([
      'open /tmp/mine 7 -> ok',
      'write 0 "owned" -> 5',
      'read 0 10 -> 5 "owned"',
      'close -> ok',
      'delete /tmp/mine -> ok',
    ]);
    expect(run.lines.filter((l) => l.startsWith('intruder '))).toEqual([
      'intruder read -> E_BAD_HANDLE',
      'intruder write -> E_BAD_HANDLE',
      'intruder close -> E_BAD_HANDLE',
    ]);
  });

  it('handles left open by a task that exited are reclaimed when the table fills', () => {
    const run = runSuites(['reclaim'], { leaker: true });
    expect(run.lines).toContain('leak opened 200');
    // Without reclaiming, only 256 - 200 = 56 opens would succeed.
    expect(run.lines.filter((l) => l.startsWith('reclaim '))).toEqual(['reclaim opened 256', 'reclaim closed 256']);
  });

  for (const virtio of ['legacy', 'modern'] as const) {
    it(`/host over virtio-9p (${virtio}): read, write, readdir, mkdir, delete; the host tree shows the changes`, () => {
      const run = runSuites(['host', 'bench'], { tree: hostTree(), virtio });
      expect(suite(run, 'host')).toEqual(HOST);
      // Guest time per 1 KiB request, client and server and kernel together (docs/fs.md has the figures).
      const bench = suite(run, 'bench').map((l) => /^bench (\/\w+): write (\d+) us, read (\d+) us, stat (\d+) us$/.exec(l));
      expect(bench.map((b) => b?.[1])).toEqual(['/tmp', '/host']);
      for (const b of bench) for (const us of b!.slice(2)) expect(Number(us)).toBeLessThan(5000);
      const tree = run.tree!;
      expect(tree.readText('/out.txt')).toBe('written by fs over 9P');
      expect(tree.readText('/made/inner.txt')).toBe('inner');
      expect(tree.stat('/made')).toMatchObject({ kind: 'dir' });
      expect(tree.readText('/log.txt')).toBe('one,two');
      expect(tree.readText('/hello.txt')).toBe('HELLO from the host\n');
      expect(tree.readText('/trunc.txt')).toBe('short');
      expect(tree.exists('/scratch.txt')).toBe(false);
      expect(tree.exists('/dir')).toBe(false);
      expect(tree.readFile('/big.bin')).toEqual(BIG);
    });
  }
});
