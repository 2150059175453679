// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { TaskTracker } from '../../../src/host/task-tracker.ts';
import { TasksPanel } from '../../../src/ui/tasks/TasksPanel.tsx';
import { renderWithSession, settle } from '../fixtures/render-app.tsx';
import { selftestRecording } from '../fixtures/selftest-trace.ts';

afterEach(cleanup);

/** The task table as the worker builds it, part way through the recorded self-test. */
function rowsPartWay(fraction: number) {
  const { records } = selftestRecording();
  const t = new TaskTracker();
  t.feed(records.slice(0, Math.floor(records.length * fraction)));
  return t.rows();
}

const bodyRows = (): HTMLElement[] => within(screen.getByRole('table', { name: 'Tasks' })).getAllByRole('row').slice(1);

describe('TasksPanel', () => {
  it('shows each task with its state, CPU share, memory and message counts', async () => {
    const h = await renderWithSession(<TasksPanel />);
    expect(screen.getByText(/No tasks yet/)).toBeTruthy();
    const rows = rowsPartWay(0.5);
    h.push({ tasks: rows });
    expect(bodyRows().length).toBe(rows.length);
    const selftest = rows.find((r) => r.name === 'selftest')!;
    const tr = document.getElementById(`task-row-${selftest.id}`)!;
    const cells = within(tr).getAllByRole('cell').map((c) => c.textContent);
    expect(cells[0]).toBe(String(selftest.id));
    expect(cells[1]).toBe('selftest');
    expect(cells[4]).toMatch(/%$/);
    expect(cells[5]).toBe('16 KiB');
    expect(cells[6]).toBe(selftest.sent.toLocaleString('en-US'));
    expect(cells[7]).toBe(selftest.received.toLocaleString('en-US'));
    expect(screen.getByText(/live tasks?/).textContent).toMatch(/^\d+ live task/);
    // Exited tasks say why.
    expect(bodyRows().some((r) => /exited \((killed|exit \d+|fault|stack overflow)\)/.test(r.textContent!))).toBe(true);
  });

  it('hides exited tasks on request', async () => {
    const h = await renderWithSession(<TasksPanel />);
    const rows = rowsPartWay(0.5);
    h.push({ tasks: rows });
    fireEvent.click(screen.getByLabelText('Show exited'));
    expect(bodyRows().length).toBe(rows.filter((r) => r.state !== 'exited').length);
  });

  it('selects a task (mouse or keyboard) to filter the trace', async () => {
    const h = await renderWithSession(<TasksPanel />);
    h.push({ tasks: rowsPartWay(0.5) });
    // One row in the tab order: the first until one is selected.
    expect(bodyRows().filter((r) => r.tabIndex === 0)).toEqual([bodyRows()[0]]);
    const first = bodyRows()[1]!;
    fireEvent.click(first);
    expect(bodyRows().filter((r) => r.tabIndex === 0)).toEqual([first]);
    const id = Number(first.id.replace('task-row-', ''));
    expect(h.selection.task).toBe(id);
    expect(first.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(h.selection.task).toBe(Number(bodyRows()[2]!.id.replace('task-row-', '')));
    fireEvent.keyDown(bodyRows()[2]!, { key: 'Enter' });
    expect(h.selection.task).toBeNull();
    fireEvent.keyDown(bodyRows()[0]!, { key: ' ' });
    expect(h.selection.task).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(h.selection.task).toBeNull();
  });

  it('asks the worker to kill a task and shows its answer', async () => {
    const h = await renderWithSession(<TasksPanel />);
    const rows = rowsPartWay(0.5);
    h.push({ tasks: rows });
    const selftest = rows.find((r) => r.name === 'selftest')!;
    fireEvent.click(screen.getByRole('button', { name: `Kill selftest (${selftest.id})` }));
    await settle();
    expect(h.host.calls).toContainEqual(['killTask', selftest.id]);
    expect(screen.getByRole('status').textContent).toBe(h.host.killAnswer.message);
    expect(h.selection.task).toBeNull(); // the button does not select the row
    // No kill for the kernel, exited tasks, or a machine that is off.
    expect(screen.queryByRole('button', { name: /Kill kernel/ })).toBeNull();
    h.push({ status: { state: 'poweroff', powerCode: 0 } });
    expect(screen.queryAllByRole('button', { name: /^Kill/ })).toEqual([]);
  });

  it('shows what each task runs, servers and apps, and whom a blocked task waits on', async () => {
    const h = await renderWithSession(<TasksPanel />);
    const at = { time: 0, task: 0 };
    const t = new TaskTracker();
    const records: TraceRecord[] = [
      { ...at, kind: 'task-create', id: 130, parent: 129, priority: 4, name: 'console', flags: 1 },
      { ...at, kind: 'task-create', id: 136, parent: 129, priority: 4, name: 'shell', flags: 1 },
      { ...at, kind: 'task-create', id: 140, parent: 136, priority: 4, name: 'a-wasi-program-with-a-long-name', flags: 3 },
      { ...at, task: 130, kind: 'service', op: 'register', result: 0, name: 'console' },
      { ...at, task: 130, kind: 'switch', from: 130, to: 136, fromState: 2, fromPeer: -1 },
      { ...at, kind: 'ipc', op: 'call', src: 136, dst: 130, type: 7, len: 8, result: 8, payload: new Uint8Array() },
      { ...at, task: 136, kind: 'switch', from: 136, to: 140, fromState: 3, fromPeer: 130 },
    ];
    t.feed(records);
    h.push({ tasks: t.rows() });
    const cells = (id: number): HTMLElement[] => within(document.getElementById(`task-row-${id}`)!).getAllByRole('cell');
    expect(cells(130)[2]!.textContent).toBe('WasmOS server');
    expect(cells(130)[2]!.title).toBe('Runs a Wasm module using the WasmOS interface; provides console');
    expect(cells(130)[3]!.textContent).toBe('blocked in receive from anyone');
    expect(cells(136)[2]!.textContent).toBe('WasmOS app');
    expect(cells(136)[3]!.textContent).toBe('blocked in call on console (130)');
    expect(cells(140)[2]!.textContent).toBe('WASI app');
    expect(cells(140)[3]!.textContent).toBe('running');
    // Cut cells keep their full text in the title.
    expect(cells(140)[1]!.title).toBe('a-wasi-program-with-a-long-name');
    expect(cells(0)[2]!.textContent).toBe('kernel');
    // Home and End move the selection to the first and last rows.
    fireEvent.keyDown(bodyRows()[1]!, { key: 'End' });
    expect(h.selection.task).toBe(140);
    expect(document.activeElement).toBe(document.getElementById('task-row-140'));
    fireEvent.keyDown(bodyRows()[3]!, { key: 'Home' });
    expect(h.selection.task).toBe(0);
  });
});
