// The viewer's events as JSON: each record's own fields, plus the decoded
// message and the names the viewer shows, so the file reads on its own.
import type { TraceRecord } from '../../board/devices/trace.ts';
import { decodeMessage } from '../../idl/generated/messages.ts';
import { eventDetail, eventKindLabel, eventMessage, taskLabel, type TaskNames } from './describe.ts';
import type { TraceEvent } from './trace-event.ts';

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Uint8Arrays become hex strings; everything else is JSON already. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export interface ExportedEvent {
  seq: number;
  record: Record<string, unknown>;
  what: string;
  message?: string;
  fields?: unknown;
  detail: string;
  taskName: string;
  pair?: number;
}

export function exportEvent(ev: TraceEvent, names: TaskNames): ExportedEvent {
  const rec: TraceRecord = ev.rec;
  const out: ExportedEvent = {
    seq: ev.seq, record: plain(rec) as Record<string, unknown>, what: eventKindLabel(rec),
    detail: eventDetail(rec, names), taskName: taskLabel(rec.task, names),
  };
  if (rec.kind === 'ipc' && rec.op !== 'notify') {
    out.message = eventMessage(rec);
    if (rec.op !== 'recv' && rec.type >= 0) out.fields = plain(decodeMessage(rec.type, rec.payload).fields);
  }
  if (ev.pair !== null) out.pair = ev.pair;
  return out;
}

export interface TraceExport {
  format: 'wasmos-trace';
  version: 1;
  exportedAt: string;
  /** Events the ring had already dropped when this was taken. */
  evicted: number;
  tasks: Record<string, string>;
  events: ExportedEvent[];
}

export function exportTrace(events: Iterable<TraceEvent>, names: TaskNames, evicted: number, now = new Date()): TraceExport {
  const out: ExportedEvent[] = [];
  for (const ev of events) out.push(exportEvent(ev, names));
  return {
    format: 'wasmos-trace', version: 1, exportedAt: now.toISOString(), evicted,
    tasks: Object.fromEntries([...names].map(([id, n]) => [String(id), n])), events: out,
  };
}
