import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { FRAME_MS, MAX_PENDING_RECORDS, OutputBatcher } from '../../../src/host/output-batcher.ts';
import type { HostBatch, MachineStatus } from '../../../src/host/protocol.ts';
import { FakeTimers } from '../fixtures/fake-timers.ts';

const status = { state: 'running' } as MachineStatus;
const log = (n: number): TraceRecord[] => Array.from({ length: n }, (_, i) => ({ time: i, task: 0, kind: 'log', text: `${i}` }));

function setup(sink: (b: HostBatch) => unknown) {
  const timers = new FakeTimers();
  let tasksChanged = false;
  const b = new OutputBatcher(timers, {
    epoch: () => 3, status: () => status,
    takeTasks: () => (tasksChanged ? (tasksChanged = false, []) : undefined),
  }, sink);
  return { timers, b, changeTasks: () => { tasksChanged = true; } };
}

describe('OutputBatcher', () => {
  it('sends at most one batch per frame, joining the console chunks', () => {
    const sent: Array<{ at: number; batch: HostBatch }> = [];
    const { timers, b } = setup((batch) => { sent.push({ at: timers.now(), batch }); });
    b.addSerial(Uint8Array.of(65));
    b.addSerial(Uint8Array.of(66));
    timers.advance(0);
    expect(sent).toHaveLength(1);
    expect(Array.from(sent[0]!.batch.serial!)).toEqual([65, 66]);
    expect(sent[0]!.batch.epoch).toBe(3);
    for (let i = 0; i < 100; i++) { b.addSerial(Uint8Array.of(i)); timers.advance(1); }
    timers.advance(FRAME_MS);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(FRAME_MS);
    const bytes = sent.slice(1).flatMap((s) => Array.from(s.batch.serial ?? []));
    expect(bytes).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps one batch in flight and sends what piled up when the page answers', async () => {
    let answer: () => void = () => {};
    const sent: HostBatch[] = [];
    const { timers, b, changeTasks } = setup((batch) => { sent.push(batch); return new Promise<void>((r) => { answer = r; }); });
    b.addTrace(log(3));
    timers.advance(0);
    b.addTrace(log(2));
    changeTasks();
    b.touch();
    timers.advance(100);
    expect(sent).toHaveLength(1);
    answer();
    await Promise.resolve();
    await Promise.resolve();
    timers.advance(FRAME_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.trace).toHaveLength(2);
    expect(sent[1]!.tasks).toEqual([]);
  });

  it('does not wait for an answer from a replaced sink (a reboot)', () => {
    const { timers, b } = setup(() => new Promise(() => {})); // never answers, like a released comlink proxy
    b.addSerial(Uint8Array.of(1));
    timers.advance(0);
    const sent: HostBatch[] = [];
    b.setSink((batch) => { sent.push(batch); });
    b.addSerial(Uint8Array.of(2));
    timers.advance(FRAME_MS);
    expect(sent.map((x) => Array.from(x.serial!))).toEqual([[2]]);
  });

  it('bounds the records held for a slow page and counts what it dropped', () => {
    const sent: HostBatch[] = [];
    const { timers, b } = setup((batch) => { sent.push(batch); return new Promise(() => {}); });
    b.touch();
    timers.advance(0);
    b.addTrace(log(MAX_PENDING_RECORDS + 10));
    expect(b.lostRecords).toBe(10);
    b.clear();
    expect(b.lostRecords).toBe(0);
  });

  it('sends nothing without a sink or without news', () => {
    const { timers, b } = setup(() => { throw new Error('must not be called'); });
    b.setSink(null);
    b.addSerial(Uint8Array.of(1));
    timers.advance(100);
    expect(timers.pending).toBe(0);
  });
});
