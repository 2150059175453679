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
import { bootTasks, exitOf, type BootResult } from './wasm-boot.ts';

const BUILD = fileURLToPath(new URL('../../servers/build/wasi/', import.meta.url));
const module = (name: string): Uint8Array => new Uint8Array(readFileSync(`${BUILD}${name}.wasm`));

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
