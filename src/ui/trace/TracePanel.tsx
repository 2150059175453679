// The IPC trace viewer: filters (task, kind, message type, text), pause and
// resume, export, and the events as a sequence diagram and a table.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { downloadJson } from '../app/download.ts';
import { formatCount } from '../app/format.ts';
import { useSelectedTask, useSession, useStatus, useTraceVersion } from '../app/session-context.tsx';
import { taskLabel, typeLabel } from './describe.ts';
import { exportTrace } from './export-json.ts';
import { FilteredView } from './filtered-view.ts';
import { isDiagramEvent, SequenceDiagram } from './SequenceDiagram.tsx';
import { CATEGORIES, type TraceCategory, type TraceEvent } from './trace-event.ts';
import { DEFAULT_FILTER, type TraceFilter } from './trace-filter.ts';
import { TraceTable } from './TraceTable.tsx';
import { TimeTravelBar } from './TimeTravelBar.tsx';
import { onTraceSearchRequest } from './trace-search-request.ts';

export type TraceLayout = 'both' | 'diagram' | 'table';

const SEARCH_DELAY_MS = 200;

export interface TracePanelProps {
  initialLayout?: TraceLayout;
  /** Whether the panel is visible; a hidden one does not re-render for each batch. */
  active?: boolean;
}

export function TracePanel({ initialLayout = 'both', active = true }: TracePanelProps): ReactNode {
  const session = useSession();
  const store = session.trace;
  const status = useStatus();
  const version = useTraceVersion(active);
  const [task, setTask] = useSelectedTask();
  const [categories, setCategories] = useState<ReadonlySet<TraceCategory>>(DEFAULT_FILTER.categories);
  const [type, setType] = useState<number | null>(null);
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [layout, setLayout] = useState<TraceLayout>(initialLayout);

  useEffect(() => onTraceSearchRequest(setSearchInput), []);
  useEffect(() => {
    const t = setTimeout(() => setSearch(searchInput), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [searchInput]);

  const filter: TraceFilter = useMemo(() => ({ task, categories, type, search }), [task, categories, type, search]);
  const [{ table, diagram }] = useState(() => ({
    table: new FilteredView(store, filter),
    diagram: new FilteredView(store, filter, isDiagramEvent),
  }));
  // The views are caches over the store: bring them up to date before rendering
  // (a rescan only when the filter or the pause changed).
  const applied = useRef({ filter, paused });
  if (applied.current.filter !== filter) {
    table.setFilter(filter);
    diagram.setFilter(filter);
  }
  if (applied.current.paused !== paused) {
    table.freeze(paused);
    diagram.freeze(paused);
  }
  applied.current = { filter, paused };
  table.sync();
  diagram.sync();

  const toggleCategory = (c: TraceCategory): void => {
    const next = new Set(categories);
    if (next.has(c)) next.delete(c); else next.add(c);
    setCategories(next);
  };

  const onExport = useCallback(() => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < table.length; i++) { const ev = table.eventAt(i); if (ev) events.push(ev); }
    downloadJson('wasmos-trace.json', exportTrace(events, store.names, store.evicted));
  }, [table, store]);

  const taskIds = [...store.tasks].sort((a, b) => a - b);
  if (task !== null && !store.tasks.has(task)) taskIds.push(task);
  const types = [...store.types].sort((a, b) => a - b);
  const held = table.heldBack;

  return (
    <div className="trace-panel">
      <div className="toolbar" role="toolbar" aria-label="Trace controls">
        <label>
          Task{' '}
          <select aria-label="Filter by task" value={task ?? ''} onChange={(e) => setTask(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">All tasks</option>
            {taskIds.map((id) => <option key={id} value={id}>{taskLabel(id, store.names)}</option>)}
          </select>
        </label>
        <label>
          Message{' '}
          <select aria-label="Filter by message type" value={type ?? ''} onChange={(e) => setType(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">All types</option>
            {types.map((t) => <option key={t} value={t}>{`${typeLabel(t)} (${t})`}</option>)}
          </select>
        </label>
        <input type="search" placeholder="Search" aria-label="Search the trace" value={searchInput} onChange={(e) => setSearchInput(e.target.value)} />
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>{paused ? 'Resume' : 'Pause'}</button>
        <button type="button" onClick={onExport}>Export JSON</button>
        <span className="segmented" role="group" aria-label="Layout">
          {(['both', 'diagram', 'table'] as const).map((l) => (
            <button key={l} type="button" aria-pressed={layout === l} onClick={() => setLayout(l)}>
              {l === 'both' ? 'Both' : l === 'diagram' ? 'Diagram' : 'Table'}
            </button>
          ))}
        </span>
      </div>
      <fieldset className="toolbar categories">
        <legend className="visually-hidden">Kinds of events</legend>
        {CATEGORIES.map((c) => (
          <label key={c.id} className="chip">
            <input type="checkbox" checked={categories.has(c.id)} onChange={() => toggleCategory(c.id)} /> {c.label}
          </label>
        ))}
      </fieldset>
      <p className="trace-summary" aria-live="polite">
        {formatCount(table.length)} shown of {formatCount(store.size)} held
        {store.evicted > 0 && <>, {formatCount(store.evicted)} older dropped</>}
        {status.traceDropped > 0 && <>, {formatCount(status.traceDropped)} lost by the kernel</>}
        {paused && <> — paused{held > 0 && <>, {formatCount(held)} new</>}</>}
        {!status.traceEnabled && status.state !== 'off' && <> — recording is off</>}
      </p>
      <TimeTravelBar selected={selected} onSelect={setSelected} />
      <div className={`trace-views layout-${layout}`}>
        {layout !== 'table' && (
          <SequenceDiagram view={diagram} names={store.names} selected={selected} onSelect={setSelected}
            follow={!paused} pinnedTask={task} version={version} />
        )}
        {layout !== 'diagram' && (
          <TraceTable view={table} names={store.names} selected={selected} onSelect={setSelected} follow={!paused} version={version} />
        )}
      </div>
    </div>
  );
}
