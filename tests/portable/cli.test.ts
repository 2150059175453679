// `wasmos run` as a user types it: the real command (bin/wasmos.js) in a
// child process — output, exit status, usage errors.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { parseRunArgs } from '../../src/cli/run.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function wasmos(...args: string[]): { out: string; err: string; status: number | null } {
  const p = spawnSync(process.execPath, ['bin/wasmos.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { out: p.stdout, err: p.stderr, status: p.status };
}

test('wasmos run APP ARGS prints the app output and exits with its code', () => {
  const r = wasmos('run', 'servers/build/apps/hello.wasm', 'one', '--', '--two');
  expect(r.out).toBe('Hello from WasmOS!\n  arg 1: one\n  arg 2: --two\n');
  expect(r.err).toBe('');
  expect(r.status).toBe(0);
  const bad = wasmos('run', 'servers/build/apps/busy.wasm', 'x');
  expect(bad.out).toBe("busy: SECONDS must be a number from 0 to 86400, not 'x'\n");
  expect(bad.status).toBe(2);
});

test('bad command lines and files: one line on stderr, status 1', () => {
  expect(wasmos('run')).toMatchObject({ err: 'wasmos: missing APP.wasm\nTry `wasmos --help`.\n', status: 1 });
  expect(wasmos('run', 'nope.wasm')).toMatchObject({ err: 'wasmos: cannot read nope.wasm: ENOENT\n', status: 1 });
  expect(wasmos('run', 'x.wasm', '--forward', '80')).toMatchObject({ err: 'wasmos: --forward needs HOSTPORT:GUESTPORT, not "80"\nTry `wasmos --help`.\n', status: 1 });
  expect(wasmos('run', '--help').out).toContain('usage: wasmos run APP.wasm');
  expect(wasmos('--help').out).toContain('run APP.wasm [ARGS...]');
});

test('options: --with and --forward repeat, --timeout takes seconds, app options after the app pass through', () => {
  const o = parseRunArgs(['a.wasm', '-3', '--with', 's.wasm', '--forward', '8080:80', '--forward', '2222:22', '--timeout', '1.5', '--', '--dir']);
  expect(o).toEqual({
    app: 'a.wasm', args: ['-3', '--dir'], with: ['s.wasm'], dir: undefined,
    forward: new Map([[80, 8080], [22, 2222]]), timeoutMs: 1500,
  });
  expect(() => parseRunArgs(['a.wasm', '--dir', '/nonexistent-dir'])).toThrow('--dir: "/nonexistent-dir" is not a directory');
  expect(() => parseRunArgs(['a.wasm', '--forward', '0:80'])).toThrow('--forward: host port must be 1..65535, not "0"');
});
