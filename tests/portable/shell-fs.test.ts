// The real shell (servers/build/shell.wasm) under `wasmos run` with --dir: its
// file commands go through the portable fs service to a temp directory, and
// every command prints what the same shell prints inside the OS on /host.
// (Directory order is the file system's: the portable fs lists names sorted,
// the OS's 9P tree in creation order; the files are created in sorted order.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bootOs, outputOf, type OsBootResult, PROMPT } from '../os/os-boot.ts';
import { APPS, wasmosRun, type PortableResult } from './portable-run.ts';

const SHELL = new URL('../../servers/build/shell.wasm', import.meta.url).pathname;
const HELLO = readFileSync(`${APPS}hello.wasm`);
const WASI_CAT = readFileSync(new URL('../../servers/build/wasi/cat.wasm', import.meta.url));

const SCRIPT = [
  'ls /host',
  'cat /host/notes.txt',
  'write /host/new.txt written by the shell',
  'cat /host/new.txt',
  'mkdir /host/sub',
  'write /host/sub/deep.txt deeper',
  'ls /host/sub',
  'cat /host/missing.txt',
  'rm /host/notes.txt',
  'rm /host/sub',
  'mkdir /host/sub',
  'ls /host',
  'run /host/hello.wasm from the host dir',
  'run /host/bin/wasi-cat.wasm /host/new.txt /host/sub/deep.txt',
  'echo through the echo service',
  'cd /host/sub',
  'cat deep.txt',
];

let os: OsBootResult;
let portable: PortableResult;
const dir = mkdtempSync(join(tmpdir(), 'wasmos-portable-fs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  os = bootOs({ script: SCRIPT, hostFiles: { 'bin/wasi-cat.wasm': WASI_CAT, 'hello.wasm': HELLO, 'notes.txt': 'first line\nsecond line\n' } });
  writeFileSync(join(dir, 'notes.txt'), 'first line\nsecond line\n');
  writeFileSync(join(dir, 'hello.wasm'), HELLO);
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'wasi-cat.wasm'), WASI_CAT);
  portable = await wasmosRun([SHELL, '--dir', dir, '--timeout', '30'], [...SCRIPT, 'shutdown', ''].join('\n'));
}, 120_000);

/** Output of script line i in the portable run (the console does not echo the typed line). */
function portableOutput(i: number): string {
  return portable.out.split(PROMPT)[i + 1] ?? '';
}

test('the portable shell ran the whole script and powered off', () => {
  expect(portable.status).toBe(0);
  expect(portable.out).toMatch(/system: power off \(task \d+, shell\)\n$/);
});

SCRIPT.forEach((line, i) => {
  test(line, () => {
    expect(portableOutput(i)).toBe(outputOf(os, i));
  });
});

test('the files changed in the host directory', () => {
  expect(existsSync(join(dir, 'notes.txt'))).toBe(false);
  expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('written by the shell\n');
  expect(existsSync(join(dir, 'sub', 'deep.txt'))).toBe(true);
  // The same as the OS left in its /host.
  expect(os.tree.readText('new.txt')).toBe('written by the shell\n');
});
