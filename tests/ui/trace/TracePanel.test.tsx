// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TracePanel } from '../../../src/ui/trace/TracePanel.tsx';
import { renderWithSession, settle } from '../fixtures/render-app.tsx';
import { selftestRecording } from '../fixtures/selftest-trace.ts';
import { syntheticTrace } from '../fixtures/synthetic-trace.ts';

afterEach(() => { cleanup(); vi.restoreAllMocks(); });

const tableRows = (): HTMLElement[] => within(screen.getByRole('table', { name: 'Trace events' })).getAllByRole('row').slice(1);
const diagramRows = (): HTMLElement[] => within(screen.getByRole('list', { name: 'Sequence diagram' })).queryAllByRole('listitem');

describe('TracePanel', () => {
  it('shows recorded self-test events in the table and the diagram', async () => {
    const h = await renderWithSession(<TracePanel />);
    const { records } = selftestRecording();
    h.push({ trace: records });
    expect(screen.getByText(/shown of 2,2|shown of [\d,]+ held/)).toBeTruthy();
    expect(h.session.trace.size).toBe(records.length);
    // Virtualised: only the rows in view (plus overscan) exist.
    expect(tableRows().length).toBeGreaterThan(5);
    expect(tableRows().length).toBeLessThan(80);
    expect(diagramRows().length).toBeGreaterThan(5);
    // The view follows the newest events: the last record is rendered.
    const lastSeq = h.session.trace.endSeq - 1;
    expect(document.getElementById(`trace-row-${lastSeq}`) ?? document.getElementById(`trace-row-${lastSeq - 1}`)).toBeTruthy();
  });

  it('filters by kind, task, message type and text', async () => {
    const h = await renderWithSession(<TracePanel />);
    const recs = syntheticTrace(400);
    h.push({ trace: recs });
    const count = (): string => screen.getByText(/shown of/).textContent!;
    expect(count()).toMatch(/^400 shown of 400 held/);
    fireEvent.click(screen.getByLabelText('Notifications'));
    const notifies = recs.filter((r) => r.kind === 'ipc' && r.op === 'notify').length;
    expect(count()).toMatch(new RegExp(`^${400 - notifies} shown`));
    fireEvent.click(screen.getByLabelText('Notifications'));

    fireEvent.change(screen.getByLabelText('Filter by task'), { target: { value: '301' } });
    expect(h.selection.task).toBe(301);
    for (const row of tableRows()) expect(row.textContent).toMatch(/client1/);
    fireEvent.change(screen.getByLabelText('Filter by task'), { target: { value: '' } });

    const typeSelect = screen.getByLabelText('Filter by message type') as HTMLSelectElement;
    expect(Array.from(typeSelect.options, (o) => o.textContent)).toEqual(['All types', 'ping (9)', 'ping_reply (10)', 'echo (65)']);
    fireEvent.change(typeSelect, { target: { value: '10' } });
    expect(count()).toMatch(/^99 shown/);
    for (const row of tableRows()) expect(row.textContent).toContain('ping_reply');
    fireEvent.change(typeSelect, { target: { value: '' } });

    fireEvent.change(screen.getByLabelText('Search the trace'), { target: { value: 'client3' } });
    await settle(250);
    expect(count()).toMatch(/^(\d+) shown/);
    for (const row of tableRows()) expect(row.textContent!.toLowerCase()).toContain('client3');
  });

  it('follows the task selected elsewhere (the Tasks panel)', async () => {
    const h = await renderWithSession(<TracePanel />);
    h.push({ trace: syntheticTrace(200) });
    await settle();
    const { act } = await import('@testing-library/react');
    act(() => h.selection.setTask(302));
    expect((screen.getByLabelText('Filter by task') as HTMLSelectElement).value).toBe('302');
    for (const row of tableRows()) expect(row.textContent).toMatch(/client2|302/);
  });

  it('pairs a call with its reply and draws messages apart by kind', async () => {
    const h = await renderWithSession(<TracePanel />);
    h.push({ trace: syntheticTrace(20) });
    // seq 5 is the first call (after five creations); its reply is seq 6.
    const call = document.getElementById('trace-row-5')!;
    expect(within(call).getByRole('button', { name: 'reply #6' })).toBeTruthy();
    fireEvent.click(call);
    expect(call.getAttribute('aria-selected')).toBe('true');
    expect(document.getElementById('trace-row-6')!.className).toContain('paired');
    expect(document.getElementById('seq-row-6')!.className).toContain('paired');
    expect(document.getElementById('seq-row-5')!.dataset.pair).toBe('6');
    // Enter on the focused list jumps to the pair.
    fireEvent.keyDown(screen.getByRole('table', { name: 'Trace events' }), { key: 'Enter' });
    expect(document.getElementById('trace-row-6')!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('table', { name: 'Trace events' }), { key: 'ArrowDown' });
    expect(document.getElementById('trace-row-7')!.getAttribute('aria-selected')).toBe('true');

    const ops = (seq: number): string | undefined => document.querySelector(`#seq-row-${seq} .arrow`)?.getAttribute('data-op') ?? undefined;
    expect([ops(5), ops(6), ops(7), ops(8)]).toEqual(['call', 'reply', 'send', 'notify']);
    expect(document.querySelector('#seq-row-8 .arrow polyline')).toBeTruthy(); // open head: notification
    expect(document.querySelector('#seq-row-5 .arrow polygon')).toBeTruthy();
    expect(document.querySelector('#seq-row-0 .marker-task-create')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Sequence diagram' }).textContent).toContain('server (200)');
  });

  it('pauses (new events are counted, not shown) and resumes', async () => {
    const h = await renderWithSession(<TracePanel />);
    h.push({ trace: syntheticTrace(100) });
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    h.push({ trace: syntheticTrace(30) });
    expect(screen.getByText(/shown of/).textContent).toMatch(/^100 shown of 130 held — paused, 30 new/);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(screen.getByText(/shown of/).textContent).toMatch(/^130 shown of 130 held/);
  });

  it('exports the shown events as JSON', async () => {
    const h = await renderWithSession(<TracePanel />);
    h.push({ trace: syntheticTrace(50) });
    fireEvent.change(screen.getByLabelText('Filter by message type'), { target: { value: '9' } });
    let blob: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => { blob = b as Blob; return 'blob:x'; });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(blob).not.toBeNull();
    const data = JSON.parse(await blob!.text()) as { format: string; events: Array<{ message: string; pair: number }> };
    expect(data.format).toBe('wasmos-trace');
    expect(data.events.length).toBe(12);
    expect(data.events.every((e) => e.message === 'ping')).toBe(true);
    // Every call but the last (its reply is not in the trace yet) is paired.
    expect(data.events.slice(0, -1).every((e) => typeof e.pair === 'number')).toBe(true);
    expect(data.events.at(-1)!.pair).toBeUndefined();
  });

  it('stays bounded with 100,000 events: a ring of them, a few dozen DOM rows', async () => {
    const h = await renderWithSession(<TracePanel />);
    const big = syntheticTrace(120_000);
    const t0 = performance.now();
    for (let i = 0; i < big.length; i += 10_000) h.push({ trace: big.slice(i, i + 10_000) });
    const ms = performance.now() - t0;
    expect(h.session.trace.size).toBe(100_000);
    expect(h.session.trace.evicted).toBe(20_000);
    expect(screen.getByText(/shown of/).textContent).toMatch(/^100,000 shown of 100,000 held, 20,000 older dropped/);
    expect(tableRows().length).toBeLessThan(80);
    expect(diagramRows().length).toBeLessThan(80);
    expect(document.querySelectorAll('.trace-row, .seq-row').length).toBeLessThan(170);
    // Scrolling to the middle renders the rows there, still a bounded number.
    const table = screen.getByRole('table', { name: 'Trace events' });
    table.scrollTop = 50_000 * 24;
    fireEvent.scroll(table);
    const seqs = tableRows().map((r) => Number(r.id.replace('trace-row-', '')));
    expect(Math.min(...seqs)).toBeGreaterThan(60_000);
    expect(Math.max(...seqs)).toBeLessThan(80_000);
    expect(tableRows().length).toBeLessThan(80);
    expect(ms).toBeLessThan(20_000);
  });
});
