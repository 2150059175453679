// Which tasks get a lifeline in the sequence diagram. A long trace involves
// hundreds of tasks (the self-test creates ~400), so the lifelines are those
// of the visible rows first, then of the rows around them, the busiest
// first, at most `maxLanes` (what fits the width); the rest share one
// "others" lane at the right.
import type { TraceRecord } from '../../board/devices/trace.ts';

export interface Lanes {
  /** Task ids with a lifeline, left to right (the kernel first). */
  ids: number[];
  /** Whether the "others" lane exists (some task has none). */
  others: boolean;
  /** Lane index of a task (the others lane for tasks without one). */
  indexOf(id: number): number;
  /** Lanes, the others lane included. */
  count: number;
}

export function diagramTasks(rec: TraceRecord): number[] {
  switch (rec.kind) {
    case 'ipc': return rec.src === rec.dst ? [rec.src] : [rec.src, rec.dst];
    case 'task-create': case 'task-exit': case 'fault': return [rec.id];
    default: return [];
  }
}

/** A task in a visible row outweighs any number of rows around them. */
const VISIBLE_WEIGHT = 1_000_000;

export function pickLanes(
  visible: Iterable<TraceRecord>, maxLanes: number, pinned: number | null = null, around: Iterable<TraceRecord> = [],
): Lanes {
  const counts = new Map<number, number>();
  for (const r of visible) for (const t of diagramTasks(r)) counts.set(t, (counts.get(t) ?? 0) + VISIBLE_WEIGHT);
  for (const r of around) for (const t of diagramTasks(r)) counts.set(t, (counts.get(t) ?? 0) + 1);
  if (pinned !== null) counts.set(pinned, Infinity);
  let ids = [...counts.keys()];
  let others = false;
  if (ids.length > maxLanes) {
    // Ties go to the newer task (ids grow): it is the one the trace is about to show more of.
    ids = ids.sort((a, b) => counts.get(b)! - counts.get(a)! || b - a).slice(0, Math.max(1, maxLanes - 1));
    others = true;
  }
  ids.sort((a, b) => a - b);
  const index = new Map(ids.map((id, i) => [id, i]));
  return {
    ids, others, count: ids.length + (others ? 1 : 0),
    indexOf: (id) => index.get(id) ?? ids.length,
  };
}
