import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { FilteredView } from '../../../src/ui/trace/filtered-view.ts';
import { DEFAULT_FILTER, type TraceFilter } from '../../../src/ui/trace/trace-filter.ts';
import { TraceStore } from '../../../src/ui/trace/trace-store.ts';
import { selftestRecording } from '../fixtures/selftest-trace.ts';
import { syntheticTrace } from '../fixtures/synthetic-trace.ts';

const ALL = new Set(['ipc', 'notify', 'task', 'fault', 'service', 'sched', 'stats', 'log', 'other'] as const);
const ipc = (op: 'call' | 'reply', src: number, dst: number, type: number): TraceRecord =>
  ({ time: 0, task: src, kind: 'ipc', op, src, dst, type, len: 8, result: 8, payload: new Uint8Array() });

describe('TraceStore', () => {
  it('keeps the last `capacity` events and numbers them for good', () => {
    const s = new TraceStore(1000);
    s.append(syntheticTrace(2500));
    expect(s.size).toBe(1000);
    expect(s.firstSeq).toBe(1500);
    expect(s.endSeq).toBe(2500);
    expect(s.evicted).toBe(1500);
    expect(s.at(1499)).toBeUndefined();
    expect(s.at(1500)!.seq).toBe(1500);
    expect(s.at(2499)!.seq).toBe(2499);
    // Names outlive the events that told them.
    expect(s.names.get(200)).toBe('server');
  });

  it('pairs each call with its reply, across interleaved callers', () => {
    const s = new TraceStore();
    s.append([ipc('call', 5, 9, 100), ipc('call', 6, 9, 102), ipc('reply', 9, 6, 103), ipc('reply', 9, 5, 101), ipc('reply', 9, 5, 101)]);
    expect(s.at(0)!.pair).toBe(3);
    expect(s.at(3)!.pair).toBe(0);
    expect(s.at(1)!.pair).toBe(2);
    expect(s.at(2)!.pair).toBe(1);
    expect(s.at(4)!.pair).toBeNull(); // a reply nobody waits for
  });

  it('pairs every answered call of the real self-test', () => {
    const s = new TraceStore();
    s.append(selftestRecording().records);
    let calls = 0;
    let paired = 0;
    for (let q = s.firstSeq; q < s.endSeq; q++) {
      const ev = s.at(q)!;
      if (ev.rec.kind !== 'ipc') continue;
      if (ev.rec.op === 'call' && ev.rec.result >= 0) calls++;
      if (ev.pair !== null) {
        paired++;
        const other = s.at(ev.pair)!;
        expect(other.pair).toBe(ev.seq);
        const [call, reply] = ev.rec.op === 'call' ? [ev.rec, other.rec] : [other.rec, ev.rec];
        expect(call.kind === 'ipc' && reply.kind === 'ipc' && call.op === 'call' && reply.op === 'reply').toBe(true);
        if (call.kind === 'ipc' && reply.kind === 'ipc') {
          expect(reply.src).toBe(call.dst);
          expect(reply.dst).toBe(call.src);
        }
      }
    }
    expect(calls).toBeGreaterThan(5);
    // Calls that failed, or whose callee died, have no reply; the rest do.
    expect(paired / 2).toBeGreaterThanOrEqual(calls * 0.6);
  });

  it('starts over on clear', () => {
    const s = new TraceStore(10);
    s.append(syntheticTrace(20));
    const g = s.generation;
    s.clear();
    expect([s.size, s.firstSeq, s.endSeq, s.names.size, s.generation]).toEqual([0, 0, 0, 0, g + 1]);
  });
});

describe('FilteredView', () => {
  const scan = (s: TraceStore, f: TraceFilter, ok: (seq: number) => boolean): number[] => {
    const out: number[] = [];
    for (let q = s.firstSeq; q < s.endSeq; q++) if (ok(q)) out.push(q);
    void f;
    return out;
  };
  const seqs = (v: FilteredView): number[] => Array.from({ length: v.length }, (_, i) => v.seqAt(i));

  it('follows appends and eviction incrementally, agreeing with a full rescan', () => {
    const s = new TraceStore(500);
    const filter: TraceFilter = { ...DEFAULT_FILTER, categories: ALL, task: 301 };
    const v = new FilteredView(s, filter);
    const all = syntheticTrace(2000);
    for (let i = 0; i < all.length; i += 137) {
      s.append(all.slice(i, i + 137));
      v.sync();
      const fresh = new FilteredView(s, filter);
      expect(seqs(v)).toEqual(seqs(fresh));
    }
    expect(v.length).toBeGreaterThan(0);
    expect(seqs(v).every((q) => q >= s.firstSeq)).toBe(true);
  });

  it('filters by kind, message type, task and text', () => {
    const s = new TraceStore();
    s.append(syntheticTrace(400));
    const v = new FilteredView(s, { ...DEFAULT_FILTER, categories: new Set(['notify']) });
    expect(seqs(v)).toEqual(scan(s, DEFAULT_FILTER, (q) => s.at(q)!.rec.kind === 'ipc' && (s.at(q)!.rec as { op: string }).op === 'notify'));
    v.setFilter({ ...DEFAULT_FILTER, categories: ALL, type: 65 });
    expect(v.length).toBe(99); // every 4th of the 395 messages after the 5 creations... is a send of type 65
    v.setFilter({ ...DEFAULT_FILTER, categories: ALL, search: 'CLIENT2' });
    for (const q of seqs(v)) expect(JSON.stringify(s.at(q)!.rec)).toMatch(/302/);
    v.setFilter({ ...DEFAULT_FILTER, categories: ALL, search: 'ping_reply' });
    expect(v.length).toBe(99);
  });

  it('freezes while paused and counts what it held back', () => {
    const s = new TraceStore();
    const v = new FilteredView(s, { ...DEFAULT_FILTER, categories: ALL });
    s.append(syntheticTrace(100));
    v.sync();
    v.freeze(true);
    s.append(syntheticTrace(50));
    v.sync();
    expect(v.length).toBe(100);
    expect(v.heldBack).toBe(50);
    v.freeze(false);
    expect(v.length).toBe(150);
    expect(v.indexOf(120)).toBe(120);
    expect(v.indexOf(1000)).toBe(-1);
  });
});
