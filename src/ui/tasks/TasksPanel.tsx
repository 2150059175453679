// The live task list: one row per task from the worker's task table, the
// selected one filters the trace viewer; a kill button per live task.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { TaskRow } from '../../host/protocol.ts';
import { formatBytes, formatCount, formatPercent } from '../app/format.ts';
import { useNotice, useSelectedTask, useSession, useStatus, useTasks } from '../app/session-context.tsx';
import { useRowNavigation } from '../app/use-row-navigation.ts';
import { kindLabel, kindTitle, stateLabel } from './task-labels.ts';
import './tasks.css';

export function TasksPanel(): ReactNode {
  const session = useSession();
  const tasks = useTasks();
  const { state } = useStatus();
  const running = state === 'running' || state === 'idle' || state === 'paused';
  const notice = useNotice();
  const [selected, setSelected] = useSelectedTask();
  const [showExited, setShowExited] = useState(true);
  const names = useMemo(() => new Map(tasks.map((t) => [t.id, t.name])), [tasks]);
  const rows = showExited ? tasks : tasks.filter((t) => t.state !== 'exited');
  const live = tasks.filter((t) => t.state !== 'exited').length;
  const selectedShown = rows.some((r) => r.id === selected);

  // Arrows, Page Up/Down, Home and End select (and focus) another row; Enter and Space toggle the selection.
  const moveTo = useCallback((i: number) => {
    const next = rows[i];
    if (!next) return;
    setSelected(next.id);
    document.getElementById(`task-row-${next.id}`)?.focus();
  }, [rows, setSelected]);
  const onKeyDown = useRowNavigation(rows.length, rows.findIndex((t) => t.id === selected), moveTo, 10);

  return (
    <div className="tasks-panel">
      <div className="toolbar">
        <span>{live} live task{live === 1 ? '' : 's'}</span>
        <label><input type="checkbox" checked={showExited} onChange={(e) => setShowExited(e.target.checked)} /> Show exited</label>
        {selected !== null && (
          <button type="button" onClick={() => setSelected(null)}>Clear selection</button>
        )}
      </div>
      <p className="notice" role="status" aria-live="polite">{notice ?? ''}</p>
      <div className="table-scroll">
        <table className="tasks-table" aria-label="Tasks">
          <colgroup>
            <col className="c-id" /><col className="c-name" /><col className="c-kind" /><col className="c-state" />
            <col className="c-cpu" /><col className="c-mem" /><col className="c-msgs" /><col className="c-msgs" /><col className="c-act" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">ID</th><th scope="col">Name</th>
              <th scope="col" title="What the task runs (a WasmOS or WASI module, or kernel code); a server registered a service, an app did not">Kind</th>
              <th scope="col" title="Running, ready, or blocked (in send, receive or call) and on whom">State</th>
              <th scope="col" className="num" title="Share of the instructions the CPU executed between the task's last two statistics (every 100 ms of guest time)">CPU</th>
              <th scope="col" className="num" title="Memory the kernel accounts to the task: stack, module, instance, allocations">Memory</th>
              <th scope="col" className="num" title="Messages sent (delivered)"><abbr title="Messages sent">Sent</abbr></th>
              <th scope="col" className="num" title="Messages received, notifications included"><abbr title="Messages received">Recv</abbr></th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {rows.length === 0 && (
              <tr><td colSpan={9} className="empty">No tasks yet: boot the machine (the self-test creates many).</td></tr>
            )}
            {rows.map((t, i) => (
              <TaskRowView key={t.id} t={t} names={names} selected={t.id === selected} canKill={running}
                focusable={t.id === selected || (i === 0 && !selectedShown)}
                onSelect={() => setSelected(t.id === selected ? null : t.id)} onKill={() => void session.kill(t.id)} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}


interface TaskRowViewProps {
  t: TaskRow;
  names: Map<number, string>;
  selected: boolean;
  /** The one row in the tab order (arrow keys move between rows). */
  focusable: boolean;
  canKill: boolean;
  onSelect: () => void;
  onKill: () => void;
}

function TaskRowView({ t, names, selected, focusable, canKill, onSelect, onKill }: TaskRowViewProps): ReactNode {
  const exited = t.state === 'exited';
  const state = stateLabel(t, names);
  return (
    <tr
      id={`task-row-${t.id}`}
      className={`state-${t.state}${selected ? ' selected' : ''}`}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      onClick={onSelect}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(); } }}
      title="Select to show this task's events in the trace"
    >
      <td>{t.id}</td>
      <td title={t.name}>{t.name}</td>
      <td title={kindTitle(t)} className={t.services.length > 0 ? 'kind-server' : undefined}>{kindLabel(t)}</td>
      <td title={state}>{state}{t.faults > 0 && <span className="badge danger" title="faults">{t.faults} fault{t.faults > 1 ? 's' : ''}</span>}</td>
      <td className="num">
        <span className="cpu-bar" style={{ ['--share' as string]: `${Math.round(t.cpu * 100)}%` }}>{formatPercent(t.cpu)}</span>
      </td>
      <td className="num">{formatBytes(t.memBytes)}</td>
      <td className="num">{formatCount(t.sent)}</td>
      <td className="num">{formatCount(t.received)}</td>
      <td>
        {canKill && !exited && t.id !== 0 && (
          <button type="button" className="danger small" aria-label={`Kill ${t.name} (${t.id})`}
            onClick={(e) => { e.stopPropagation(); onKill(); }}>Kill</button>
        )}
      </td>
    </tr>
  );
}
