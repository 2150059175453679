// The trace as a sequence diagram: a lifeline per task, an arrow per message
// (call, reply, send and notify drawn apart; a failed one in red), task
// births, exits and faults on their lifeline. Virtualised like the table;
// the lifelines are picked from the rows around the ones in view.
import { useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { TraceRecord } from '../../board/devices/trace.ts';
import { useRowNavigation } from '../app/use-row-navigation.ts';
import { VirtualList } from '../app/VirtualList.tsx';
import { eventDetail, eventKindLabel, eventMessage, exitReasonLabel, notifyBitsLabel, taskLabel, type TaskNames } from './describe.ts';
import type { FilteredView } from './filtered-view.ts';
import { pickLanes, type Lanes } from './lanes.ts';
import type { TraceEvent } from './trace-event.ts';

export const DIAGRAM_ROW_HEIGHT = 28;
const HEADER_HEIGHT = 36;
const GUTTER = 56;
const LANE_WIDTH = 120;
/** Lifelines at least, however narrow the pane. */
const MIN_LANES = 3;
/** Rows around the visible ones that also choose lifelines (steadier as you scroll). */
const LANE_CONTEXT = 40;

/** The events the diagram draws: messages, notifications, task lifecycle and faults. */
export function isDiagramEvent(ev: TraceEvent): boolean {
  const r = ev.rec;
  return (r.kind === 'ipc' && r.op !== 'recv') || r.kind === 'task-create' || r.kind === 'task-exit' || r.kind === 'fault';
}

export interface SequenceDiagramProps {
  view: FilteredView;
  names: TaskNames;
  selected: number | null;
  onSelect: (seq: number | null) => void;
  follow: boolean;
  /** A task that always gets a lifeline (the filter's). */
  pinnedTask: number | null;
  version: number;
}

const laneX = (i: number): number => GUTTER + i * LANE_WIDTH + LANE_WIDTH / 2;

function arrowLabel(r: Extract<TraceRecord, { kind: 'ipc' }>): string {
  return r.op === 'notify' ? `notify ${notifyBitsLabel(r.type)}` : eventMessage(r);
}

function Arrow({ r, lanes }: { r: Extract<TraceRecord, { kind: 'ipc' }>; lanes: Lanes }): ReactNode {
  const x1 = laneX(lanes.indexOf(r.src));
  const x2 = laneX(lanes.indexOf(r.dst));
  const y = DIAGRAM_ROW_HEIGHT - 9;
  const dir = x2 >= x1 ? 1 : -1;
  const tip = `${x2},${y}`;
  const back1 = `${x2 - dir * 8},${y - 4}`;
  const back2 = `${x2 - dir * 8},${y + 4}`;
  const failed = r.result < 0;
  const cls = `arrow arrow-${r.op}${failed ? ' failed' : ''}`;
  const mid = (x1 + x2) / 2;
  return (
    <g className={cls} data-op={r.op}>
      {x1 === x2
        ? <path d={`M${x1},${y - 8} h18 v8 h-14`} fill="none" />
        : <line x1={x1} y1={y} x2={x2 - dir * 6} y2={y} />}
      {r.op === 'notify' ? <polyline points={`${back1} ${tip} ${back2}`} fill="none" /> : <polygon points={`${tip} ${back1} ${back2}`} />}
      {failed && <text x={x2 - dir * 14} y={y + 4} className="fail-mark">✕</text>}
      <text x={x1 === x2 ? x1 + 22 : mid} y={y - 5} textAnchor={x1 === x2 ? 'start' : 'middle'} className="arrow-label">{arrowLabel(r)}</text>
    </g>
  );
}

function Marker({ r, lanes, names }: { r: TraceRecord; lanes: Lanes; names: TaskNames }): ReactNode {
  if (r.kind !== 'task-create' && r.kind !== 'task-exit' && r.kind !== 'fault') return null;
  const x = laneX(lanes.indexOf(r.id));
  const y = DIAGRAM_ROW_HEIGHT / 2;
  const label = r.kind === 'task-create' ? `+ ${taskLabel(r.id, names)}` : r.kind === 'task-exit' ? `✕ ${exitReasonLabel(r.reason)}` : '⚡ fault';
  return (
    <g className={`marker marker-${r.kind}`}>
      <circle cx={x} cy={y} r={4} />
      <text x={x + 8} y={y + 4}>{label}</text>
    </g>
  );
}

export function SequenceDiagram({ view, names, selected, onSelect, follow, pinnedTask }: SequenceDiagramProps): ReactNode {
  const lanesRef = useRef<Lanes>(pickLanes([], MIN_LANES));
  const [width, setWidth] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setWidth(el.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Before layout (and without one: tests) assume a laptop-sized pane.
  const maxLanes = Math.max(MIN_LANES, Math.floor(((width || 800) - GUTTER) / LANE_WIDTH));

  const onRange = useCallback((first: number, last: number) => {
    const visible: TraceRecord[] = [];
    const around: TraceRecord[] = [];
    const from = Math.max(0, first - LANE_CONTEXT);
    const to = Math.min(view.length, last + LANE_CONTEXT);
    for (let i = from; i < to; i++) {
      const ev = view.eventAt(i);
      if (ev) (i >= first && i < last ? visible : around).push(ev.rec);
    }
    lanesRef.current = pickLanes(visible, maxLanes, pinnedTask, around);
  }, [view, pinnedTask, maxLanes]);

  const active = selected === null ? -1 : view.indexOf(selected);
  const setActive = useCallback((i: number) => onSelect(view.seqAt(i)), [view, onSelect]);
  const jumpToPair = useCallback((i: number) => {
    const pair = view.eventAt(i)?.pair;
    if (pair !== null && pair !== undefined && view.indexOf(pair) >= 0) onSelect(pair);
  }, [view, onSelect]);
  const onKeyDown = useRowNavigation(view.length, active, setActive, 16, jumpToPair);

  const rowWidth = (): number => GUTTER + Math.max(1, lanesRef.current.count) * LANE_WIDTH;

  const lifelines = (lanes: Lanes): ReactNode =>
    Array.from({ length: lanes.count }, (_, i) => (
      <line key={i} className="lifeline" x1={laneX(i)} y1={0} x2={laneX(i)} y2={DIAGRAM_ROW_HEIGHT} />
    ));

  const header = (): ReactNode => {
    const lanes = lanesRef.current;
    return (
      <div className="seq-header" style={{ width: rowWidth() }}>
        {lanes.ids.map((id, i) => (
          <span key={id} className="seq-lane-name" style={{ left: laneX(i) - LANE_WIDTH / 2, width: LANE_WIDTH }} title={taskLabel(id, names)}>
            {taskLabel(id, names)}
          </span>
        ))}
        {lanes.others && <span className="seq-lane-name others" style={{ left: laneX(lanes.ids.length) - LANE_WIDTH / 2, width: LANE_WIDTH }}>others</span>}
      </div>
    );
  };

  const renderRow = (i: number): ReactNode => {
    const ev = view.eventAt(i);
    if (!ev) return null;
    const r = ev.rec;
    const lanes = lanesRef.current;
    const isSel = ev.seq === selected;
    const isPair = selected !== null && ev.pair === selected;
    const label = r.kind === 'ipc'
      ? `${eventKindLabel(r)} ${eventMessage(r)} from ${taskLabel(r.src, names)} to ${taskLabel(r.dst, names)}${r.result < 0 ? ' (failed)' : ''}`
      : `${eventKindLabel(r)}: ${eventDetail(r, names)}`;
    return (
      <div
        key={ev.seq}
        id={`seq-row-${ev.seq}`}
        role="listitem"
        aria-label={label}
        aria-selected={isSel}
        data-seq={ev.seq}
        data-pair={ev.pair ?? undefined}
        className={`seq-row${isSel ? ' selected' : ''}${isPair ? ' paired' : ''}`}
        style={{ height: DIAGRAM_ROW_HEIGHT, width: rowWidth() }}
        onClick={() => onSelect(ev.seq)}
      >
        <span className="seq-num">{ev.seq}</span>
        <svg width={rowWidth()} height={DIAGRAM_ROW_HEIGHT} aria-hidden="true">
          {lifelines(lanes)}
          {r.kind === 'ipc' ? <Arrow r={r} lanes={lanes} /> : <Marker r={r} lanes={lanes} names={names} />}
        </svg>
      </div>
    );
  };

  return (
    <div className="seq-box" ref={box}>
      <VirtualList
        className="seq-diagram"
        role="list"
        aria-label="Sequence diagram"
        aria-activedescendant={active >= 0 ? `seq-row-${selected}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        count={view.length}
        rowHeight={DIAGRAM_ROW_HEIGHT}
        headerHeight={HEADER_HEIGHT}
        header={header}
        onRange={onRange}
        renderRow={renderRow}
        follow={follow}
        scrollToIndex={active >= 0 ? active : null}
      />
    </div>
  );
}
