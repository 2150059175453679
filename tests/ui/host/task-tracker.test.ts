import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { KERNEL_TASK_NAME, TaskTracker } from '../../../src/host/task-tracker.ts';
import { selftestRecording } from '../fixtures/selftest-trace.ts';

const at = { time: 0, task: 0 };
const create = (id: number, name: string, time = 0, flags?: number): TraceRecord =>
  ({ ...at, time, kind: 'task-create', id, parent: 0, priority: 4, name, ...(flags === undefined ? {} : { flags }) });
const ipc = (op: 'send' | 'call' | 'reply' | 'recv' | 'notify', src: number, dst: number, type: number, result = 8): TraceRecord =>
  ({ ...at, kind: 'ipc', op, src, dst, type, len: 8, result, payload: new Uint8Array() });
const stats = (time: number, id: number, state: number, instret: number, memBytes = 16384, peer?: number): TraceRecord =>
  ({ ...at, time, kind: 'task-stats', id, state, instret, memBytes, switches: 1, ...(peer === undefined ? {} : { peer }) });
const sw = (from: number, to: number, fromState?: number, fromPeer?: number): TraceRecord =>
  ({ ...at, task: from, kind: 'switch', from, to, ...(fromState === undefined ? {} : { fromState, fromPeer }) });

describe('TaskTracker', () => {
  it('builds rows from creations, statistics and switches', () => {
    const t = new TaskTracker();
    t.feed([create(129, 'init'), create(130, 'echo'), { ...at, kind: 'switch', from: 0, to: 129 }]);
    let rows = t.rows();
    expect(rows.map((r) => [r.id, r.name, r.state])).toEqual([[0, KERNEL_TASK_NAME, 'ready'], [129, 'init', 'running'], [130, 'echo', 'ready']]);
    expect(t.dirty).toBe(false);
    t.feed([stats(1000, 130, 2, 100), stats(2000, 130, 2, 600), stats(2000, 129, 0, 1000)]);
    expect(t.dirty).toBe(true);
    rows = t.rows();
    const echo = rows.find((r) => r.id === 130)!;
    expect(echo).toMatchObject({ state: 'recv', instret: 600, memBytes: 16384, cpu: 0.5 });
    expect(rows.find((r) => r.id === 129)!.state).toBe('running'); // runnable and on the CPU
    expect(t.memBytes()).toBe(2 * 16384);
  });

  it('counts delivered messages, not failed sends or receives, and tracks who a caller waits on', () => {
    const t = new TaskTracker();
    t.feed([create(129, 'client'), create(130, 'server')]);
    t.feed([ipc('call', 129, 130, 200), ipc('recv', 129, 130, 200), ipc('send', 129, 130, 7, -1)]);
    let client = t.rows().find((r) => r.id === 129)!;
    expect(client).toMatchObject({ sent: 1, state: 'call', waitingOn: 130 });
    expect(t.rows().find((r) => r.id === 130)!.received).toBe(1);
    t.feed([ipc('reply', 130, 129, 201), ipc('notify', 0, 129, 4, 0)]);
    client = t.rows().find((r) => r.id === 129)!;
    expect(client).toMatchObject({ sent: 1, received: 2, waitingOn: null, state: 'ready' });
    expect(t.rows().find((r) => r.id === 0)!.sent).toBe(1);
  });

  it('keeps exited tasks, with their reason, up to a bound', () => {
    const t = new TaskTracker(2);
    for (let i = 1; i <= 4; i++) t.feed([create(128 + i, `t${i}`), { ...at, kind: 'task-exit', id: 128 + i, reason: -i }]);
    t.feed([create(200, 'live'), { ...at, kind: 'fault', id: 200, cause: 15, epc: 0, tval: 0 }]);
    const rows = t.rows();
    expect(rows.map((r) => r.id)).toEqual([0, 200, 131, 132]);
    expect(rows[1]!.faults).toBe(1);
    expect(rows[2]).toMatchObject({ state: 'exited', exitReason: -3, cpu: 0 });
  });

  it('folds the real self-test trace into a consistent table', () => {
    const { records } = selftestRecording();
    const t = new TaskTracker(1000);
    t.feed(records);
    const rows = t.rows();
    const selftest = rows.find((r) => r.name === 'selftest');
    expect(selftest).toBeDefined();
    // Everything the self-test created has exited by the power-off.
    const created = records.filter((r) => r.kind === 'task-create').length;
    const exited = records.filter((r) => r.kind === 'task-exit').length;
    expect(rows.filter((r) => r.state === 'exited').length).toBe(exited);
    expect(rows.filter((r) => r.id !== 0).length).toBe(created);
    expect(rows.filter((r) => r.faults > 0).length).toBe(records.filter((r) => r.kind === 'fault').length);
    for (const r of rows) expect(r.cpu).toBeGreaterThanOrEqual(0);
  });

  it('tells what each task runs, and makes a task that registered a service a server', () => {
    const t = new TaskTracker();
    t.feed([create(129, 'init', 0, 0), create(130, 'console', 0, 1), create(131, 'hello', 0, 3), create(132, 'old')]);
    t.feed([{ ...at, task: 130, kind: 'service', op: 'register', result: 0, name: 'console' }]);
    t.feed([{ ...at, task: 131, kind: 'service', op: 'register', result: -3, name: 'console' }]); // refused
    t.feed([{ ...at, task: 131, kind: 'service', op: 'lookup', result: 130, name: 'console' }]);
    const by = new Map(t.rows().map((r) => [r.id, r]));
    expect(by.get(0)).toMatchObject({ runtime: 'kernel', services: [] });
    expect(by.get(129)).toMatchObject({ runtime: 'native', services: [] });
    expect(by.get(130)).toMatchObject({ runtime: 'wasmos', services: ['console'] });
    expect(by.get(131)).toMatchObject({ runtime: 'wasi', services: [] });
    expect(by.get(132)).toMatchObject({ runtime: 'unknown' }); // an older kernel without flags
  });

  it('takes the state and peer a task left the CPU in from the switch record', () => {
    const t = new TaskTracker();
    t.feed([create(129, 'shell'), create(130, 'console'), sw(0, 129)]);
    // The shell blocks sending a call to the console (not yet received): state SEND, peer 130.
    t.feed([sw(129, 130, 1, 130)]);
    expect(t.rows().find((r) => r.id === 129)).toMatchObject({ state: 'send', waitingOn: 130 });
    // The console takes it (the CALL record) and blocks receiving from anyone.
    t.feed([ipc('call', 129, 130, 7), sw(130, 0, 2, -1)]);
    const rows = new Map(t.rows().map((r) => [r.id, r]));
    expect(rows.get(129)).toMatchObject({ state: 'call', waitingOn: 130 });
    expect(rows.get(130)).toMatchObject({ state: 'recv', waitingOn: -1 });
    expect(rows.get(0)).toMatchObject({ state: 'running' });
    // Statistics carry the peer too; a preempted task is ready and waits on no one.
    t.feed([stats(100, 130, 4, 10, 16384, 0), sw(0, 129), sw(129, 0, 0, 0)]);
    expect(t.rows().find((r) => r.id === 130)).toMatchObject({ state: 'sleep', waitingOn: null });
    expect(t.rows().find((r) => r.id === 129)).toMatchObject({ state: 'ready', waitingOn: null });
    t.feed([stats(200, 129, 6, 10, 16384, 0)]);
    expect(t.rows().find((r) => r.id === 129)).toMatchObject({ state: 'lookup', waitingOn: null });
  });
});
