// A host directory behind the tree (the CLI's --host DIR): loading it, and
// writing the guest's changes back.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateReader, StateWriter } from '../../src/board/state-stream.ts';
import { FsError } from '../../src/host/9p/errno.ts';
import { DirectoryMirror, loadDirectory } from '../../src/host/9p/node-dir.ts';
import { O_RDWR } from '../../src/host/9p/protocol.ts';
import { NinePServer } from '../../src/host/9p/server.ts';
import { HostTree } from '../../src/host/9p/tree.ts';
import { TestClient, text } from './9p-test-client.ts';

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'wasmos-hostdir-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('loadDirectory', () => {
  it('copies files and directories in name order, keeps modes, skips symlinks', () => {
    mkdirSync(join(dir, 'sub/deep'), { recursive: true });
    writeFileSync(join(dir, 'zeta.txt'), 'z');
    writeFileSync(join(dir, 'alpha.txt'), 'a', { mode: 0o600 });
    writeFileSync(join(dir, 'sub/deep/x.bin'), Uint8Array.of(1, 2, 3));
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const tree = new HostTree();
    const r = loadDirectory(tree, dir);
    expect(r).toEqual({ files: 3, dirs: 2, skipped: [join(dir, 'link')] });
    expect(tree.entries().map((e) => e.path)).toEqual(['/alpha.txt', '/sub', '/sub/deep', '/sub/deep/x.bin', '/zeta.txt']);
    expect(tree.stat('/alpha.txt')!.mode).toBe(0o600);
    expect(tree.readFile('/sub/deep/x.bin')).toEqual(Uint8Array.of(1, 2, 3));
    const again = new HostTree();
    loadDirectory(again, dir, '/mnt');
    expect(again.list('/mnt').map((e) => e.name)).toEqual(['alpha.txt', 'sub', 'zeta.txt']);
  });

  it('stops with FsError at the tree limits', () => {
    writeFileSync(join(dir, 'big'), new Uint8Array(2000));
    expect(() => loadDirectory(new HostTree({ limits: { maxFileBytes: 1000 } }), dir)).toThrow(FsError);
  });
});

describe('DirectoryMirror', () => {
  function session() {
    writeFileSync(join(dir, 'hello.txt'), 'hello');
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/a.md'), 'a');
    const tree = new HostTree();
    loadDirectory(tree, dir);
    const errors: Error[] = [];
    const mirror = new DirectoryMirror(tree, dir, (e) => errors.push(e));
    const c = new TestClient(new NinePServer(tree));
    c.connect();
    return { tree, mirror, c, errors };
  }

  it('writes created and changed files at flush, applies removes and renames at once', () => {
    const { mirror, c, errors, tree } = session();
    c.ok({ type: 'Tmkdir', dfid: 0, name: 'out', mode: 0o755, gid: 0 });
    expect(statSync(join(dir, 'out')).isDirectory()).toBe(true);
    c.walk(0, 1, 'out');
    c.ok({ type: 'Tlcreate', fid: 1, name: 'log.txt', flags: O_RDWR, mode: 0o640, gid: 0 });
    for (let i = 0; i < 5; i++) c.ok({ type: 'Twrite', fid: 1, offset: BigInt(i * 4), data: text(`l${i}\n `) });
    expect(existsSync(join(dir, 'out/log.txt'))).toBe(false);
    expect(mirror.pending).toEqual(['/out/log.txt']);
    mirror.flush();
    expect(readFileSync(join(dir, 'out/log.txt'), 'utf8')).toBe('l0\n l1\n l2\n l3\n l4\n ');
    expect(statSync(join(dir, 'out/log.txt')).mode & 0o777).toBe(0o640);

    c.ok({ type: 'Tunlinkat', dirfid: 0, name: 'hello.txt', flags: 0 });
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);
    c.ok({ type: 'Trenameat', olddirfid: 0, oldname: 'docs', newdirfid: 0, newname: 'papers' });
    expect(readdirSync(dir).sort()).toEqual(['out', 'papers']);
    expect(readFileSync(join(dir, 'papers/a.md'), 'utf8')).toBe('a');

    // Created, written and renamed between two flushes: lands under its final name.
    c.walk(0, 2);
    c.ok({ type: 'Tlcreate', fid: 2, name: 'tmp', flags: O_RDWR, mode: 0o644, gid: 0 });
    c.ok({ type: 'Twrite', fid: 2, offset: 0n, data: text('final') });
    c.ok({ type: 'Trenameat', olddirfid: 0, oldname: 'tmp', newdirfid: 0, newname: 'final.txt' });
    mirror.close();
    expect(readFileSync(join(dir, 'final.txt'), 'utf8')).toBe('final');
    expect(existsSync(join(dir, 'tmp'))).toBe(false);
    expect(errors).toEqual([]);
    // Closed: later changes stay in the tree only; host changes are never mirrored.
    c.ok({ type: 'Tmkdir', dfid: 0, name: 'later', mode: 0o755, gid: 0 });
    tree.writeFile('/from-host', 'x');
    expect(existsSync(join(dir, 'later'))).toBe(false);
    expect(existsSync(join(dir, 'from-host'))).toBe(false);
  });

  it('a snapshot restore marks every file for the next flush', () => {
    const { tree, mirror } = session();
    const w = new StateWriter();
    const other = new HostTree();
    other.writeFile('/restored.txt', 'from the snapshot');
    other.save(w);
    tree.restore(new StateReader(w.finish()));
    mirror.flush();
    expect(readFileSync(join(dir, 'restored.txt'), 'utf8')).toBe('from the snapshot');
    expect(existsSync(join(dir, 'hello.txt'))).toBe(true);
  });

  it('reports host I/O failures to onError, never to the guest', () => {
    const { c, errors } = session();
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'now a file, not a directory');
    c.ok({ type: 'Tmkdir', dfid: 0, name: 'x', mode: 0o755, gid: 0 });
    expect(errors.length).toBe(1);
    rmSync(dir);
  });
});
