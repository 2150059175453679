// The 9P2000.L server against its protocol: every message, the error paths,
// fid lifetimes, walk semantics, readdir offsets, reads split by msize, and
// robustness against whatever a client may send.
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/host/9p/codec.ts';
import { decodeDirents } from '../../src/host/9p/dirent.ts';
import {
  EBADF, EBUSY, EEXIST, EFBIG, EILSEQ, EINVAL, EISDIR, EMFILE, EMSGSIZE, ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR,
  ENOTEMPTY, EOPNOTSUPP, EPROTO, EROFS,
} from '../../src/host/9p/errno.ts';
import type { Message } from '../../src/host/9p/messages.ts';
import {
  AT_REMOVEDIR, DT_DIR, DT_REG, GETATTR_ALL, NOFID, NONUNAME, O_APPEND, O_DIRECTORY, O_RDWR, O_TRUNC, O_WRONLY,
  QTDIR, QTFILE, SETATTR_ATIME, SETATTR_GID, SETATTR_MODE, SETATTR_MTIME, SETATTR_MTIME_SET, SETATTR_SIZE,
  SETATTR_UID, V9FS_MAGIC,
} from '../../src/host/9p/protocol.ts';
import { NinePServer, type NinePServerOptions } from '../../src/host/9p/server.ts';
import { HostTree, type HostTreeOptions } from '../../src/host/9p/tree.ts';
import { StateReader, StateWriter } from '../../src/board/state-stream.ts';
import { str, TestClient, text, type Request } from './9p-test-client.ts';

const T0 = 1_767_225_600_000; // 2026-01-01 in ms

function setup(opts: { tree?: HostTreeOptions; server?: NinePServerOptions; msize?: number; connect?: boolean } = {}) {
  let now = T0;
  const tree = new HostTree({ clock: () => now, ...opts.tree });
  tree.writeFile('/hello.txt', 'hello, guest\n');
  tree.writeFile('/docs/a.md', '# A\n');
  tree.writeFile('/docs/b.md', '# B\n');
  tree.mkdir('/docs/empty');
  const server = new NinePServer(tree, opts.server);
  const c = new TestClient(server);
  if (opts.connect ?? true) c.connect(opts.msize ?? 8192);
  return { tree, server, c, tick: (ms: number) => { now += ms; } };
}

describe('version and session', () => {
  it('negotiates msize down to the server maximum and speaks only 9P2000.L', () => {
    const { c, server } = setup({ connect: false, server: { maxMsize: 65536 } });
    expect(c.ok({ type: 'Tversion', msize: 1 << 20, version: '9P2000.L' })).toMatchObject({ msize: 65536, version: '9P2000.L' });
    expect(server.sessionMsize).toBe(65536);
    expect(c.ok({ type: 'Tversion', msize: 4096, version: '9P2000.L' }).msize).toBe(4096);
    expect(c.ok({ type: 'Tversion', msize: 4096, version: '9P2000.u' })).toMatchObject({ version: 'unknown' });
    expect(server.sessionMsize).toBe(0);
    expect(c.err({ type: 'Tattach', fid: 0, afid: NOFID, uname: '', aname: '', nUname: 0 })).toBe(EPROTO);
  });

  it('refuses a tiny msize and anything before Tversion', () => {
    const { c } = setup({ connect: false });
    expect(c.err({ type: 'Tclunk', fid: 0 })).toBe(EPROTO);
    expect(c.err({ type: 'Tversion', msize: 100, version: '9P2000.L' })).toBe(EINVAL);
    expect(c.err({ type: 'Tstatfs', fid: 0 })).toBe(EPROTO);
  });

  it('a new Tversion clunks every fid', () => {
    const { c, server } = setup();
    c.walk(0, 1, 'hello.txt');
    expect(server.fidCount).toBe(2);
    c.ok({ type: 'Tversion', msize: 8192, version: '9P2000.L' });
    expect(server.fidCount).toBe(0);
    expect(c.err({ type: 'Tclunk', fid: 0 })).toBe(EBADF);
  });

  it('reset() ends the session like a device reset', () => {
    const { c, server } = setup();
    server.reset();
    expect(server.fidCount).toBe(0);
    expect(c.err({ type: 'Tclunk', fid: 0 })).toBe(EPROTO);
  });

  it('answers messages over msize with EMSGSIZE, replies-as-requests with EPROTO, others with EOPNOTSUPP', () => {
    const { c, server } = setup({ msize: 1024 });
    const big = c.send({ type: 'Twrite', fid: 0, offset: 0n, data: new Uint8Array(2000) });
    expect(big).toMatchObject({ type: 'Rlerror', ecode: EMSGSIZE });
    expect(c.err({ type: 'Rclunk' } as never)).toBe(EPROTO);
    expect(c.err({ type: 'Tauth', afid: 1, uname: '', aname: '', nUname: 0 })).toBe(EOPNOTSUPP);
    for (const type of [16, 18, 22, 30, 32, 52, 54, 70, 112, 114, 124, 126]) {
      const raw = Uint8Array.of(11, 0, 0, 0, type, 0x34, 0x12, 0, 0, 0, 0);
      expect(decode(server.handle(raw)!)).toMatchObject({ ok: true, msg: { type: 'Rlerror', tag: 0x1234, ecode: EOPNOTSUPP } });
    }
  });

  it('answers Tflush (everything completes at once) and Tfsync', () => {
    const { c } = setup();
    expect(c.ok({ type: 'Tflush', oldtag: 7 }).type).toBe('Rflush');
    expect(c.ok({ type: 'Tfsync', fid: 0, datasync: 1 }).type).toBe('Rfsync');
    expect(c.err({ type: 'Tfsync', fid: 9, datasync: 0 })).toBe(EBADF);
  });
});

describe('attach', () => {
  it('gives the root directory qid', () => {
    const { c } = setup({ connect: false });
    c.ok({ type: 'Tversion', msize: 8192, version: '9P2000.L' });
    const r = c.ok({ type: 'Tattach', fid: 5, afid: NOFID, uname: 'u', aname: '', nUname: 1000 });
    expect(r.qid).toEqual({ type: QTDIR, version: expect.any(Number), path: 1n });
    expect(c.err({ type: 'Tattach', fid: 5, afid: NOFID, uname: 'u', aname: '', nUname: 0 })).toBe(EBADF);
    expect(c.err({ type: 'Tattach', fid: 6, afid: 3, uname: 'u', aname: '', nUname: 0 })).toBe(EBADF);
    expect(c.err({ type: 'Tattach', fid: NOFID, afid: NOFID, uname: 'u', aname: '', nUname: 0 })).toBe(EBADF);
  });

  it('aname picks a subdirectory, and ".." cannot leave it', () => {
    const { c } = setup({ connect: false });
    c.connect(8192, 0, '/docs');
    const up = c.walk(0, 1, '..', '..', 'a.md');
    expect(up.wqids).toHaveLength(3);
    expect(up.wqids[0]!.path).toBe(up.wqids[1]!.path);
    expect(str(c.readFile(0, 2, ['a.md']))).toBe('# A\n');
    const names = c.readdirAll(0, 4).map((d) => d.name);
    expect(names).toEqual(['.', '..', 'a.md', 'b.md', 'empty']);
    expect(c.err({ type: 'Tattach', fid: 9, afid: NOFID, uname: '', aname: '/nope', nUname: 0 })).toBe(ENOENT);
    expect(c.err({ type: 'Tattach', fid: 9, afid: NOFID, uname: '', aname: 'hello.txt', nUname: 0 })).toBe(ENOTDIR);
  });
});

describe('walk', () => {
  it('clones with no names, also onto itself', () => {
    const { c, server } = setup();
    expect(c.walk(0, 1).wqids).toEqual([]);
    expect(c.walk(1, 1).wqids).toEqual([]);
    expect(server.fidCount).toBe(2);
  });

  it('returns one qid per name and binds newfid to the last', () => {
    const { c, tree } = setup();
    const r = c.walk(0, 1, 'docs', 'a.md');
    expect(r.wqids.map((q) => q.type)).toEqual([QTDIR, QTFILE]);
    const a = c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL });
    expect(a.qid).toEqual(r.wqids[1]);
    expect(a.size).toBe(BigInt(tree.readFile('/docs/a.md').length));
  });

  it('walks ".." to the parent and stays at the root', () => {
    const { c } = setup();
    const r = c.walk(0, 1, 'docs', '..', '..', 'docs', 'empty', '..');
    expect(r.wqids.map((q) => q.path)).toEqual([r.wqids[0]!.path, 1n, 1n, r.wqids[0]!.path, r.wqids[4]!.path, r.wqids[0]!.path]);
  });

  it('a partial walk returns the qids so far and leaves newfid unbound', () => {
    const { c } = setup();
    const r = c.walk(0, 1, 'docs', 'missing', 'x');
    expect(r.wqids).toHaveLength(1);
    expect(c.err({ type: 'Tclunk', fid: 1 })).toBe(EBADF);
    const through = c.walk(0, 1, 'hello.txt', 'x');
    expect(through.wqids).toHaveLength(1);
    expect(c.err({ type: 'Tclunk', fid: 1 })).toBe(EBADF);
  });

  it('fails when the first name fails', () => {
    const { c } = setup();
    expect(c.err({ type: 'Twalk', fid: 0, newfid: 1, wnames: ['nope'] })).toBe(ENOENT);
    c.walk(0, 2, 'hello.txt');
    expect(c.err({ type: 'Twalk', fid: 2, newfid: 3, wnames: ['x'] })).toBe(ENOTDIR);
    expect(c.err({ type: 'Twalk', fid: 0, newfid: 1, wnames: ['a/b'] })).toBe(ENOENT);
  });

  it('checks fids and the name count', () => {
    const { c } = setup();
    expect(c.err({ type: 'Twalk', fid: 9, newfid: 1, wnames: [] })).toBe(EBADF);
    c.walk(0, 1);
    expect(c.err({ type: 'Twalk', fid: 0, newfid: 1, wnames: [] })).toBe(EBADF);
    expect(c.err({ type: 'Twalk', fid: 0, newfid: 2, wnames: Array(17).fill('docs') })).toBe(EINVAL);
    expect(c.walk(0, 2, ...Array(16).fill('.')).wqids).toHaveLength(16);
    c.walk(0, 3, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 3, flags: 0 });
    expect(c.err({ type: 'Twalk', fid: 3, newfid: 3, wnames: [] })).toBe(EINVAL);
    expect(c.walk(3, 4).wqids).toEqual([]);
  });
});

describe('open, read and write', () => {
  it('reads a file, and a read past the end is empty', () => {
    const { c } = setup();
    c.walk(0, 1, 'hello.txt');
    const o = c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(o.qid.type).toBe(QTFILE);
    expect(o.iounit).toBe(8192 - 24);
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 5 }).data)).toBe('hello');
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 7n, count: 100 }).data)).toBe('guest\n');
    expect(c.ok({ type: 'Tread', fid: 1, offset: 13n, count: 100 }).data.length).toBe(0);
    expect(c.ok({ type: 'Tread', fid: 1, offset: 1n << 62n, count: 100 }).data.length).toBe(0);
  });

  it('splits large reads by msize and by the reply buffer', () => {
    const { c, tree } = setup({ msize: 4096 });
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff);
    tree.writeFile('/big.bin', big);
    c.walk(0, 1, 'big.bin');
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    const r = c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 65536 });
    expect(r.data.length).toBe(4096 - 11);
    expect(encode(r).length).toBe(4096);
    c.maxReply = 1000;
    expect(c.ok({ type: 'Tread', fid: 1, offset: 5n, count: 65536 }).data).toEqual(big.subarray(5, 5 + 989));
    c.maxReply = 1 << 20;
    expect(c.readFile(0, 2, ['big.bin'], 65536)).toEqual(big);
  });

  it('checks the open mode', () => {
    const { c } = setup();
    c.walk(0, 1, 'hello.txt');
    expect(c.err({ type: 'Tread', fid: 1, offset: 0n, count: 1 })).toBe(EBADF);
    expect(c.err({ type: 'Tlopen', fid: 1, flags: 3 })).toBe(EINVAL);
    expect(c.err({ type: 'Tlopen', fid: 1, flags: O_DIRECTORY })).toBe(ENOTDIR);
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(c.err({ type: 'Tlopen', fid: 1, flags: 0 })).toBe(EINVAL);
    expect(c.err({ type: 'Twrite', fid: 1, offset: 0n, data: text('x') })).toBe(EBADF);
    c.walk(0, 2, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 2, flags: O_WRONLY });
    expect(c.err({ type: 'Tread', fid: 2, offset: 0n, count: 1 })).toBe(EBADF);
    c.walk(0, 3, 'docs');
    expect(c.err({ type: 'Tlopen', fid: 3, flags: O_RDWR })).toBe(EISDIR);
    c.ok({ type: 'Tlopen', fid: 3, flags: O_DIRECTORY });
    expect(c.err({ type: 'Tread', fid: 3, offset: 0n, count: 10 })).toBe(EISDIR);
    expect(c.err({ type: 'Tread', fid: 42, offset: 0n, count: 10 })).toBe(EBADF);
  });

  it('writes, zero-fills gaps, truncates on O_TRUNC and appends on O_APPEND', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 1, flags: O_RDWR });
    expect(c.ok({ type: 'Twrite', fid: 1, offset: 0n, data: text('HELLO') }).count).toBe(5);
    expect(tree.readText('/hello.txt')).toBe('HELLO, guest\n');
    c.ok({ type: 'Twrite', fid: 1, offset: 15n, data: text('!') });
    expect(tree.readFile('/hello.txt')).toEqual(Uint8Array.from([...text('HELLO, guest\n'), 0, 0, ...text('!')]));
    c.walk(0, 2, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 2, flags: O_WRONLY | O_TRUNC });
    expect(tree.readFile('/hello.txt').length).toBe(0);
    c.walk(0, 3, 'docs', 'a.md');
    c.ok({ type: 'Tlopen', fid: 3, flags: O_WRONLY | O_APPEND });
    c.ok({ type: 'Twrite', fid: 3, offset: 0n, data: text('more\n') });
    expect(tree.readText('/docs/a.md')).toBe('# A\nmore\n');
  });

  it('enforces the size limits', () => {
    const { c } = setup({ tree: { limits: { maxFileBytes: 1000, maxTotalBytes: 1500 } } });
    c.walk(0, 1, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 1, flags: O_RDWR });
    expect(c.err({ type: 'Twrite', fid: 1, offset: 999n, data: text('ab') })).toBe(EFBIG);
    expect(c.err({ type: 'Twrite', fid: 1, offset: 1n << 60n, data: text('a') })).toBe(EFBIG);
    c.ok({ type: 'Twrite', fid: 1, offset: 0n, data: new Uint8Array(1000) });
    c.walk(0, 2);
    c.ok({ type: 'Tlcreate', fid: 2, name: 'new', flags: O_RDWR, mode: 0o644, gid: 0 });
    expect(c.err({ type: 'Twrite', fid: 2, offset: 0n, data: new Uint8Array(600) })).toBe(ENOSPC);
  });
});

describe('create, mkdir, remove', () => {
  it('lcreate makes a file and leaves the fid open on it', () => {
    const { c, tree } = setup();
    c.walk(0, 1);
    const r = c.ok({ type: 'Tlcreate', fid: 1, name: 'new.txt', flags: O_RDWR, mode: 0o600, gid: 7 });
    expect(r.qid.type).toBe(QTFILE);
    expect(r.iounit).toBe(8192 - 24);
    c.ok({ type: 'Twrite', fid: 1, offset: 0n, data: text('made by the guest') });
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 100 }).data)).toBe('made by the guest');
    expect(tree.readText('/new.txt')).toBe('made by the guest');
    const a = c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL });
    expect(a.mode).toBe(0o100600);
    expect(a.gid).toBe(7);
    expect(a.qid).toEqual({ ...r.qid, version: a.qid.version });
  });

  it('lcreate and mkdir refuse bad names, existing names and non-directories', () => {
    const { c } = setup();
    for (const name of ['', '.', '..', 'a/b']) {
      c.walk(0, 1);
      expect(c.err({ type: 'Tlcreate', fid: 1, name, flags: 0, mode: 0o644, gid: 0 })).toBe(EINVAL);
      expect(c.err({ type: 'Tmkdir', dfid: 0, name, mode: 0o755, gid: 0 })).toBe(EINVAL);
      c.ok({ type: 'Tclunk', fid: 1 });
    }
    c.walk(0, 1);
    expect(c.err({ type: 'Tlcreate', fid: 1, name: 'x'.repeat(256), flags: 0, mode: 0o644, gid: 0 })).toBe(ENAMETOOLONG);
    expect(c.err({ type: 'Tlcreate', fid: 1, name: 'hello.txt', flags: 0, mode: 0o644, gid: 0 })).toBe(EEXIST);
    expect(c.err({ type: 'Tmkdir', dfid: 0, name: 'docs', mode: 0o755, gid: 0 })).toBe(EEXIST);
    c.walk(0, 2, 'hello.txt');
    expect(c.err({ type: 'Tlcreate', fid: 2, name: 'x', flags: 0, mode: 0o644, gid: 0 })).toBe(ENOTDIR);
    expect(c.err({ type: 'Tmkdir', dfid: 2, name: 'x', mode: 0o755, gid: 0 })).toBe(ENOTDIR);
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(c.err({ type: 'Tlcreate', fid: 1, name: 'y', flags: 0, mode: 0o644, gid: 0 })).toBe(EINVAL);
  });

  it('mkdir makes a directory the guest can fill', () => {
    const { c, tree } = setup();
    const q = c.ok({ type: 'Tmkdir', dfid: 0, name: 'out', mode: 0o750, gid: 0 }).qid;
    expect(q.type).toBe(QTDIR);
    c.walk(0, 1, 'out');
    c.ok({ type: 'Tlcreate', fid: 1, name: 'f', flags: O_WRONLY, mode: 0o644, gid: 0 });
    expect(tree.list('/out').map((e) => e.name)).toEqual(['f']);
    expect(tree.stat('/out')!.mode).toBe(0o750);
  });

  it('remove deletes and always clunks', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'hello.txt');
    c.ok({ type: 'Tremove', fid: 1 });
    expect(tree.exists('/hello.txt')).toBe(false);
    expect(c.err({ type: 'Tclunk', fid: 1 })).toBe(EBADF);
    c.walk(0, 2, 'docs');
    expect(c.err({ type: 'Tremove', fid: 2 })).toBe(ENOTEMPTY);
    expect(c.err({ type: 'Tclunk', fid: 2 })).toBe(EBADF);
    c.walk(0, 3);
    expect(c.err({ type: 'Tremove', fid: 3 })).toBe(EBUSY);
    expect(c.err({ type: 'Tclunk', fid: 3 })).toBe(EBADF);
    c.walk(0, 4, 'docs', 'empty');
    c.ok({ type: 'Tremove', fid: 4 });
    expect(tree.exists('/docs/empty')).toBe(false);
  });

  it('unlinkat removes files, and directories only with AT_REMOVEDIR', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'docs');
    expect(c.err({ type: 'Tunlinkat', dirfid: 1, name: 'empty', flags: 0 })).toBe(EISDIR);
    expect(c.err({ type: 'Tunlinkat', dirfid: 1, name: 'a.md', flags: AT_REMOVEDIR })).toBe(ENOTDIR);
    expect(c.err({ type: 'Tunlinkat', dirfid: 1, name: 'zz', flags: 0 })).toBe(ENOENT);
    expect(c.err({ type: 'Tunlinkat', dirfid: 1, name: 'a.md', flags: 1 })).toBe(EINVAL);
    expect(c.err({ type: 'Tunlinkat', dirfid: 0, name: 'docs', flags: AT_REMOVEDIR })).toBe(ENOTEMPTY);
    expect(c.err({ type: 'Tunlinkat', dirfid: 1, name: '..', flags: AT_REMOVEDIR })).toBe(EINVAL);
    c.ok({ type: 'Tunlinkat', dirfid: 1, name: 'a.md', flags: 0 });
    c.ok({ type: 'Tunlinkat', dirfid: 1, name: 'empty', flags: AT_REMOVEDIR });
    expect(tree.list('/docs').map((e) => e.name)).toEqual(['b.md']);
    // The fid of the directory itself stays usable (unlinkat does not clunk).
    expect(c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL }).nlink).toBe(2n);
  });

  it('a read-only tree refuses every change from the guest with EROFS', () => {
    const { c, tree } = setup({ tree: { readOnly: true } });
    c.walk(0, 1);
    expect(c.err({ type: 'Tlcreate', fid: 1, name: 'n', flags: 0, mode: 0o644, gid: 0 })).toBe(EROFS);
    expect(c.err({ type: 'Tmkdir', dfid: 0, name: 'n', mode: 0o755, gid: 0 })).toBe(EROFS);
    expect(c.err({ type: 'Tunlinkat', dirfid: 0, name: 'hello.txt', flags: 0 })).toBe(EROFS);
    expect(c.err({ type: 'Trenameat', olddirfid: 0, oldname: 'hello.txt', newdirfid: 0, newname: 'x' })).toBe(EROFS);
    c.walk(0, 2, 'hello.txt');
    expect(c.err({ type: 'Tlopen', fid: 2, flags: O_WRONLY })).toBe(EROFS);
    expect(c.err({ type: 'Tsetattr', fid: 2, valid: SETATTR_MODE, mode: 0, uid: 0, gid: 0, size: 0n, atimeSec: 0n, atimeNsec: 0n, mtimeSec: 0n, mtimeNsec: 0n })).toBe(EROFS);
    expect(str(c.readFile(0, 3, ['hello.txt']))).toBe('hello, guest\n');
    tree.writeFile('/hello.txt', 'the host still can');
    expect(str(c.readFile(0, 3, ['hello.txt']))).toBe('the host still can');
  });
});

describe('an unlinked file stays usable through open fids', () => {
  it('reads and writes after the unlink, and is freed at the last clunk', () => {
    const { c, tree } = setup();
    const before = tree.usage();
    c.walk(0, 1, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 1, flags: O_RDWR });
    c.walk(0, 2, 'hello.txt');
    c.ok({ type: 'Tunlinkat', dirfid: 0, name: 'hello.txt', flags: 0 });
    expect(tree.exists('/hello.txt')).toBe(false);
    c.ok({ type: 'Twrite', fid: 1, offset: 0n, data: text('still here') });
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 100 }).data)).toBe('still herest\n');
    expect(c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL }).nlink).toBe(0n);
    expect(c.err({ type: 'Tremove', fid: 2 })).toBe(ENOENT);
    expect(tree.usage().nodes).toBe(before.nodes);
    c.ok({ type: 'Tclunk', fid: 1 });
    expect(tree.usage()).toMatchObject({ nodes: before.nodes - 1, bytes: before.bytes - 13 });
  });
});

describe('readdir', () => {
  it('lists ".", "..", then the entries with their types and qids', () => {
    const { c } = setup();
    const ents = c.readdirAll(0, 1);
    expect(ents.map((e) => [e.name, e.type])).toEqual([
      ['.', DT_DIR], ['..', DT_DIR], ['hello.txt', DT_REG], ['docs', DT_DIR],
    ]);
    expect(ents[0]!.qid.path).toBe(1n);
    expect(ents[1]!.qid.path).toBe(1n);
    const docs = c.walk(0, 2, 'docs').wqids[0]!;
    expect(ents[3]!.qid).toEqual(docs);
    const inner = c.readdirAll(2, 3);
    expect(inner.map((e) => e.name)).toEqual(['.', '..', 'a.md', 'b.md', 'empty']);
    expect(inner[1]!.qid.path).toBe(1n);
  });

  it('continues from any returned offset, one entry at a time', () => {
    const { c, tree } = setup();
    for (let i = 0; i < 40; i++) tree.writeFile(`/many/file-${String(i).padStart(2, '0')}`, `${i}`);
    c.walk(0, 1, 'many');
    const whole = c.readdirAll(1, 2, 8000);
    expect(whole).toHaveLength(42);
    const small = c.readdirAll(1, 3, 40); // room for exactly one entry per call
    expect(small).toEqual(whole);
    const mid = c.readdirAll(1, 4, 100);
    expect(mid).toEqual(whole);
    c.walk(1, 5);
    c.ok({ type: 'Tlopen', fid: 5, flags: 0 });
    expect(c.err({ type: 'Treaddir', fid: 5, offset: 0n, count: 20 })).toBe(EINVAL);
    const { data } = c.ok({ type: 'Treaddir', fid: 5, offset: whole[20]!.offset, count: 8000 });
    expect(data.length).toBeGreaterThan(0);
    expect(c.ok({ type: 'Treaddir', fid: 5, offset: whole[41]!.offset, count: 8000 }).data.length).toBe(0);
    expect(c.ok({ type: 'Treaddir', fid: 5, offset: 1n << 63n, count: 8000 }).data.length).toBe(0);
  });

  it('offsets stay valid while the directory changes', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'docs');
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    const first = c.ok({ type: 'Treaddir', fid: 1, offset: 0n, count: 3 * 26 + 2 });
    const head = decodeDirents(first.data);
    expect(head.map((d) => d.name)).toEqual(['.', '..', 'a.md']);
    tree.remove('/docs/a.md');
    tree.writeFile('/docs/c.md', 'c');
    tree.remove('/docs/b.md');
    const rest = decodeDirents(c.ok({ type: 'Treaddir', fid: 1, offset: head[2]!.offset, count: 4096 }).data);
    expect(rest.map((d) => d.name)).toEqual(['empty', 'c.md']);
  });

  it('needs an open directory', () => {
    const { c } = setup();
    expect(c.err({ type: 'Treaddir', fid: 0, offset: 0n, count: 100 })).toBe(EBADF);
    c.walk(0, 1, 'hello.txt');
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(c.err({ type: 'Treaddir', fid: 1, offset: 0n, count: 100 })).toBe(ENOTDIR);
  });
});

describe('getattr and setattr', () => {
  it('reports mode, size, links, blocks, times and versions', () => {
    const { c, tree, tick } = setup();
    tick(1500);
    tree.writeFile('/hello.txt', 'x'.repeat(1000));
    c.walk(0, 1, 'hello.txt');
    const a = c.ok({ type: 'Tgetattr', fid: 1, requestMask: 0x7ffn });
    expect(a).toMatchObject({
      valid: GETATTR_ALL, mode: 0o100644, uid: 0, gid: 0, nlink: 1n, rdev: 0n, size: 1000n, blksize: 4096n, blocks: 2n,
      mtimeSec: BigInt(Math.floor((T0 + 1500) / 1000)), mtimeNsec: 500_000_000n,
      btimeSec: BigInt(T0 / 1000), btimeNsec: 0n, dataVersion: BigInt(a.qid.version),
    });
    const root = c.ok({ type: 'Tgetattr', fid: 0, requestMask: GETATTR_ALL });
    expect(root).toMatchObject({ mode: 0o040755, nlink: 3n, size: 0n });
  });

  it('the qid version moves with every content change', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'hello.txt');
    const v0 = c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL }).qid.version;
    tree.writeFile('/hello.txt', 'changed');
    const v1 = c.walk(0, 2, 'hello.txt').wqids[0]!.version;
    expect(v1).not.toBe(v0);
  });

  it('sets mode, owner, size and times', () => {
    const { c, tree, tick } = setup();
    c.walk(0, 1, 'hello.txt');
    const base = { fid: 1, mode: 0, uid: 0, gid: 0, size: 0n, atimeSec: 0n, atimeNsec: 0n, mtimeSec: 0n, mtimeNsec: 0n };
    c.ok({ type: 'Tsetattr', ...base, valid: SETATTR_MODE | SETATTR_UID | SETATTR_GID, mode: 0o100600, uid: 5, gid: 6 });
    c.ok({ type: 'Tsetattr', ...base, valid: SETATTR_SIZE, size: 3n });
    expect(tree.readText('/hello.txt')).toBe('hel');
    c.ok({ type: 'Tsetattr', ...base, valid: SETATTR_SIZE, size: 6n });
    expect(tree.readFile('/hello.txt')).toEqual(Uint8Array.from([...text('hel'), 0, 0, 0]));
    c.ok({ type: 'Tsetattr', ...base, valid: SETATTR_MTIME | SETATTR_MTIME_SET, mtimeSec: 1234n, mtimeNsec: 5n });
    tick(2000);
    c.ok({ type: 'Tsetattr', ...base, valid: SETATTR_ATIME });
    const a = c.ok({ type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL });
    expect(a).toMatchObject({
      mode: 0o100600, uid: 5, gid: 6, size: 6n, mtimeSec: 1234n, mtimeNsec: 5n,
      atimeSec: BigInt((T0 + 2000) / 1000), ctimeSec: BigInt((T0 + 2000) / 1000),
    });
    expect(c.err({ type: 'Tsetattr', ...base, valid: SETATTR_MTIME | SETATTR_MTIME_SET, mtimeNsec: 10n ** 9n })).toBe(EINVAL);
    expect(c.err({ type: 'Tsetattr', ...base, fid: 0, valid: SETATTR_SIZE })).toBe(EISDIR);
    expect(c.err({ type: 'Tsetattr', ...base, valid: SETATTR_SIZE, size: 1n << 60n })).toBe(EFBIG);
  });

  it('statfs reports the limits and what is used', () => {
    const { c, tree } = setup({ tree: { limits: { maxTotalBytes: 1 << 20, maxNodes: 100 } } });
    const s = c.ok({ type: 'Tstatfs', fid: 0 });
    const u = tree.usage();
    expect(s).toMatchObject({
      fsType: V9FS_MAGIC, bsize: 4096, blocks: 256n, files: 100n, ffree: BigInt(100 - u.nodes), namelen: 255,
      bfree: BigInt(Math.floor(((1 << 20) - u.bytes) / 4096)),
    });
  });
});

describe('rename', () => {
  it('renameat moves and replaces files', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'docs');
    c.ok({ type: 'Trenameat', olddirfid: 0, oldname: 'hello.txt', newdirfid: 1, newname: 'a.md' });
    expect(tree.readText('/docs/a.md')).toBe('hello, guest\n');
    expect(tree.exists('/hello.txt')).toBe(false);
    expect(c.err({ type: 'Trenameat', olddirfid: 0, oldname: 'nope', newdirfid: 1, newname: 'x' })).toBe(ENOENT);
    expect(c.err({ type: 'Trenameat', olddirfid: 0, oldname: 'docs', newdirfid: 1, newname: 'inside' })).toBe(EINVAL);
    expect(c.err({ type: 'Trenameat', olddirfid: 1, oldname: 'a.md', newdirfid: 1, newname: 'empty' })).toBe(EISDIR);
    expect(c.err({ type: 'Trenameat', olddirfid: 1, oldname: 'empty', newdirfid: 1, newname: 'b.md' })).toBe(ENOTDIR);
    tree.mkdir('/full/x');
    expect(c.err({ type: 'Trenameat', olddirfid: 1, oldname: 'empty', newdirfid: 0, newname: 'full' })).toBe(ENOTEMPTY);
    tree.remove('/full/x');
    c.ok({ type: 'Trenameat', olddirfid: 1, oldname: 'empty', newdirfid: 0, newname: 'full' });
    expect(tree.stat('/full')!.kind).toBe('dir');
    c.ok({ type: 'Trenameat', olddirfid: 1, oldname: 'b.md', newdirfid: 1, newname: 'b.md' });
  });

  it('rename moves the node a fid stands for; the fid follows it', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'docs', 'a.md');
    c.walk(0, 2);
    c.ok({ type: 'Trename', fid: 1, dfid: 2, name: 'moved.md' });
    expect(tree.readText('/moved.md')).toBe('# A\n');
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 10 }).data)).toBe('# A\n');
    expect(c.err({ type: 'Trename', fid: 0, dfid: 2, name: 'x' })).toBe(EBUSY);
  });
});

describe('fid lifetimes', () => {
  it('clunk frees a fid once; clunked fids are unknown', () => {
    const { c, server } = setup();
    c.walk(0, 1);
    c.ok({ type: 'Tclunk', fid: 1 });
    expect(c.err({ type: 'Tclunk', fid: 1 })).toBe(EBADF);
    expect(c.err({ type: 'Tgetattr', fid: 1, requestMask: 1n })).toBe(EBADF);
    expect(server.fidCount).toBe(1);
    c.walk(0, 1, 'hello.txt'); // a clunked fid number can be reused
  });

  it('limits the number of fids', () => {
    const { c } = setup({ server: { maxFids: 4 } });
    c.walk(0, 1);
    c.walk(0, 2);
    c.walk(0, 3);
    expect(c.err({ type: 'Twalk', fid: 0, newfid: 4, wnames: [] })).toBe(EMFILE);
    c.ok({ type: 'Tclunk', fid: 3 });
    c.walk(0, 4);
  });

  it('fids keep pointing at their node across host renames and removals', () => {
    const { c, tree } = setup();
    c.walk(0, 1, 'docs', 'b.md');
    tree.rename('/docs/b.md', '/b-renamed.md');
    c.ok({ type: 'Tlopen', fid: 1, flags: 0 });
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 10 }).data)).toBe('# B\n');
    tree.remove('/b-renamed.md');
    expect(str(c.ok({ type: 'Tread', fid: 1, offset: 0n, count: 10 }).data)).toBe('# B\n');
    c.walk(0, 2, 'docs');
    tree.remove('/docs', { recursive: true });
    expect(c.err({ type: 'Twalk', fid: 2, newfid: 3, wnames: ['a.md'] })).toBe(ENOENT);
    c.walk(2, 3);
    expect(c.err({ type: 'Tlcreate', fid: 3, name: 'x', flags: 0, mode: 0o644, gid: 0 })).toBe(ENOENT);
  });
});

describe('snapshots of the server', () => {
  it('restores the session (msize, fids, open modes, unlinked files) and the tree', () => {
    const a = setup();
    a.c.walk(0, 1, 'hello.txt');
    a.c.ok({ type: 'Tlopen', fid: 1, flags: O_RDWR });
    a.c.ok({ type: 'Tunlinkat', dirfid: 0, name: 'hello.txt', flags: 0 });
    a.c.walk(0, 2, 'docs');
    a.c.ok({ type: 'Tlopen', fid: 2, flags: 0 });
    const w = new StateWriter();
    a.server.save(w);
    const blob = w.finish();

    const b = setup({ connect: false });
    const r = new StateReader(blob);
    b.server.restore(r);
    expect(r.done).toBe(true);
    const w2 = new StateWriter();
    b.server.save(w2);
    expect(w2.finish()).toEqual(blob);
    expect(b.server.sessionMsize).toBe(8192);
    expect(b.tree.usage()).toEqual(a.tree.usage());
    expect(b.tree.entries()).toEqual(a.tree.entries());

    // Both sides now answer the same requests the same way.
    const script: Request[] = [
      { type: 'Tread', fid: 1, offset: 0n, count: 100 },
      { type: 'Twrite', fid: 1, offset: 2n, data: text('XY') },
      { type: 'Tgetattr', fid: 1, requestMask: GETATTR_ALL },
      { type: 'Treaddir', fid: 2, offset: 0n, count: 4096 },
      { type: 'Tlcreate', fid: 2, name: 'x', flags: 0, mode: 0o644, gid: 0 },
      { type: 'Twalk', fid: 0, newfid: 3, wnames: ['docs', 'a.md'] },
      { type: 'Tclunk', fid: 1 },
    ];
    for (const req of script) expect(b.c.send(req, 9)).toEqual(a.c.send(req, 9));
    expect(b.tree.usage()).toEqual(a.tree.usage());
  });

  it('refuses state that does not fit', () => {
    const a = setup();
    const w = new StateWriter();
    a.server.save(w);
    const blob = w.finish();
    expect(() => setup({ connect: false }).server.restore(new StateReader(blob.subarray(0, blob.length - 3)))).toThrow();
    const small = new NinePServer(new HostTree(), { maxMsize: 4096 });
    const big = new NinePServer(new HostTree(), { maxMsize: 65536 });
    new TestClient(big).connect(65536);
    const w2 = new StateWriter();
    big.save(w2);
    expect(() => small.restore(new StateReader(w2.finish()))).toThrow(/msize/);
  });
});

describe('robustness', () => {
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      return s / 2 ** 32;
    };
  }

  it('answers or drops anything without throwing, and its replies always decode', () => {
    const { server, tree } = setup({ tree: { limits: { maxNodes: 200, maxTotalBytes: 1 << 20 } }, server: { maxFids: 64 } });
    const rnd = prng(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const names = ['hello.txt', 'docs', 'a.md', 'b.md', 'empty', 'new', '..', '.', '', 'x/y', 'zz'];
    const fid = (): number => (rnd() < 0.9 ? Math.floor(rnd() * 12) : pick([NOFID, 0xfffffffe, 1000]));
    const u64 = (): bigint => pick([0n, 1n, 3n, 100n, 5000n, 1n << 40n, (1n << 64n) - 1n]);
    const gen = (): Message => {
      const tag = Math.floor(rnd() * 0xffff);
      const k = Math.floor(rnd() * 20);
      switch (k) {
        case 0: return { type: 'Tversion', tag, msize: pick([0, 100, 512, 8192, 1 << 30]), version: pick(['9P2000.L', '9P2000', '']) };
        case 1: return { type: 'Tattach', tag, fid: fid(), afid: pick([NOFID, 0]), uname: '', aname: pick(['', '/docs', '/nope']), nUname: NONUNAME };
        case 2: case 3: return { type: 'Twalk', tag, fid: fid(), newfid: fid(), wnames: Array.from({ length: Math.floor(rnd() * 4) }, () => pick(names)) };
        case 4: return { type: 'Tlopen', tag, fid: fid(), flags: pick([0, 1, 2, 3, O_TRUNC | 2, O_APPEND | 1, O_DIRECTORY]) };
        case 5: return { type: 'Tlcreate', tag, fid: fid(), name: pick(names), flags: pick([0, 1, 2]), mode: 0o644, gid: 0 };
        case 6: return { type: 'Tread', tag, fid: fid(), offset: u64(), count: Math.floor(rnd() * 20000) };
        case 7: return { type: 'Twrite', tag, fid: fid(), offset: u64(), data: new Uint8Array(Math.floor(rnd() * 3000)) };
        case 8: return { type: 'Tclunk', tag, fid: fid() };
        case 9: return { type: 'Tremove', tag, fid: fid() };
        case 10: return { type: 'Tunlinkat', tag, dirfid: fid(), name: pick(names), flags: pick([0, AT_REMOVEDIR, 7]) };
        case 11: return { type: 'Tmkdir', tag, dfid: fid(), name: pick(names), mode: 0o755, gid: 0 };
        case 12: return { type: 'Tgetattr', tag, fid: fid(), requestMask: GETATTR_ALL };
        case 13: return {
          type: 'Tsetattr', tag, fid: fid(), valid: Math.floor(rnd() * 0x200), mode: 0o777, uid: 1, gid: 2, size: u64(),
          atimeSec: u64(), atimeNsec: u64(), mtimeSec: u64(), mtimeNsec: u64(),
        };
        case 14: return { type: 'Treaddir', tag, fid: fid(), offset: u64(), count: Math.floor(rnd() * 500) };
        case 15: return { type: 'Tstatfs', tag, fid: fid() };
        case 16: return { type: 'Trename', tag, fid: fid(), dfid: fid(), name: pick(names) };
        case 17: return { type: 'Trenameat', tag, olddirfid: fid(), oldname: pick(names), newdirfid: fid(), newname: pick(names) };
        case 18: return { type: 'Tfsync', tag, fid: fid(), datasync: 0 };
        default: return { type: 'Tflush', tag, oldtag: tag };
      }
    };
    server.handle(encode({ type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000.L' }));
    let answered = 0;
    for (let i = 0; i < 30_000; i++) {
      let bytes = encode(gen());
      if (rnd() < 0.1) {
        bytes = bytes.slice(0, Math.floor(rnd() * (bytes.length + 1)));
        if (bytes.length > 3 && rnd() < 0.5) new DataView(bytes.buffer).setUint32(0, bytes.length, true);
      }
      if (rnd() < 0.05) bytes = Uint8Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256));
      const maxReply = rnd() < 0.1 ? Math.floor(rnd() * 300) : 1 << 20;
      const reply = server.handle(bytes, maxReply);
      if (reply === null) continue;
      answered++;
      expect(reply.length).toBeLessThanOrEqual(maxReply);
      const d = decode(reply);
      expect(d.ok).toBe(true);
      if (d.ok && bytes.length >= 7) expect(d.msg.tag).toBe(bytes[5]! | (bytes[6]! << 8));
    }
    expect(answered).toBeGreaterThan(25_000);
    expect(server.internalErrors).toBe(0);
    // The accounting still adds up after all of it.
    const entries = tree.entries();
    expect(tree.usage().bytes).toBeGreaterThanOrEqual(entries.filter((e) => e.kind === 'file').reduce((n, e) => n + e.size, 0));
    server.reset();
    expect(tree.usage()).toMatchObject({
      nodes: entries.length + 1, bytes: entries.filter((e) => e.kind === 'file').reduce((n, e) => n + e.size, 0),
    });
  });

  it('drops what has no tag and refuses names that are not UTF-8', () => {
    const { server } = setup();
    expect(server.handle(new Uint8Array(0))).toBeNull();
    expect(server.handle(Uint8Array.of(7, 0, 0, 0, 110, 1))).toBeNull();
    const walk = Uint8Array.of(20, 0, 0, 0, 110, 9, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0, 0xff, 0xfe);
    new DataView(walk.buffer).setUint32(0, walk.length, true);
    expect(decode(server.handle(walk)!)).toMatchObject({ ok: true, msg: { type: 'Rlerror', tag: 9, ecode: EILSEQ } });
  });
});
