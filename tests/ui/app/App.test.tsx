// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/app/App.tsx';
import { PanelRegistry } from '../../../src/ui/app/panel-registry.ts';
import { themeStore } from '../../../src/ui/app/theme.ts';
import { makeSession } from '../fixtures/render-app.tsx';

afterEach(cleanup);

async function renderApp(panels?: PanelRegistry) {
  const parts = makeSession();
  await parts.session.boot('selftest');
  const r = render(<App session={parts.session} selection={parts.selection} initialBootargs="selftest" panels={panels} />);
  return { ...r, ...parts };
}

describe('App', () => {
  it('lays out the panels as two tab areas, all mounted', async () => {
    await renderApp();
    expect(screen.getAllByRole('tablist').map((t) => t.getAttribute('aria-label'))).toEqual(['Console', 'Inspect']);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Shell', 'IPC trace', 'Tasks', 'Machine', 'Editor', 'Browser', 'Snapshots', 'Lessons',
    ]);
    expect(screen.getByRole('tab', { name: 'IPC trace' }).getAttribute('aria-selected')).toBe('true');
    // Hidden panels stay in the document (the trace keeps counting, the terminal keeps its screen).
    expect(document.getElementById('panel-tasks')!.hidden).toBe(true);
    expect(document.querySelector('#panel-tasks table')).toBeTruthy();
    expect(screen.getByRole('separator', { name: 'Resize the areas' }).getAttribute('aria-valuenow')).toBe('50');
  });

  it('moves between tabs with the arrow keys and Alt+digit', async () => {
    await renderApp();
    const trace = screen.getByRole('tab', { name: 'IPC trace' });
    fireEvent.keyDown(trace, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Tasks' }).getAttribute('aria-selected')).toBe('true');
    expect(document.getElementById('panel-tasks')!.hidden).toBe(false);
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Tasks' }), { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Lessons' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Lessons' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'IPC trace' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(window, { key: '4', altKey: true });
    expect(screen.getByRole('tab', { name: 'Machine' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Machine' }).tabIndex).toBe(0);
    expect(screen.getByRole('tab', { name: 'Tasks' }).tabIndex).toBe(-1);
  });

  it('toggles the theme and remembers it', async () => {
    await renderApp();
    const before = themeStore.theme;
    const toggle = screen.getByRole('button', { name: /Switch to the (light|dark) theme/ });
    fireEvent.click(toggle);
    const after = before === 'dark' ? 'light' : 'dark';
    expect(document.documentElement.dataset.theme).toBe(after);
    expect(window.localStorage.getItem('wasmos-theme')).toBe(after);
    expect(screen.getByRole('button', { name: `Switch to the ${before} theme` })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: `Switch to the ${before} theme` }));
    expect(document.documentElement.dataset.theme).toBe(before);
  });

  it('shows the machine state in the header', async () => {
    const { host } = await renderApp();
    expect(screen.getByTestId('status-pill').textContent).toMatch(/running/);
    act(() => host.push({ status: { state: 'poweroff', powerCode: 0 } }));
    expect(screen.getByTestId('status-pill').textContent).toMatch(/powered off \(0\)/);
  });

  it('resizes the areas from the keyboard', async () => {
    await renderApp();
    const sep = screen.getByRole('separator');
    fireEvent.keyDown(sep, { key: 'ArrowLeft' });
    expect(sep.getAttribute('aria-valuenow')).toBe('45');
    fireEvent.keyDown(sep, { key: 'Home' });
    expect(sep.getAttribute('aria-valuenow')).toBe('20');
  });

  it('takes extra panels from the registry (the extension point for later features)', async () => {
    const r = new PanelRegistry();
    r.register({ id: 'shell', title: 'Shell', area: 'primary', order: 0, render: () => <p>terminal here</p> });
    r.register({ id: 'editor', title: 'Editor', area: 'primary', order: 1, shortcut: '5', render: ({ active }) => <p>editor {active ? 'shown' : 'hidden'}</p> });
    expect(() => r.register({ id: 'editor', title: 'Again', area: 'secondary', order: 0, render: () => null })).toThrow(/already registered/);
    await renderApp(r);
    expect(screen.getByText('editor hidden')).toBeTruthy();
    fireEvent.keyDown(window, { key: '5', altKey: true });
    expect(screen.getByText('editor shown')).toBeTruthy();
  });
});
