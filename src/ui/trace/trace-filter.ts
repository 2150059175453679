// Which events the viewer shows.
import type { TraceRecord } from '../../board/devices/trace.ts';
import { searchText, type TaskNames } from './describe.ts';
import { categoryOf, tasksOf, type TraceCategory, type TraceEvent } from './trace-event.ts';

export interface TraceFilter {
  /** Only events concerning this task (null: all). */
  task: number | null;
  categories: ReadonlySet<TraceCategory>;
  /** Only IPC events of this message type (null: all). */
  type: number | null;
  /** Case-insensitive text. */
  search: string;
}

/** Everything but the high-volume scheduling and statistics records. */
export const DEFAULT_CATEGORIES: ReadonlySet<TraceCategory> = new Set<TraceCategory>(['ipc', 'notify', 'task', 'fault', 'service', 'log', 'other']);

export const DEFAULT_FILTER: TraceFilter = { task: null, categories: DEFAULT_CATEGORIES, type: null, search: '' };

export function matchesRecord(rec: TraceRecord, f: TraceFilter): boolean {
  if (!f.categories.has(categoryOf(rec))) return false;
  if (f.type !== null && (rec.kind !== 'ipc' || rec.op === 'notify' || rec.type !== f.type)) return false;
  if (f.task !== null && !tasksOf(rec).includes(f.task) && rec.task !== f.task) return false;
  return true;
}

export function matches(ev: TraceEvent, f: TraceFilter, names: TaskNames): boolean {
  if (!matchesRecord(ev.rec, f)) return false;
  const q = f.search.trim().toLowerCase();
  return q === '' || searchText(ev, names).includes(q);
}
