import { describe, expect, it } from 'vitest';
import { MARK_FIRST_OUTPUT, MARK_PROMPT, MachineSession, OFF_STATUS } from '../../src/ui/machine/machine-session.ts';
import { FakeHost } from './fixtures/fake-host.ts';

function setup() {
  const host = new FakeHost();
  const marks: string[] = [];
  const details: unknown[] = [];
  const session = new MachineSession(host, () => Promise.resolve(new Uint8Array(4)), {
    mark: (n, d) => { marks.push(n); details.push(d); }, promptText: 'ok>',
  });
  return { host, session, marks, details };
}

describe('MachineSession', () => {
  it('boots through the host and spreads batches over its stores', async () => {
    const { host, session, marks, details } = setup();
    const seen: string[] = [];
    session.subscribe('status', () => seen.push('status'));
    session.subscribe('tasks', () => seen.push('tasks'));
    await session.boot('selftest');
    expect(host.calls[0]).toEqual(['boot', 'selftest']);
    expect(session.status.state).toBe('running');
    host.push({ serial: 'hello\r\n', trace: [{ time: 1, task: 0, kind: 'log', text: 'x' }], tasks: [] });
    expect(session.console.bootLines()).toEqual(['hello']);
    expect(session.trace.size).toBe(1);
    expect(seen).toContain('tasks');
    expect(marks).toEqual([MARK_FIRST_OUTPUT]);
    host.push({ serial: 'more', status: { prompt: { text: 'ok>', wallMs: 5, instret: 9 } } });
    host.push({ serial: 'again' });
    expect(marks).toEqual([MARK_FIRST_OUTPUT, MARK_PROMPT]);
    // The prompt's mark carries the worker's own figures (the benchmark reports them).
    expect(details[1]).toEqual({ instret: 9, workerMs: 5 });
  });

  it('takes over a machine booted before it existed: its status, then the output the worker kept', async () => {
    const { host, session, marks } = setup();
    const booted = await host.bootEarly({ image: new Uint8Array(4), bootargs: '' });
    expect(session.status.state).toBe('off');
    await session.attach();
    expect(host.calls).toEqual([['bootEarly', ''], ['attach']]);
    expect(session.status).toMatchObject({ state: 'running', epoch: booted.epoch });
    host.push({ serial: 'WasmOS kernel: hart 0\r\nok> ', status: { prompt: { text: 'ok>', wallMs: 700, instret: 5 } } });
    expect(session.console.bootLines()).toEqual(['WasmOS kernel: hart 0', 'ok> ']);
    expect(marks).toEqual([MARK_FIRST_OUTPUT, MARK_PROMPT]);
  });

  it('drops batches of an older boot and clears everything on a new one', async () => {
    const { host, session } = setup();
    await session.boot('selftest');
    const oldSink = host.sink!;
    const oldEpoch = host.status.epoch;
    host.push({ serial: 'first boot', trace: [{ time: 1, task: 0, kind: 'log', text: 'x' }] });
    let cleared = 0;
    session.console.onClear(() => cleared++);
    await session.boot('bench');
    expect(cleared).toBe(1);
    expect(session.trace.size).toBe(0);
    expect(session.console.replay()).toEqual([]);
    oldSink({ epoch: oldEpoch, serial: new TextEncoder().encode('late'), status: { ...OFF_STATUS, epoch: oldEpoch } });
    expect(session.console.replay()).toEqual([]);
    expect(session.status.bootargs).toBe('bench');
  });

  it('forwards input, pause, resume, reset and trace switching, and shows a refused kill', async () => {
    const { host, session } = setup();
    await session.boot('');
    session.sendInput('ls\r');
    session.sendInput('');
    await session.pause();
    expect(session.status.state).toBe('paused');
    await session.resume();
    await session.setTraceEnabled(false);
    expect(session.status.traceEnabled).toBe(false);
    await session.reset();
    const r = await session.kill(130);
    expect(r.ok).toBe(false);
    expect(session.notice).toBe(host.killAnswer.message);
    expect(host.calls.map((c) => c[0])).toEqual(['boot', 'sendInput', 'pause', 'resume', 'setTraceEnabled', 'reset', 'killTask']);
  });

  it('reports an image that cannot be loaded', async () => {
    const host = new FakeHost();
    const session = new MachineSession(host, () => Promise.reject(new Error('HTTP 404')), { mark: () => {} });
    await session.boot('selftest');
    expect(session.status.state).toBe('error');
    expect(session.notice).toMatch(/HTTP 404/);
    expect(host.calls).toEqual([]);
  });
});
