// The demo apps (servers/apps/*) on the real board and kernel: each module as
// `npm run build:servers` built it, booted from a boot archive with the
// services it needs, judged by what it prints and how the kernel says it ended.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ManifestTask } from '../../src/host/boot-archive.ts';
import { bootTasks, exitOf, taskId, type BootResult } from '../kernel/wasm-boot.ts';
import { prog } from '../kernel/wasm-programs.ts';
import { wat } from '../wasm/harness.ts';

const APPS = ['pong', 'echo', 'counter', 'counter-client', 'hello', 'pingpong', 'trap', 'busy', 'compute'] as const;
type App = (typeof APPS)[number];

/** The committed module of an app (servers/build/apps/<name>.wasm). */
function app(name: App): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../servers/build/apps/${name}.wasm`, import.meta.url)));
}

/** Every app, FLAT, as the OS's boot archive holds them (<name>.wasm). */
function modules(extra: Record<string, Uint8Array> = {}): Record<string, Uint8Array> {
  return { ...Object.fromEntries(APPS.map((a) => [`${a}.wasm`, app(a)])), ...extra };
}

/** Boots `tasks`; services never exit, so the run stops once `done(out)` holds. */
function boot(tasks: ManifestTask[], done: (out: string) => boolean, extra: Record<string, Uint8Array> = {}): BootResult {
  const r = bootTasks(modules(extra), tasks, { until: done, maxCycles: 1_500_000_000 });
  expect(r.out).not.toMatch(/PANIC/);
  return r;
}

/**
 * A client written without the SDK, so it checks the services' wire layout:
 * looks up the service named at 100, then prints one line
 * `client: <echo reply type> <echo reply bytes> | <ping reply type> <value> | <type 12345's reply type>`.
 * The message buffer is at 2048: type +0, payload +8, echo data_len at payload +1024.
 */
const CLIENT = (service: string) => prog(`
  (import "env" "ipc_lookup" (func $lookup (param i32) (result i32)))
  (import "env" "ipc_call" (func $call (param i32 i32) (result i32)))`, `
  (data (i32.const 100) "${service}\\00")
  (data (i32.const 200) "client: \\00")
  (data (i32.const 220) " \\00")
  (data (i32.const 230) " | \\00")
  (data (i32.const 240) "\\0a\\00")
  (data (i32.const 300) "bytes from a client")
  (func (export "_start") (local $svc i32)
    (local.set $svc (call $lookup (i32.const 100)))
    (call $puts (i32.const 200))
    ;; echo: 19 bytes
    (i32.store (i32.const 2048) (i32.const 65))
    (memory.copy (i32.const 2056) (i32.const 300) (i32.const 19))
    (i32.store (i32.const 3080) (i32.const 19))
    (drop (call $call (local.get $svc) (i32.const 2048)))
    (call $putd (i32.load (i32.const 2048))) (call $puts (i32.const 220))
    (if (i32.ge_s (i32.load (i32.const 2048)) (i32.const 0))
      (then (call $print (i32.const 2056) (i32.load (i32.const 3080)))))
    (call $puts (i32.const 230))
    ;; ping 4242
    (i32.store (i32.const 2048) (i32.const 9))
    (i32.store (i32.const 2056) (i32.const 4242))
    (drop (call $call (local.get $svc) (i32.const 2048)))
    (call $putd (i32.load (i32.const 2048))) (call $puts (i32.const 220))
    (call $putd (i32.load (i32.const 2056))) (call $puts (i32.const 230))
    ;; a type no service here handles
    (i32.store (i32.const 2048) (i32.const 12345))
    (drop (call $call (local.get $svc) (i32.const 2048)))
    (call $putd (i32.load (i32.const 2048)))
    (call $puts (i32.const 240)))`);

describe('apps', () => {
  it('hello prints its greeting and its arguments, and exits 0', () => {
    const { out, code } = bootTasks(modules(), [{ module: 'hello.wasm', name: 'hello', args: ['one', 'two words'] }]);
    expect(code, out).toBe(0);
    expect(out).toContain('Hello from WasmOS!\n  arg 1: one\n  arg 2: two words\n');
    expect(exitOf(out, 'hello')).toBe('0');
  });

  it('pong answers ping with the same value, echo the same bytes; both refuse other types with E_UNSUPPORTED', async () => {
    // One boot per service: the two clients' output would interleave.
    for (const [service, expected] of [
      // pong: echo is not its message (E_UNSUPPORTED = -110); ping comes back with 4242.
      ['pong', 'client: -110  | 10 4242 | -110\n'],
      ['echo', 'client: 66 bytes from a client | 10 4242 | -110\n'],
    ] as const) {
      const { out } = boot([
        { module: `${service}.wasm`, name: service, provides: [service] },
        { module: 'client.wasm', name: 'client', uses: [service] },
      ], (o) => exitOf(o, 'client') !== null, { 'client.wasm': await wat(CLIENT(service)) });
      expect(out).toContain(`${service}: ready\n`);
      expect(out).toContain(expected);
      expect(exitOf(out, 'client')).toBe('0');
      expect(exitOf(out, service), 'the service goes on serving').toBeNull();
    }
  });

  it('counter keeps one value across clients; counter-client adds and reads it, and refuses bad arguments', () => {
    const { out } = boot([
      { module: 'counter.wasm', name: 'counter', provides: ['counter'] },
      { module: 'counter-client.wasm', name: 'c1', uses: ['counter'], args: ['5', '3'] },
      { module: 'counter-client.wasm', name: 'c2', uses: ['counter'], args: ['-4', '2'] },
      { module: 'counter-client.wasm', name: 'bad', uses: ['counter'], args: ['lots'] },
      { module: 'counter-client.wasm', name: 'nouse' },
    ], (o) => ['c1', 'c2', 'bad', 'nouse'].every((t) => exitOf(o, t) !== null));
    expect(exitOf(out, 'c1')).toBe('0');
    expect(exitOf(out, 'c2')).toBe('0');
    const values = [...out.matchAll(/^counter-client: added (-?\d+) x (\d+), counter = (-?\d+)/gm)].map((m) => Number(m[3]));
    expect(values).toHaveLength(2);
    // 5*3 - 4*2 = 7: the later counter_get comes after every add, whatever the interleaving.
    expect(values, out).toContain(7);
    expect(out).toContain("counter-client: DELTA must be a number from -2147483648 to 2147483647, not 'lots'\n");
    expect(exitOf(out, 'bad')).toBe('2');
    // Without uses=counter the lookup is refused, and the client says so.
    expect(out).toContain('counter-client: lookup counter: E_DENIED (permission denied)\n');
    expect(exitOf(out, 'nouse')).toBe('1');
  });

  it('pingpong makes its round trips to pong and prints the benchmark line', () => {
    const { out } = boot([
      { module: 'pong.wasm', name: 'pong', provides: ['pong'] },
      { module: 'pingpong.wasm', name: 'pingpong', uses: ['pong'], args: ['300'] },
    ], (o) => exitOf(o, 'pingpong') !== null);
    expect(exitOf(out, 'pingpong'), out).toBe('0');
    const line = /^pingpong: rounds=(\d+) ns_per_round=(\d+)$/m.exec(out);
    expect(line, out).not.toBeNull();
    expect(Number(line![1])).toBe(300);
    expect(Number(line![2])).toBeGreaterThan(0);
    expect(out).toMatch(new RegExp(`^pingpong: 300 round trips with task ${taskId(out, 'pong')} in \\d+ us of guest time, \\d+ ns each; this task ran \\d+ instructions \\(\\d+ per round trip\\)$`, 'm'));
  });

  it('trap dies alone with a trap message naming its module; the others go on', () => {
    const { out } = boot([
      { module: 'pong.wasm', name: 'pong', provides: ['pong'] },
      { module: 'trap.wasm', name: 'trap' },
      { module: 'trap.wasm', name: 'trap-abort', args: ['abort'] },
      { module: 'pingpong.wasm', name: 'pingpong', uses: ['pong'], args: ['50'] },
    ], (o) => ['trap', 'trap-abort', 'pingpong'].every((t) => exitOf(o, t) !== null));
    const id = taskId(out, 'trap');
    expect(out).toContain('trap: reading 4 bytes at 0x10000, the end of my 64 KiB of linear memory\n');
    expect(out).toMatch(new RegExp(`^task ${id} \\(trap\\) trapped: out of bounds memory access in module 'trap', function 'servers/apps/trap/main/main'`, 'm'));
    expect(out).not.toContain('isolation is broken');
    expect(exitOf(out, 'trap')).toBe('wasm trap');
    expect(out).toMatch(/^abort: trap abort asked for it at servers\/apps\/trap\/main\.ts:\d+:\d+$/m);
    expect(out).toMatch(/^task \d+ \(trap-abort\) trapped: unreachable executed in module 'trap-abort', function 'servers\/sdk\/assembly\/runtime\/wasmosAbort'/m);
    expect(exitOf(out, 'trap-abort')).toBe('wasm trap');
    // Isolation: pong still serves, and pingpong completes after the traps.
    expect(exitOf(out, 'pingpong')).toBe('0');
    expect(out).toMatch(/^pingpong: rounds=50 /m);
    expect(exitOf(out, 'pong')).toBeNull();
  });

  it('busy spins without calling the kernel and is preempted: other tasks finish meanwhile', () => {
    const { out } = boot([
      { module: 'busy.wasm', name: 'busy' },
      { module: 'compute.wasm', name: 'primes', args: ['primes', '5000'] },
      { module: 'hello.wasm', name: 'hello' },
    ], (o) => exitOf(o, 'primes') !== null && exitOf(o, 'hello') !== null);
    expect(out).toContain('busy: spinning forever');
    expect(out).toContain('compute: 669 primes below 5000, the largest 4999\n');
    expect(exitOf(out, 'primes')).toBe('0');
    expect(exitOf(out, 'hello')).toBe('0');
    // busy started first and never stops: the others ran only because it was preempted.
    expect(out.indexOf('busy: spinning forever')).toBeLessThan(out.indexOf('Hello from WasmOS!'));
    expect(exitOf(out, 'busy')).toBeNull();
  });

  it('busy SECONDS stops after that much guest time; compute draws the Mandelbrot set', () => {
    const { out, code } = bootTasks(modules(), [
      { module: 'busy.wasm', name: 'busy', args: ['1'] },
      { module: 'compute.wasm', name: 'mandel', args: ['mandel', '32', '9'] },
      { module: 'busy.wasm', name: 'busy-bad', args: ['-3'] },
      { module: 'compute.wasm', name: 'compute-bad', args: ['sort'] },
    ], { maxCycles: 1_500_000_000 });
    expect(code, out).toBe(0);
    const done = /^busy: done after (\d+) ms, (\d+) iterations/m.exec(out);
    expect(done, out).not.toBeNull();
    expect(Number(done![1])).toBeGreaterThanOrEqual(1000);
    expect(exitOf(out, 'busy')).toBe('0');
    // The picture is symmetric about the real axis: row i and row H-1-i match.
    const rows = out.split('\n').filter((l) => l.length === 32 && /^[ .:\-=+*#%@]+$/.test(l));
    expect(rows, out).toHaveLength(9);
    for (let i = 0; i < 4; i++) expect(rows[i]).toBe(rows[8 - i]);
    expect(rows[4]).toContain('@');
    expect(out).toMatch(/^compute: \d+ of 288 points inside the set$/m);
    expect(out).toMatch(/^compute: mandel took \d+ ms of guest time, \d+ instructions$/m);
    expect(exitOf(out, 'mandel')).toBe('0');
    expect(out).toContain("busy: SECONDS must be a number from 0 to 86400, not '-3'\n");
    expect(exitOf(out, 'busy-bad')).toBe('2');
    expect(out).toContain("compute: unknown job 'sort': compute primes [N] | compute mandel [W [H]]\n");
    expect(exitOf(out, 'compute-bad')).toBe('2');
  });
});
