// The host tree's API for the UI and the CLI: files and directories by path,
// limits, the clock, change events (with their origin), and snapshots.
import { describe, expect, it } from 'vitest';
import { StateReader, StateWriter } from '../../src/board/state-stream.ts';
import { EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, FsError } from '../../src/host/9p/errno.ts';
import { NinePServer } from '../../src/host/9p/server.ts';
import { HostTree, type TreeChange } from '../../src/host/9p/tree.ts';
import { guestClock } from '../../src/host/9p/guest-clock.ts';
import { TestClient, text } from './9p-test-client.ts';

function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof FsError) return e.errno;
    throw e;
  }
  throw new Error('did not throw');
}

describe('host tree: files and directories by path', () => {
  it('writes files (creating parents), reads them back as copies, replaces them in place', () => {
    const t = new HostTree();
    t.writeFile('/a/b/c.txt', 'one');
    t.writeFile('top.bin', Uint8Array.of(1, 2, 3));
    expect(t.readText('/a/b/c.txt')).toBe('one');
    const copy = t.readFile('/top.bin');
    copy[0] = 99;
    expect(t.readFile('top.bin')).toEqual(Uint8Array.of(1, 2, 3));
    const v = t.stat('/a/b/c.txt')!.version;
    t.writeFile('/a/b/c.txt', 'two!');
    expect(t.stat('/a/b/c.txt')).toMatchObject({ kind: 'file', size: 4, mode: 0o644, name: 'c.txt', path: '/a/b/c.txt' });
    expect(t.stat('/a/b/c.txt')!.version).not.toBe(v);
    t.writeFile('/exe', 'x', { mode: 0o755 });
    expect(t.stat('/exe')!.mode).toBe(0o755);
  });

  it('the data given is copied, not kept', () => {
    const t = new HostTree();
    const data = Uint8Array.of(1, 2, 3);
    t.writeFile('/f', data);
    data[0] = 7;
    expect(t.readFile('/f')[0]).toBe(1);
  });

  it('lists directories in creation order and walks everything parents-first', () => {
    const t = new HostTree();
    t.writeFile('/z', '');
    t.writeFile('/d/2', '22');
    t.writeFile('/d/1', '1');
    t.mkdir('/d/sub/deeper');
    expect(t.list('/').map((e) => [e.name, e.kind])).toEqual([['z', 'file'], ['d', 'dir']]);
    expect(t.list('/d').map((e) => e.name)).toEqual(['2', '1', 'sub']);
    expect(t.entries().map((e) => e.path)).toEqual(['/z', '/d', '/d/2', '/d/1', '/d/sub', '/d/sub/deeper']);
    expect(t.stat('/d')!.size).toBe(3);
    expect(t.stat('/nope')).toBeNull();
    expect(t.stat('/z/under-a-file')).toBeNull();
    expect(t.exists('/d/sub')).toBe(true);
  });

  it('removes, recursively on request, and clears', () => {
    const t = new HostTree();
    t.writeFile('/d/x/y', 'y');
    t.writeFile('/f', 'f');
    expect(errnoOf(() => t.remove('/d'))).toBe(ENOTEMPTY);
    t.remove('/d', { recursive: true });
    expect(t.exists('/d')).toBe(false);
    t.remove('/f');
    expect(t.list()).toEqual([]);
    expect(errnoOf(() => t.remove('/f'))).toBe(ENOENT);
    expect(errnoOf(() => t.remove('/'))).toBe(EBUSY);
    t.writeFile('/a/b', 'b');
    t.clear();
    expect(t.usage()).toMatchObject({ nodes: 1, bytes: 0 });
  });

  it('renames files and directories', () => {
    const t = new HostTree();
    t.writeFile('/d/f', 'content');
    t.rename('/d/f', '/g');
    t.rename('/d', '/e');
    expect(t.entries().map((e) => e.path)).toEqual(['/g', '/e']);
    t.writeFile('/h', 'other');
    t.rename('/h', '/g');
    expect(t.readText('/g')).toBe('other');
    expect(errnoOf(() => t.rename('/e', '/g'))).toBe(ENOTDIR);
    expect(errnoOf(() => t.rename('/nope', '/x'))).toBe(ENOENT);
  });

  it('reports bad paths and wrong kinds', () => {
    const t = new HostTree();
    t.writeFile('/f', 'x');
    expect(errnoOf(() => t.readFile('/'))).toBe(EISDIR);
    expect(errnoOf(() => t.writeFile('/', 'x'))).toBe(EISDIR);
    expect(errnoOf(() => t.writeFile('/f/g', 'x'))).toBe(ENOTDIR);
    expect(errnoOf(() => t.mkdir('/f'))).toBe(ENOTDIR);
    expect(errnoOf(() => t.readFile('/../etc/passwd'))).toBe(EINVAL);
    expect(errnoOf(() => t.writeFile(`/${'n'.repeat(256)}`, ''))).toBe(ENAMETOOLONG);
    expect(errnoOf(() => t.list('/f'))).toBe(ENOTDIR);
    t.mkdir('/dir');
    expect(errnoOf(() => t.writeFile('/dir', 'x'))).toBe(EISDIR);
    try {
      t.readFile('/missing');
    } catch (e) {
      expect(e).toBeInstanceOf(FsError);
      expect((e as FsError).code).toBe('ENOENT');
      expect((e as FsError).message).toContain('/missing');
    }
  });
});

describe('host tree: limits', () => {
  it('limits file size, total bytes and the number of nodes, for the host too', () => {
    const t = new HostTree({ limits: { maxFileBytes: 100, maxTotalBytes: 150, maxNodes: 4 } });
    expect(errnoOf(() => t.writeFile('/big', new Uint8Array(101)))).toBe(EFBIG);
    expect(t.exists('/big')).toBe(false);
    t.writeFile('/a', new Uint8Array(100));
    expect(errnoOf(() => t.writeFile('/b', new Uint8Array(51)))).toBe(ENOSPC);
    t.writeFile('/a', new Uint8Array(10));
    t.writeFile('/b', new Uint8Array(100));
    expect(t.usage()).toMatchObject({ bytes: 110, nodes: 3 });
    t.mkdir('/c');
    expect(errnoOf(() => t.mkdir('/d'))).toBe(ENOSPC);
    t.remove('/a');
    t.mkdir('/d');
    expect(errnoOf(() => t.writeFile('/d', ''))).toBe(EISDIR);
  });
});

describe('host tree: clock', () => {
  it('stamps times from the clock it is given, and 0 without one', () => {
    let now = 1_000_000_123.456;
    const t = new HostTree({ clock: () => now });
    t.writeFile('/f', 'x');
    expect(t.stat('/f')!.mtimeMs).toBe(1_000_000_123);
    now = 2_000_000_000_000;
    t.writeFile('/f', 'y');
    expect(t.stat('/f')!.mtimeMs).toBe(2_000_000_000_000);
    expect(t.stat('/')!.mtimeMs).toBe(1_000_000_123);
    const d = new HostTree();
    d.writeFile('/f', 'x');
    expect(d.stat('/f')!.mtimeMs).toBe(0);
    const bad = new HostTree({ clock: () => { throw new Error('no clock'); } });
    bad.writeFile('/f', 'x');
    expect(bad.stat('/f')!.mtimeMs).toBe(0);
  });

  it('guestClock reads the board RTC: epoch plus guest time', () => {
    // 250 M cycles at 100 MHz: 2.5 s after the epoch.
    const fake = { config: { rtcEpochNs: 1_767_225_600_000 * 1e6 }, cycles: 250_000_000 };
    expect(guestClock(fake as never)()).toBe(1_767_225_600_000 + 2500);
  });
});

describe('host tree: change events', () => {
  it('reports host and guest changes with their paths and origin', () => {
    const t = new HostTree();
    const seen: TreeChange[] = [];
    const stop = t.onChange((c) => seen.push(c));
    t.writeFile('/d/f', 'x');
    t.rename('/d/f', '/d/g');
    t.remove('/d', { recursive: true });
    expect(seen).toEqual([
      { op: 'create', path: '/d', kind: 'dir', origin: 'host' },
      { op: 'create', path: '/d/f', kind: 'file', origin: 'host' },
      { op: 'write', path: '/d/f', kind: 'file', origin: 'host' },
      { op: 'rename', path: '/d/g', from: '/d/f', kind: 'file', origin: 'host' },
      { op: 'remove', path: '/d/g', kind: 'file', origin: 'host' },
      { op: 'remove', path: '/d', kind: 'dir', origin: 'host' },
    ]);
    seen.length = 0;
    const c = new TestClient(new NinePServer(t));
    c.connect();
    c.ok({ type: 'Tmkdir', dfid: 0, name: 'out', mode: 0o755, gid: 0 });
    c.walk(0, 1, 'out');
    c.ok({ type: 'Tlcreate', fid: 1, name: 'log', flags: 1, mode: 0o644, gid: 0 });
    c.ok({ type: 'Twrite', fid: 1, offset: 0n, data: text('hi') });
    c.ok({ type: 'Tsetattr', fid: 1, valid: 1, mode: 0o600, uid: 0, gid: 0, size: 0n, atimeSec: 0n, atimeNsec: 0n, mtimeSec: 0n, mtimeNsec: 0n });
    expect(seen).toEqual([
      { op: 'create', path: '/out', kind: 'dir', origin: 'guest' },
      { op: 'create', path: '/out/log', kind: 'file', origin: 'guest' },
      { op: 'write', path: '/out/log', kind: 'file', origin: 'guest' },
      { op: 'attr', path: '/out/log', kind: 'file', origin: 'guest' },
    ]);
    stop();
    t.writeFile('/more', '');
    expect(seen).toHaveLength(4);
  });

  it('a listener that throws does not break the operation', () => {
    const t = new HostTree();
    t.onChange(() => { throw new Error('listener bug'); });
    t.writeFile('/f', 'ok');
    expect(t.readText('/f')).toBe('ok');
  });

  it('a restore is one "reset" event', () => {
    const t = new HostTree();
    t.writeFile('/f', 'x');
    const w = new StateWriter();
    t.save(w);
    const u = new HostTree();
    const seen: TreeChange[] = [];
    u.onChange((c) => seen.push(c));
    u.restore(new StateReader(w.finish()));
    expect(seen).toEqual([{ op: 'reset', path: '/', kind: 'dir', origin: 'host' }]);
  });
});

describe('host tree: snapshots', () => {
  it('save → restore → save gives the same bytes and the same tree', () => {
    let now = 5000;
    const t = new HostTree({ clock: () => now });
    t.writeFile('/a/b/c', 'abc');
    now += 10;
    t.writeFile('/a/x', new Uint8Array(70_000).fill(7));
    t.writeFile('/z', 'z');
    t.remove('/a/b/c');
    t.writeFile('/a/b/d', 'd');
    const w = new StateWriter();
    t.save(w);
    const blob = w.finish();
    const u = new HostTree({ clock: () => now });
    u.writeFile('/junk', 'will be replaced');
    const r = new StateReader(blob);
    u.restore(r);
    expect(r.done).toBe(true);
    expect(u.entries()).toEqual(t.entries());
    expect(u.usage()).toEqual(t.usage());
    expect(u.readFile('/a/x')).toEqual(t.readFile('/a/x'));
    const w2 = new StateWriter();
    u.save(w2);
    expect(w2.finish()).toEqual(blob);
    // New nodes continue the id sequence: qid paths are never reused.
    u.writeFile('/new', '');
    t.writeFile('/new', '');
    const w3 = new StateWriter();
    const w4 = new StateWriter();
    u.save(w3);
    t.save(w4);
    expect(w3.finish()).toEqual(w4.finish());
  });

  it('refuses truncated or inconsistent state', () => {
    const t = new HostTree();
    t.writeFile('/a/b', 'b');
    const w = new StateWriter();
    t.save(w);
    const blob = w.finish();
    for (const n of [0, 10, 40, blob.length - 1]) {
      expect(() => new HostTree().restore(new StateReader(blob.subarray(0, n)))).toThrow();
    }
    expect(errnoOf(() => { t.writeFile('/a', 'x'); })).toBe(EISDIR);
    expect(() => t.mkdir('/a/b/c')).toThrow(FsError);
    expect(errnoOf(() => t.create(t.root, 'a', 'dir', 0o755, 0, 0, 'host'))).toBe(EEXIST);
  });
});
