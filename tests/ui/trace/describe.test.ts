import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { encodePayload } from '../../../src/idl/generated/messages.ts';
import {
  eventDetail, eventKindLabel, eventMessage, eventRoute, exitReasonLabel, notifyBitsLabel, searchText, taskLabel,
} from '../../../src/ui/trace/describe.ts';
import { exportTrace } from '../../../src/ui/trace/export-json.ts';
import { TraceStore } from '../../../src/ui/trace/trace-store.ts';

const names = new Map([[129, 'init'], [130, 'console']]);
const ipc = (op: 'call' | 'reply' | 'send' | 'recv' | 'notify', src: number, dst: number, type: number, payload: Uint8Array, result?: number): TraceRecord =>
  ({ time: 5, task: src, kind: 'ipc', op, src, dst, type, len: 8 + payload.length, result: result ?? 8 + payload.length, payload: payload.slice(0, 32) });

describe('trace descriptions', () => {
  it('names tasks, exits and notification bits', () => {
    expect(taskLabel(0, names)).toBe('kernel');
    expect(taskLabel(129, names)).toBe('init (129)');
    expect(taskLabel(77, names)).toBe('task 77');
    expect(exitReasonLabel(-1)).toBe('killed');
    expect(exitReasonLabel(-4)).toBe('Wasm trap');
    expect(exitReasonLabel(3)).toBe('exit 3');
    expect(notifyBitsLabel(1 | 4)).toBe('timer | task exited');
    expect(notifyBitsLabel(0x300)).toBe('user 0x3');
  });

  it('decodes messages with the IDL bindings, cut payloads included', () => {
    const lookup = ipc('call', 129, 0, 15, encodePayload('service_lookup', { name: 'console' }));
    expect(eventKindLabel(lookup)).toBe('call');
    expect(eventMessage(lookup)).toBe('service_lookup');
    expect(eventRoute(lookup, names)).toBe('init (129) → kernel');
    // The trace keeps the first 32 payload bytes of a 64-byte name field.
    expect(eventDetail(lookup, names)).toMatch(/^\{ name: "console"…? \}/);
    const reply = ipc('reply', 0, 129, 16, encodePayload('service_lookup_reply', { task: 130 }));
    expect(eventMessage(reply)).toBe('service_lookup_reply');
    expect(eventDetail(reply, names)).toContain('task: 130');
  });

  it('shows errors and unknown types as such', () => {
    const failed = ipc('call', 129, 0, 15, new Uint8Array(), -11);
    expect(eventDetail(failed, names)).toContain('failed: E_NOT_FOUND');
    const errReply = ipc('reply', 0, 129, -8, new Uint8Array());
    expect(eventMessage(errReply)).toBe('E_DENIED');
    expect(eventMessage(ipc('send', 129, 130, 5555, Uint8Array.of(1, 2)))).toBe('type 5555');
    expect(eventMessage(ipc('recv', 129, 130, 0, new Uint8Array(), -7))).toBe('');
    expect(eventDetail(ipc('recv', 129, 130, 0, new Uint8Array(), -7), names)).toBe('failed: E_TIMEOUT');
    expect(eventDetail(ipc('notify', 0, 129, 4, new Uint8Array()), names)).toBe('bits: task exited');
  });

  it('describes the other kinds of records', () => {
    const recs: TraceRecord[] = [
      { time: 1, task: 0, kind: 'task-create', id: 130, parent: 129, priority: 4, name: 'console' },
      { time: 2, task: 130, kind: 'task-exit', id: 130, reason: -2 },
      { time: 3, task: 130, kind: 'fault', id: 130, cause: 13, epc: 0x80001000, tval: 8 },
      { time: 4, task: 129, kind: 'service', op: 'lookup', result: 130, name: 'console' },
      { time: 5, task: 0, kind: 'switch', from: 129, to: 130 },
      { time: 6, task: 0, kind: 'log', text: 'hello\n' },
      { time: 7, task: 129, kind: 'denied', what: 'kill', target: 1, name: '' },
    ];
    expect(recs.map((r) => eventDetail(r, names))).toEqual([
      'console (130) by init (129), priority 4',
      'console (130): fault',
      'console (130): load page fault at 0x80001000 (tval 0x00000008)',
      'lookup "console": task 130',
      'init (129) → console (130)',
      'hello',
      'kill target 1',
    ]);
  });

  it('searches the words the table shows', () => {
    const s = new TraceStore();
    s.append([ipc('call', 129, 0, 15, encodePayload('service_lookup', { name: 'console' }))]);
    s.names.set(129, 'init');
    const text = searchText(s.at(0)!, s.names);
    expect(text).toContain('service_lookup');
    expect(text).toContain('init (129)');
    expect(text).toContain('console');
  });

  it('exports events as self-describing JSON', () => {
    const s = new TraceStore();
    s.append([
      { time: 1, task: 0, kind: 'task-create', id: 129, parent: 0, priority: 4, name: 'init' },
      ipc('call', 129, 0, 9, encodePayload('ping', { value: 7 })),
      ipc('reply', 0, 129, 10, encodePayload('ping_reply', { value: 7 })),
    ]);
    const out = exportTrace([s.at(0)!, s.at(1)!, s.at(2)!], s.names, 0, new Date(0));
    const json = JSON.parse(JSON.stringify(out)) as typeof out;
    expect(json).toMatchObject({ format: 'wasmos-trace', version: 1, exportedAt: '1970-01-01T00:00:00.000Z', tasks: { 129: 'init' } });
    expect(json.events[1]).toMatchObject({ seq: 1, what: 'call', message: 'ping', fields: { value: 7 }, pair: 2, taskName: 'init (129)' });
    expect(json.events[1]!.record).toMatchObject({ kind: 'ipc', op: 'call', payload: '07000000' });
    expect(json.events[2]!.pair).toBe(1);
  });
});
