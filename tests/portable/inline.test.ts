// The browser's backend (inline-app.ts: kernel, services and app on one
// thread, no SharedArrayBuffer) runs the demo apps like the worker backend of
// `wasmos run`, and says clearly when an app would have to wait for another task.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { EXIT_WASM_TRAP } from '../../src/idl/generated/messages.ts';
import { PortableHost } from '../../src/portable/host.ts';
import { runInline } from '../../src/portable/inline-app.ts';
import { startConsole, NO_INPUT } from '../../src/portable/services/console.ts';
import { APPS, wasmosRun } from './portable-run.ts';

async function inline(app: string, args: string[] = []): Promise<{ out: string; reason: number | null }> {
  let out = '';
  const host = new PortableHost({ out: (b) => (out += new TextDecoder().decode(b)) });
  host.offer('console', () => startConsole(host.kernel, (b) => host.print(b), NO_INPUT));
  const r = await runInline(host, { module: readFileSync(`${APPS}${app}.wasm`), name: app, args });
  host.shutdown();
  return { out, reason: r.reason };
}

for (const [app, args] of [
  ['hello', ['a', 'b c']],
  ['counter-client', ['7', '3']],
  ['compute', ['mandel', '20', '8']],
  ['trap', ['unreachable']],
] as const) {
  test(`${app} ${args.join(' ')}: the same output as wasmos run`, async () => {
    const a = await inline(app, [...args]);
    const b = await wasmosRun([`${APPS}${app}.wasm`, ...args]);
    const mask = (s: string): string => s.replace(/took \d+ ms/, 'took N ms').replace(/^task \d+/m, 'task N');
    expect(mask(a.out)).toBe(mask(b.out));
    expect(a.reason === EXIT_WASM_TRAP ? 1 : a.reason).toBe(b.status);
  });
}

test('pingpong against the TypeScript pong: answered on the same thread', async () => {
  const r = await inline('pingpong', ['500']);
  expect(r.out).toMatch(/^pingpong: rounds=500 ns_per_round=\d+$/m);
  expect(r.reason).toBe(0);
});

test('a service app would wait for messages: it traps with a clear message instead of hanging', async () => {
  const r = await inline('pong');
  expect(r.out).toMatch(
    /^pong: ready\ntask 1 \(pong\) trapped: host function failed: recv: would wait for another task, which the browser's single-thread host cannot do \(use wasmos run\) \(called in module 'pong', function #\d+, at code offset 0x[0-9a-f]+\)\n$/,
  );
  expect(r.reason).toBe(EXIT_WASM_TRAP);
});
