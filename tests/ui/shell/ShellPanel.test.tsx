// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import type { Terminal } from '@xterm/xterm';
import { afterEach, describe, expect, it } from 'vitest';
import { clipboardAction, clipboardKeyHandler } from '../../../src/ui/shell/clipboard-keys.ts';
import { ShellPanel } from '../../../src/ui/shell/ShellPanel.tsx';
import { renderWithSession, settle } from '../fixtures/render-app.tsx';

afterEach(cleanup);

/** The terminal's text, line by line, without trailing blanks. */
function screenLines(t: Terminal): string[] {
  const b = t.buffer.active;
  const out: string[] = [];
  for (let i = 0; i < b.length; i++) out.push(b.getLine(i)!.translateToString(true));
  while (out.length && out.at(-1) === '') out.pop();
  return out;
}

const written = (t: Terminal): Promise<void> => new Promise((r) => t.write('', r));

describe('ShellPanel', () => {
  it('replays earlier output, then streams the console into xterm.js', async () => {
    let term: Terminal | null = null;
    const h = await renderWithSession(({ host }) => {
      host.push({ serial: 'WasmOS kernel: hart 0\r\n' });
      return <ShellPanel onTerminal={(t) => { term = t; }} />;
    });
    expect(term).not.toBeNull();
    h.push({ serial: 'selftest: start (task 129)\r\nline with https://example.org/x link\r\n' });
    await written(term!);
    expect(screenLines(term!)).toEqual(['WasmOS kernel: hart 0', 'selftest: start (task 129)', 'line with https://example.org/x link']);
  });

  it('sends what the user types (xterm onData) to the guest', async () => {
    let term: Terminal | null = null;
    const h = await renderWithSession(<ShellPanel onTerminal={(t) => { term = t; }} />);
    act(() => { term!.input('ls /\r'); });
    act(() => { term!.paste('echo hi'); });
    await settle();
    const inputs = h.host.calls.filter((c) => c[0] === 'sendInput').map((c) => c[1]);
    expect(inputs.join('')).toContain('ls /\r');
    expect(inputs.join('')).toContain('echo hi');
    expect(screen.getByLabelText('Terminal input')).toBeTruthy();
  });

  it('starts over when the machine reboots', async () => {
    let term: Terminal | null = null;
    const h = await renderWithSession(<ShellPanel onTerminal={(t) => { term = t; }} />);
    h.push({ serial: 'first boot\r\n' });
    await written(term!);
    await act(async () => { await h.session.boot('selftest'); });
    h.push({ serial: 'second boot\r\n' });
    await written(term!);
    expect(screenLines(term!)).toEqual(['second boot']);
  });

  it('switches xterm.js to screen reader mode on request', async () => {
    let term: Terminal | null = null;
    await renderWithSession(<ShellPanel onTerminal={(t) => { term = t; }} />);
    expect(term!.options.screenReaderMode).toBe(false);
    fireEvent.click(screen.getByLabelText('Screen reader mode'));
    expect(term!.options.screenReaderMode).toBe(true);
  });

  it('clears on request', async () => {
    let term: Terminal | null = null;
    const h = await renderWithSession(<ShellPanel onTerminal={(t) => { term = t; }} />);
    h.push({ serial: 'a\r\nb\r\nc' });
    await written(term!);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await written(term!);
    expect(screenLines(term!)).toEqual(['c']); // xterm keeps the cursor's line
  });
});

describe('terminal clipboard keys', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
    ({ type: 'keydown', key: k, ctrlKey: false, shiftKey: false, metaKey: false, altKey: false, preventDefault() {}, ...mods }) as KeyboardEvent;

  it('maps Ctrl+Shift+C/V and Cmd+C/V, leaving Ctrl+C to the guest', () => {
    expect(clipboardAction(key('C', { ctrlKey: true, shiftKey: true }))).toBe('copy');
    expect(clipboardAction(key('v', { metaKey: true }))).toBe('paste');
    expect(clipboardAction(key('c', { ctrlKey: true }))).toBeNull();
    expect(clipboardAction(key('v', { ctrlKey: true, shiftKey: true, altKey: true }))).toBeNull();
    expect(clipboardAction({ ...key('c', { ctrlKey: true, shiftKey: true }), type: 'keyup' })).toBeNull();
  });

  it('copies the selection and pastes the clipboard', async () => {
    const clip = { text: 'pasted', writeText(t: string) { this.text = t; return Promise.resolve(); }, readText() { return Promise.resolve(this.text); } };
    const pasted: string[] = [];
    const term = { sel: 'selected', hasSelection() { return this.sel !== ''; }, getSelection() { return this.sel; }, paste(t: string) { pasted.push(t); } };
    const handle = clipboardKeyHandler(term, clip);
    expect(handle(key('v', { ctrlKey: true, shiftKey: true }))).toBe(false);
    await Promise.resolve();
    expect(pasted).toEqual(['pasted']);
    expect(handle(key('c', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(clip.text).toBe('selected');
    term.sel = '';
    expect(handle(key('c', { ctrlKey: true, shiftKey: true }))).toBe(true); // nothing selected: let it through
    expect(handle(key('x'))).toBe(true);
    expect(clipboardKeyHandler(term, undefined)(key('v', { metaKey: true }))).toBe(true);
  });
});
