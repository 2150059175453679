// The demo apps (servers/apps/*) on the real board and kernel: each module as
// `npm run build:servers` built it, booted from a boot archive with the
// services it needs, judged by what it prints and how the kernel says it ended.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ManifestTask } from '../../src/host/boot-archive.ts';
import { bootTasks, exitOf, taskId, type BootResult } from '../kernel/wasm-boot.ts';

const APPS = ['pong', 'echo', 'counter', 'counter-client', 'hello', 'pingpong', 'trap', 'busy', 'compute'] as const;
type App = (typeof APPS)[number];

/** The committed module of an app (servers/build/apps/<name>.wasm). */
function app(name: App): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../servers/build/apps/${name}.wasm`, import.meta.url)));
}

/** The archive holds every app FLAT, as the OS's does (<name>.wasm). */
function modules(): Record<string, Uint8Array> {
  return Object.fromEntries(APPS.map((a) => [`${a}.wasm`, app(a)]));
}

/** Boots `tasks`; services never exit, so the run stops once `done` holds for the output. */
function boot(tasks: ManifestTask[], done: (out: string) => boolean, maxCycles = 400_000_000): BootResult {
  const r = bootTasks(modules(), tasks, { until: done, maxCycles });
  expect(r.out).not.toMatch(/PANIC/);
  return r;
}

describe('apps', () => {
  it('hello prints its greeting and its arguments, and exits 0', () => {
    const { out, code } = bootTasks(modules(), [{ module: 'hello.wasm', name: 'hello', args: ['one', 'two words'] }]);
    expect(code, out).toBe(0);
    expect(out).toContain('Hello from WasmOS!\n  arg 1: one\n  arg 2: two words\n');
    expect(exitOf(out, 'hello')).toBe('0');
  });
});
