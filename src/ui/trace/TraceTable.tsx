// The trace as a table: one row per event, only the rows in view rendered.
import { useCallback, type ReactNode } from 'react';
import { formatCount } from '../app/format.ts';
import { useRowNavigation } from '../app/use-row-navigation.ts';
import { VirtualList } from '../app/VirtualList.tsx';
import { eventDetail, eventKindLabel, eventMessage, eventRoute, taskLabel, type TaskNames } from './describe.ts';
import type { FilteredView } from './filtered-view.ts';
import { categoryOf } from './trace-event.ts';

export const TABLE_ROW_HEIGHT = 24;

export interface TraceTableProps {
  view: FilteredView;
  names: TaskNames;
  selected: number | null;
  onSelect: (seq: number | null) => void;
  follow: boolean;
  /** Changes when the view's content does (forces a render). */
  version: number;
}

const COLUMNS = ['#', 'Time (instr.)', 'Event', 'Message', 'From → to', 'Details', 'Pair', 'Running task'];

export function TraceTable({ view, names, selected, onSelect, follow }: TraceTableProps): ReactNode {
  const active = selected === null ? -1 : view.indexOf(selected);
  const setActive = useCallback((i: number) => onSelect(view.seqAt(i)), [view, onSelect]);
  const jumpToPair = useCallback((i: number) => {
    const pair = view.eventAt(i)?.pair;
    if (pair !== null && pair !== undefined && view.indexOf(pair) >= 0) onSelect(pair);
  }, [view, onSelect]);
  const onKeyDown = useRowNavigation(view.length, active, setActive, 20, jumpToPair);

  const renderRow = (i: number): ReactNode => {
    const ev = view.eventAt(i);
    if (!ev) return null;
    const r = ev.rec;
    const isSel = ev.seq === selected;
    const isPair = selected !== null && ev.pair === selected;
    const failed = r.kind === 'ipc' && r.result < 0;
    return (
      <div
        key={ev.seq}
        id={`trace-row-${ev.seq}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={isSel}
        className={`trace-row cat-${categoryOf(r)}${isSel ? ' selected' : ''}${isPair ? ' paired' : ''}${failed ? ' failed' : ''}`}
        style={{ height: TABLE_ROW_HEIGHT }}
        onClick={() => onSelect(ev.seq)}
      >
        <span role="cell">{ev.seq}</span>
        <span role="cell">{formatCount(r.time)}</span>
        <span role="cell">{eventKindLabel(r)}</span>
        <span role="cell">{eventMessage(r)}</span>
        <span role="cell">{eventRoute(r, names)}</span>
        <span role="cell" title={eventDetail(r, names)}>{eventDetail(r, names)}</span>
        <span role="cell">
          {ev.pair !== null && (
            <button type="button" className="link" tabIndex={-1} onClick={(e) => { e.stopPropagation(); onSelect(ev.pair); }}
              aria-label={`${r.kind === 'ipc' && r.op === 'call' ? 'reply' : 'call'} #${ev.pair}`}>
              {r.kind === 'ipc' && r.op === 'call' ? `↳ #${ev.pair}` : `↰ #${ev.pair}`}
            </button>
          )}
        </span>
        <span role="cell">{taskLabel(r.task, names)}</span>
      </div>
    );
  };

  return (
    <VirtualList
      className="trace-table"
      role="table"
      aria-label="Trace events"
      aria-rowcount={view.length + 1}
      aria-activedescendant={active >= 0 ? `trace-row-${selected}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      count={view.length}
      rowHeight={TABLE_ROW_HEIGHT}
      headerHeight={TABLE_ROW_HEIGHT}
      header={
        <div role="row" aria-rowindex={1} className="trace-row trace-head">
          {COLUMNS.map((c) => <span role="columnheader" key={c}>{c}</span>)}
        </div>
      }
      renderRow={renderRow}
      follow={follow}
      scrollToIndex={active >= 0 ? active : null}
    />
  );
}
