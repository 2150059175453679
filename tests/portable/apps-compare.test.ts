// Every demo app of servers/apps produces the same console output under
// `wasmos run` (Node's WebAssembly, the portable host) as inside the emulated
// OS (the real kernel on the board, run from the shell); modules WasmOS
// refuses get the kernel's same line on both. Numbers that measure time or
// instructions (and task ids) differ between the systems and are masked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootOs, outputOf, type OsBootResult } from '../os/os-boot.ts';
import { APPS, wasmosRun } from './portable-run.ts';
import { badImportModules, noServiceModule } from './test-modules.ts';

// Lines the shell adds around a program's own output.
const SHELL_LINE = /^(trapped|\[exit -?\d+\]|\[job \d+\] task \d+|run: .*)$/;

/** How the shell reports the end of the program: "trapped", or the exit code ("[exit 2]"; none shown = 0). */
function osEnding(segment: string): string | number {
  if (/^trapped$/m.test(segment)) return 'trapped';
  const m = /^\[exit (-?\d+)\]$/m.exec(segment);
  return m ? Number(m[1]) : 0;
}

/** The same for a portable run: the kernel's trap line, or the exit status. */
function portableEnding(r: { out: string; status: number }): string | number {
  return /^task \d+ \(.*\) trapped: /m.test(r.out) ? 'trapped' : r.status;
}

/** Masks what legitimately differs: task ids, and the numbers of timing lines. */
function normalize(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^task \d+ \(/, 'task N ('))
    .map((l) => (/guest time|ns_per_round|done after/.test(l) ? l.replace(/\d+/g, 'N').replace(/state [0-9a-fN]+/, 'state X') : l));
}

let os: OsBootResult;
const tmp = mkdtempSync(join(tmpdir(), 'wasmos-portable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** servers/build/wasi/NAME.wasm copied as wasi-NAME.wasm, the name it has in the OS. */
function wasiCopy(name: string): string {
  const path = join(tmp, `wasi-${name}.wasm`);
  writeFileSync(path, readFileSync(new URL(`../../servers/build/wasi/${name}.wasm`, import.meta.url)));
  return path;
}

const CASES: { line: string; argv: string[] }[] = [
  { line: 'hello one two', argv: [`${APPS}hello.wasm`, 'one', 'two'] },
  { line: 'hello', argv: [`${APPS}hello.wasm`] },
  { line: 'counter-client 5 3', argv: [`${APPS}counter-client.wasm`, '5', '3'] },
  { line: 'pingpong 200', argv: [`${APPS}pingpong.wasm`, '200'] },
  { line: 'pingpong 0', argv: [`${APPS}pingpong.wasm`, '0'] },
  { line: 'trap', argv: [`${APPS}trap.wasm`] },
  { line: 'trap unreachable', argv: [`${APPS}trap.wasm`, 'unreachable'] },
  { line: 'trap abort', argv: [`${APPS}trap.wasm`, 'abort'] },
  { line: 'trap nonsense', argv: [`${APPS}trap.wasm`, 'nonsense'] },
  { line: 'compute primes 20000', argv: [`${APPS}compute.wasm`, 'primes', '20000'] },
  { line: 'compute mandel 24 9', argv: [`${APPS}compute.wasm`, 'mandel', '24', '9'] },
  { line: 'compute frobnicate', argv: [`${APPS}compute.wasm`, 'frobnicate'] },
  { line: 'busy 1', argv: [`${APPS}busy.wasm`, '1'] },
  { line: 'busy -3', argv: [`${APPS}busy.wasm`, '-3'] },
  { line: 'counter-client x', argv: [`${APPS}counter-client.wasm`, 'x'] },
  // WASI programs (node:wasi under wasmos run); named as in the OS's /boot, so argv[0] matches.
  { line: 'wasi-hello', argv: [wasiCopy('hello')] },
  { line: 'wasi-args x "y z"', argv: [wasiCopy('args'), 'x', 'y z'] },
];

let modules: Record<string, Uint8Array>;
const ERROR_FILES = ['badimport.wasm', 'badsig.wasm', 'badmodule.wasm', 'noentry.wasm', 'noservice.wasm'];

beforeAll(async () => {
  modules = { ...(await badImportModules()), 'noservice.wasm': await noServiceModule() };
  const script = [...CASES.map((c) => c.line), ...ERROR_FILES.map((f) => `run /boot/${f}`)];
  os = bootOs({
    script,
    bootFiles: modules,
    // busy, started and then killed by the host (the mailbox), while the shell waits at its prompt.
    hostFiles: { 'uploads/busy.wasm': readFileSync(`${APPS}busy.wasm`) },
    mailbox: [
      { afterLine: script.length - 1, waitFor: '', post: 'spawn /host/uploads/busy.wasm' },
      { afterLine: script.length - 1, waitFor: 'spinning forever', post: (r) => `kill ${r[0]!.split(' ')[1]}` },
    ],
  });
  expect(os.typed).toBe(CASES.length + ERROR_FILES.length);
}, 120_000);

describe('the demo apps print the same under wasmos run as in the OS', () => {
  CASES.forEach((c, i) => {
    test(c.line, async () => {
      const segment = outputOf(os, i);
      const inOs = normalize(segment).filter((l) => !SHELL_LINE.test(l));
      const r = await wasmosRun(c.argv);
      expect(inOs.length).toBeGreaterThan(0);
      expect(normalize(r.out)).toEqual(inOs);
      expect(portableEnding(r)).toEqual(osEnding(segment));
    });
  });
});

// The same clients against the Wasm services (--with), as in the OS where init runs the services.
const WITH: { line: string; argv: string[]; ready: string }[] = [
  { line: 'counter-client 5 3', argv: [`${APPS}counter-client.wasm`, '5', '3', '--with', `${APPS}counter.wasm`], ready: 'counter: ready' },
  { line: 'pingpong 200', argv: [`${APPS}pingpong.wasm`, '200', '--with', `${APPS}pong.wasm`], ready: 'pong: ready' },
];

describe('clients with the Wasm services in the same host (--with)', () => {
  for (const c of WITH) {
    test(`${c.line} --with ${c.ready.split(':')[0]}.wasm`, async () => {
      const i = CASES.findIndex((x) => x.line === c.line);
      const inOs = normalize(outputOf(os, i)).filter((l) => !SHELL_LINE.test(l));
      expect(os.out).toContain(`\n${c.ready}\n`);
      const r = await wasmosRun(c.argv);
      expect(normalize(r.out)).toEqual([c.ready, ...inOs]);
      expect(r.status).toBe(0);
    });
  }
});

test('busy, killed from outside: the same line, then it is gone (OS: host mailbox kill; portable: --timeout)', async () => {
  expect(os.replies[0]).toMatch(/^ok \d+$/);
  expect(os.replies[1]).toBe('ok');
  const line = 'busy: spinning forever (kill me, or Ctrl-C)';
  expect(os.out).toContain(line);
  const r = await wasmosRun([`${APPS}busy.wasm`, '--timeout', '0.5']);
  expect(normalize(r.out)).toEqual([line]);
  expect(r.status).toBe(124);
  expect(r.err).toBe('wasmos: busy killed after 0.5 s (--timeout)\n');
});

describe('refused modules and missing services: the same error on both', () => {
  ERROR_FILES.forEach((file, j) => {
    test(file, async () => {
      const segment = outputOf(os, CASES.length + j);
      const path = join(tmp, file);
      writeFileSync(path, modules[file]!);
      const r = await wasmosRun([path]);
      const portable = normalize(r.out);
      expect(portable.length).toBeGreaterThan(0);
      for (const line of portable) expect(normalize(segment)).toContain(line);
      if (file !== 'noservice.wasm') {
        expect(r.out).toMatch(new RegExp(`^spawn "${file.replace('.wasm', '')}": E_BAD_MODULE: `));
        expect(r.status).toBe(1);
      }
    });
  });
});

test('the modules under test are the committed builds', () => {
  expect(readFileSync(`${APPS}hello.wasm`).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
});
