// @vitest-environment happy-dom
// "Run on the browser's engine": the picked .wasm goes to the OS (spawnFile,
// here the fixture's host) and runs on this JavaScript engine through the
// portable host (the real inline backend, the code the Web Worker runs); the
// pane shows its output and how it ended, with the elapsed time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStarter } from '../../src/ui/portable/browser-engine.ts';
import { BrowserRun, endText } from '../../src/ui/portable/BrowserRun.tsx';
import { runOnEngine } from '../../src/ui/portable/engine-run.ts';
import { renderWithSession, settle } from '../ui/fixtures/render-app.tsx';

const APPS = join(process.cwd(), 'servers/build/apps/'); // happy-dom's import.meta.url is not a file URL
const file = (app: string): File => new File([readFileSync(`${APPS}${app}.wasm`)], `${app}.wasm`, { type: 'application/wasm' });

/** The engine on this thread (the worker's body without the worker). */
const inline: EngineStarter = (bytes, name, args, out) => {
  const t0 = performance.now();
  return { done: runOnEngine(bytes, name, args, out).then((r) => ({ reason: r.reason, ms: performance.now() - t0 })), stop() {} };
};

afterEach(cleanup);

async function pick(app: string): Promise<Awaited<ReturnType<typeof renderWithSession>>> {
  const h = await renderWithSession(<BrowserRun start={inline} />);
  await act(async () => {
    fireEvent.change(screen.getByLabelText("Run a .wasm on the browser's engine"), { target: { files: [file(app)] } });
  });
  await settle(50);
  return h;
}

describe('BrowserRun', () => {
  it('runs hello on the browser engine and in WasmOS, side by side', async () => {
    const h = await pick('hello');
    expect(screen.getByLabelText('Browser engine output').textContent).toBe('Hello from WasmOS!\n');
    expect(screen.getByLabelText('Browser engine status').textContent).toMatch(/^exit 0 after \d+ ms$/);
    expect(h.host.calls.find((c) => c[0] === 'spawnFile')?.[1]).toBe('hello.wasm');
    expect(screen.getByText('WasmOS: task 42 (output in the terminal)')).toBeTruthy();
  });

  it("shows a trap in the kernel's words", async () => {
    await pick('trap');
    expect(screen.getByLabelText('Browser engine output').textContent).toMatch(
      /^trap: reading 4 bytes at 0x10000.*\ntask 1 \(trap\) trapped: out of bounds memory access in module 'trap', function 'servers\/apps\/trap\/main\/main' \(#16\), at code offset 0xc37\n$/,
    );
    expect(screen.getByLabelText('Browser engine status').textContent).toMatch(/^trapped after \d+ ms$/);
  });

  it('a client of a demo service gets its answers from the TypeScript service', async () => {
    await pick('counter-client');
    expect(screen.getByLabelText('Browser engine output').textContent).toBe('counter-client: added 1 x 1, counter = 1\n');
    fireEvent.click(screen.getByText('Close'));
    expect(screen.queryByLabelText('Browser engine')).toBeNull();
  });

  it('describes every ending', () => {
    expect(endText(0, 48.2)).toBe('exit 0 after 48 ms');
    expect(endText(2, 1500)).toBe('exit 2 after 1.5 s');
    expect(endText(-4, 3)).toBe('trapped after 3 ms');
    expect(endText('stopped', 2000)).toBe('stopped after 2.0 s');
    expect(endText(null, 1)).toBe('did not start');
  });
});
