// One trace record as the viewer holds it: numbered in arrival order, with
// its call/reply partner once known.
import type { TraceRecord } from '../../board/devices/trace.ts';

export interface TraceEvent {
  /** Arrival number, from 0 at boot; never reused. */
  readonly seq: number;
  readonly rec: TraceRecord;
  /** A call's reply, or a reply's call (their seq), once both arrived. */
  pair: number | null;
  /** Lower-case text for search, made on first use. */
  text?: string;
}

/** Groups for the kind filter. */
export type TraceCategory = 'ipc' | 'notify' | 'task' | 'fault' | 'service' | 'sched' | 'stats' | 'log' | 'other';

export const CATEGORIES: ReadonlyArray<{ id: TraceCategory; label: string }> = [
  { id: 'ipc', label: 'Messages' },
  { id: 'notify', label: 'Notifications' },
  { id: 'task', label: 'Task lifecycle' },
  { id: 'fault', label: 'Faults & denials' },
  { id: 'service', label: 'Services' },
  { id: 'sched', label: 'Switches & IRQs' },
  { id: 'stats', label: 'Statistics' },
  { id: 'log', label: 'Kernel log' },
  { id: 'other', label: 'Other' },
];

export function categoryOf(rec: TraceRecord): TraceCategory {
  switch (rec.kind) {
    case 'ipc': return rec.op === 'notify' ? 'notify' : 'ipc';
    case 'task-create': case 'task-exit': return 'task';
    case 'fault': case 'denied': return 'fault';
    case 'service': return 'service';
    case 'switch': case 'irq': return 'sched';
    case 'task-stats': return 'stats';
    case 'log': return 'log';
    default: return 'other';
  }
}

/** The tasks an event concerns (for the task filter and the diagram's lifelines). */
export function tasksOf(rec: TraceRecord): number[] {
  switch (rec.kind) {
    case 'ipc': return rec.src === rec.dst ? [rec.src] : [rec.src, rec.dst];
    case 'task-create': return [rec.id, rec.parent];
    case 'task-exit': case 'fault': case 'task-stats': return [rec.id];
    case 'switch': return [rec.from, rec.to];
    case 'irq': return [rec.owner];
    default: return [rec.task];
  }
}
