// @vitest-environment happy-dom
// The Editor panel with the real compiler front ends (in process) and the
// textarea surface (happy-dom has no layout for Monaco): the gallery opens
// examples, Build & Run compiles and starts the module through the session
// (spawnFile, as for an upload), errors are listed and jump to their place,
// edits persist, Reset brings the example back, Ctrl+Enter builds.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EditorPanel } from '../../src/ui/editor/EditorPanel.tsx';
import { InProcessCompiler } from '../../src/ui/editor/compiler/compiler.ts';
import { exampleById } from '../../src/ui/editor/examples.ts';
import { createPlainSurface } from '../../src/ui/editor/plain-surface.ts';
import { renderWithSession, settle } from './fixtures/render-app.tsx';

const compiler = new InProcessCompiler();

async function mount() {
  const h = await renderWithSession(<EditorPanel active compiler={compiler} createSurface={createPlainSurface} />);
  await settle(0);
  return h;
}

const text = (): HTMLTextAreaElement => screen.getByLabelText('Program source') as HTMLTextAreaElement;
const status = (): string => screen.getByTestId('editor-status').textContent ?? '';

async function waitFor(cond: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out; status: ${status()}`);
    await settle(20);
  }
}

function type(value: string): void {
  fireEvent.input(text(), { target: { value } });
}

// assemblyscript.js instantiates a helper with instantiateStreaming(fetch(data: URL)); under happy-dom, fetch
// returns happy-dom's Response, which Node's WebAssembly refuses. Read the bytes from it instead (tests only).
const streaming = WebAssembly.instantiateStreaming;
beforeAll(() => {
  WebAssembly.instantiateStreaming = async (source, imports) => WebAssembly.instantiate(await (await source).arrayBuffer(), imports);
});
afterAll(() => { WebAssembly.instantiateStreaming = streaming; });
beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('EditorPanel', () => {
  it('the gallery opens each example in the editor', async () => {
    await mount();
    const gallery = screen.getByRole('group', { name: 'Examples' });
    const cards = within(gallery).getAllByRole('button');
    expect(cards.map((c) => c.textContent)).toEqual([
      'HelloAssemblyScript', 'IPC serviceAssemblyScript', 'IPC clientAssemblyScript', 'Trap demoAssemblyScript',
      'Busy loopAssemblyScript', 'Hello (WAT)WAT',
    ]);
    expect(text().value).toBe(exampleById('hello')!.source);
    fireEvent.click(within(gallery).getByRole('button', { name: /Trap demo/ }));
    expect(text().value).toBe(exampleById('trap')!.source);
    expect(within(gallery).getByRole('button', { name: /Trap demo/ }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('servers/examples/trap/main.ts')).toBeTruthy();
    fireEvent.click(within(gallery).getByRole('button', { name: /Hello \(WAT\)/ }));
    expect(text().value).toBe(exampleById('hello-wat')!.source);
  });

  it('Build & Run compiles and starts the module through the session, like an upload', async () => {
    const h = await mount();
    fireEvent.click(screen.getByRole('button', { name: 'Build & Run' }));
    // Busy while it builds (the compiler loads, then compiles): no second build, a progress bar.
    await waitFor(() => screen.queryByLabelText('Build progress') !== null);
    expect(screen.getByRole('button', { name: 'Build & Run' }).hasAttribute('disabled')).toBe(true);
    await waitFor(() => status().startsWith('Started'));
    expect(status()).toMatch(/^Started hello\.wasm as task 42\. Built \d+(\.\d)? (bytes|KiB) in \d+ ms\.$/);
    const spawns = h.host.calls.filter((c) => c[0] === 'spawnFile');
    expect(spawns).toHaveLength(1);
    expect(spawns[0]![1]).toBe('hello.wasm');
    expect(spawns[0]![2]).toBeGreaterThan(1000);
    // The OS's answer is also the page's notice, as for a dropped file.
    expect(h.session.notice).toBe('Started hello.wasm as task 42.');
    expect(screen.queryByRole('list', { name: 'Problems' })).toBeNull();
  });

  it('lists compile errors; an entry puts the cursor on its line and column; nothing is spawned', async () => {
    const h = await mount();
    const source = `${exampleById('hello')!.source}let broken = ;\n`;
    type(source);
    // Ctrl+Enter in the editor builds.
    fireEvent.keyDown(text(), { key: 'Enter', ctrlKey: true });
    await waitFor(() => status().startsWith('Build failed'));
    expect(status()).toBe('Build failed: 1 compile error.');
    const problems = screen.getByRole('list', { name: 'Problems' });
    const entry = within(problems).getByRole('button');
    const line = source.split('\n').length - 1;
    expect(entry.textContent).toBe(`errormain.ts:${line}:14Expression expected.AS1109`);
    expect(text().getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(entry);
    const caret = source.split('\n').slice(0, line - 1).join('\n').length + 1 + 13;
    expect(text().selectionStart).toBe(caret);
    expect(document.activeElement).toBe(text());
    expect(h.host.calls.filter((c) => c[0] === 'spawnFile')).toEqual([]);
  });

  it('shows the kernel refusing a module that built', async () => {
    const h = await mount();
    h.host.spawnAnswer = { ok: false, task: null, message: 'Cannot run hello-wat.wasm: E_BAD_MODULE (/host/uploads/hello-wat.wasm).' };
    fireEvent.click(within(screen.getByRole('group', { name: 'Examples' })).getByRole('button', { name: /Hello \(WAT\)/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Build & Run' }));
    await waitFor(() => status().startsWith('Cannot run'));
    expect(status()).toBe('Cannot run hello-wat.wasm: E_BAD_MODULE (/host/uploads/hello-wat.wasm).');
  });

  it('opens the example picked while the editor was still loading', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((r) => { release = r; });
    const slow: typeof createPlainSurface = async (host, options) => { await gate; return createPlainSurface(host, options); };
    await renderWithSession(<EditorPanel active compiler={compiler} createSurface={slow} />);
    expect(status()).toBe('Loading the editor…');
    expect((screen.getByRole('button', { name: 'Build & Run' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(screen.getByRole('group', { name: 'Examples' })).getByRole('button', { name: /Hello \(WAT\)/ }));
    await act(async () => { release(); await gate; });
    await settle(0);
    expect(text().value).toBe(exampleById('hello-wat')!.source);
    expect((screen.getByRole('button', { name: 'Build & Run' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('keeps edits across a remount (localStorage) until Reset example', async () => {
    await mount();
    const reset = (): HTMLButtonElement => screen.getByRole('button', { name: 'Reset example' }) as HTMLButtonElement;
    expect(reset().disabled).toBe(true);
    type('// mine\n');
    expect(reset().disabled).toBe(false);
    expect(screen.getByText('edited')).toBeTruthy();
    cleanup();
    await mount();
    expect(text().value).toBe('// mine\n');
    await act(async () => { fireEvent.click(reset()); });
    expect(text().value).toBe(exampleById('hello')!.source);
    expect(reset().disabled).toBe(true);
    cleanup();
    await mount();
    expect(text().value).toBe(exampleById('hello')!.source);
  });
});
