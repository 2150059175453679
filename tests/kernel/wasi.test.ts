// WASI preview 1 in the kernel (kernel/core/wasi*.c, docs/wasi.md): programs
// built with clang and wasi-libc (servers/wasi/, committed under
// servers/build/wasi/) run unmodified as Wasm tasks on the board. Until the
// real fs and console servers boot in these tests, a mock server
// (servers/wasi/mock/mockfs.c, an SDK program) registers "fs" and "console":
// it serves a few files from memory, reports what programs wrote, and feeds
// two lines of stdin. All programs boot together once; each test reads its
// program's lines from the console output.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ManifestTask } from '../../src/host/boot-archive.ts';
import { wat } from '../wasm/harness.ts';
import { bootTasks, exitOf, memoryFigures, type BootResult } from './wasm-boot.ts';
import { prog } from './wasm-programs.ts';

const BUILD = fileURLToPath(new URL('../../servers/build/wasi/', import.meta.url));
const module = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(`${BUILD}${name}.wasm`));

/** The mock's /boot/big.txt (servers/wasi/mock/mockfs.c builds the same bytes). */
const BIG = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + ((i * 7 + Math.floor(i / 26)) % 26))).join('');

function fnv1a(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const FS = ['fs', 'console'];
const TASKS: ManifestTask[] = [
  { module: 'mockfs.wasm', name: 'mockfs', provides: FS },
  { module: 'hello.wasm', name: 'hello' },
  { module: 'args.wasm', name: 'args', args: ['one', 'two words', ''] },
  { module: 'cat.wasm', name: 'cat', args: ['/boot/hello.txt', '/boot/missing.txt'], uses: FS },
  { module: 'cat.wasm', name: 'cat-nofs', args: ['/boot/hello.txt'], uses: ['console'] },
  { module: 'cp.wasm', name: 'cp', args: ['/boot/big.txt', '/tmp/big-copy.txt'], uses: FS },
  { module: 'check.wasm', name: 'check', uses: FS },
];
const PROGRAMS = TASKS.slice(1).map((t) => t.name!);

let run: BootResult;

/** The lines starting with `prefix`, in order. */
const lines = (prefix: string): string[] => run.out.split('\n').filter((l) => l.startsWith(prefix));

beforeAll(() => {
  const modules = Object.fromEntries(['mockfs', 'hello', 'args', 'cat', 'cp', 'check'].map((n) => [`${n}.wasm`, module(n)]));
  run = bootTasks(modules, TASKS, {
    maxCycles: 3_000_000_000,
    until: (out) => PROGRAMS.every((p) => new RegExp(`^boot: task \\d+ \\(${p}\\) exited: `, 'm').test(out)),
  });
}, 120_000);

describe('WASI preview 1', () => {
  it('runs hello: stdout reaches the kernel console', () => {
    expect(run.out).toMatch(/^Hello from WASI!$/m);
    expect(exitOf(run.out, 'hello')).toBe('0');
  });

  it('passes arguments (argv[0] = the task name) and the fixed environment', () => {
    expect(lines('args: ')).toEqual([
      'args: argc=4', 'args: argv[0]=args', 'args: argv[1]=one', 'args: argv[2]=two words', 'args: argv[3]=',
      'args: env PATH=/boot', 'args: env HOME=/tmp', 'args: env TERM=xterm',
    ]);
    expect(exitOf(run.out, 'args')).toBe('0');
  });

  it('cats a file through the fs server and reports a missing one by errno', () => {
    expect(run.out).toContain('Hello from the mock fs!\nsecond line\n');
    expect(run.out).toMatch(/^cat: \/boot\/missing\.txt: No such file or directory$/m);
    expect(exitOf(run.out, 'cat')).toBe('1');
  });

  it('refuses files to a task without "fs" in its uses (EACCES)', () => {
    expect(run.out).toMatch(/^cat: \/boot\/hello\.txt: Permission denied$/m);
    expect(exitOf(run.out, 'cat-nofs')).toBe('1');
  });

  it('copies a file of several fs messages byte for byte', () => {
    expect(run.out).toMatch(/^cp: 3000 bytes$/m);
    expect(run.out).toContain(`mockfs: wrote /tmp/big-copy.txt: 3000 bytes, fnv1a ${fnv1a(BIG)}, starts ${BIG.slice(0, 16)}\n`);
    expect(exitOf(run.out, 'cp')).toBe('0');
  });

  it('makes, stats, seeks, lists and removes files and directories, with POSIX errors', () => {
    expect(lines('check: ').slice(0, 15)).toEqual([
      'check: mkdir ok',
      'check: write ok',
      'check: stat size=10 regular=1',
      'check: stat dir=1',
      'check: seek 6 read 4 6789 pread 3 234',
      'check: ls f.txt',
      'check: rmdir full Directory not empty',
      'check: unlink dir Is a directory',
      'check: unlink ok',
      'check: rmdir ok',
      'check: stat gone No such file or directory',
      'check: open read-only fs Read-only file system',
      'check: rename Function not implemented',
      'check: slept 20ms',
      'check: cputime runs',
    ]);
    expect(run.out).toContain('mockfs: wrote /tmp/d/f.txt: 10 bytes');
  });

  it('answers ENOSYS for what it does not implement and says so once in the kernel log', () => {
    expect(run.out.match(/^wasi: task \d+ \(check\): path_rename is not supported \(ENOSYS\)$/gm)).toHaveLength(1);
  });

  it('gives random bytes, reads stdin lines to their end, and exits with proc_exit\'s code', () => {
    expect(lines('check: ').slice(15)).toEqual([
      'check: random differs',
      'check: stdin first line of input',
      'check: stdin second line',
      'check: stdin end',
    ]);
    expect(exitOf(run.out, 'check')).toBe('7');
  });

  it('links a module importing all 45 functions wasi-libc declares', () => {
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(module('check')));
    expect(imports.filter((i) => i.module === 'wasi_snapshot_preview1')).toHaveLength(45);
    expect(run.out).not.toMatch(/spawn "check"/);
    expect(run.out).not.toMatch(/PANIC|trapped/);
  });
});

// Hostile and mistaken calls straight from WebAssembly text: each must come
// back as an errno (printed "name=errno"), never a trap or a kernel failure,
// and the task's WASI state must go with it.
const W = 'wasi_snapshot_preview1';
const HOSTILE = prog(`
  (import "${W}" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "${W}" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "${W}" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "${W}" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "${W}" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
  (import "${W}" "fd_prestat_dir_name" (func $prestat_name (param i32 i32 i32) (result i32)))
  (import "${W}" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "${W}" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "${W}" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "${W}" "random_get" (func $random (param i32 i32) (result i32)))
  (import "${W}" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "${W}" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "${W}" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))`, `
  (data (i32.const 100) "\\0a\\00")
  (data (i32.const 104) "=\\00")
  (data (i32.const 200) "f.txt")
  (data (i32.const 300) "iov\\00") (data (i32.const 310) "fd\\00") (data (i32.const 320) "read1\\00")
  (data (i32.const 330) "seek1\\00") (data (i32.const 340) "pre4\\00") (data (i32.const 350) "prename\\00")
  (data (i32.const 360) "rddir1\\00") (data (i32.const 370) "args\\00") (data (i32.const 380) "clock\\00")
  (data (i32.const 390) "random\\00") (data (i32.const 400) "poll0\\00") (data (i32.const 410) "open1\\00")
  (data (i32.const 420) "opennofs\\00") (data (i32.const 440) "openclosed\\00") (data (i32.const 460) "sock\\00")
  (data (i32.const 470) "iovlen\\00")
  (func $show (param $name i32) (param $v i32)
    (call $puts (local.get $name)) (call $puts (i32.const 104)) (call $putd (local.get $v)) (call $puts (i32.const 100)))
  (func (export "_start")
    ;; an iovec array outside memory, then an iovec whose buffer runs past the end
    (call $show (i32.const 300) (call $fd_write (i32.const 1) (i32.const 0x7ffffff0) (i32.const 1) (i32.const 1000)))
    (i32.store (i32.const 1024) (i32.const 0xfff0)) (i32.store (i32.const 1028) (i32.const 0x100))
    (call $show (i32.const 470) (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 1000)))
    (call $show (i32.const 310) (call $fd_write (i32.const 99) (i32.const 1024) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 320) (call $fd_read (i32.const 1) (i32.const 1024) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 330) (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 340) (call $prestat (i32.const 4) (i32.const 1000)))
    (call $show (i32.const 350) (call $prestat_name (i32.const 3) (i32.const 1000) (i32.const 0)))
    (call $show (i32.const 360) (call $readdir (i32.const 1) (i32.const 2048) (i32.const 64) (i64.const 0) (i32.const 1000)))
    (call $show (i32.const 370) (call $args_get (i32.const 0x7fffffff) (i32.const 2048)))
    (call $show (i32.const 380) (call $clock (i32.const 9) (i64.const 0) (i32.const 1000)))
    (call $show (i32.const 390) (call $random (i32.const 0xffff) (i32.const 2)))
    (call $show (i32.const 400) (call $poll (i32.const 2048) (i32.const 4096) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 410) (call $open (i32.const 1) (i32.const 0) (i32.const 200) (i32.const 5) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 420) (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 5) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)))
    (drop (call $fd_close (i32.const 3)))
    (call $show (i32.const 440) (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 5) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1000)))
    (call $show (i32.const 460) (call $sock_send (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000))))`);

describe('WASI against bad input', () => {
  it('answers errno values, never traps, and frees the task\'s WASI state', async () => {
    const r = bootTasks({ 'hostile.wasm': await wat(HOSTILE) }, [{ module: 'hostile.wasm', name: 'hostile' }]);
    const got = Object.fromEntries(r.out.split('\n').filter((l) => /^\w+=\d+$/.test(l)).map((l) => l.split('=')));
    expect(got).toEqual({
      iov: '21', iovlen: '21', fd: '8', read1: '8', seek1: '70', pre4: '8', prename: '37', rddir1: '54', args: '21',
      clock: '28', random: '21', poll0: '28', open1: '54', opennofs: '2', openclosed: '8', sock: '52',
    }); // EFAULT 21, EBADF 8, ESPIPE 70, ENAMETOOLONG 37, ENOTDIR 54, EINVAL 28, EACCES 2, ENOSYS 52
    expect(exitOf(r.out, 'hostile')).toBe('0');
    const mem = memoryFigures(r.out);
    expect(mem, r.out.slice(-2000)).not.toBeNull();
    expect(mem!.end).toEqual(mem!.start);
  });
});
