// Time travel in the trace viewer: "Go to this event" rebuilds the machine as
// it was at the selected event (the worker restores a checkpoint and replays
// the recorded inputs up to the event's instruction count), then steps by
// message. The live machine waits, paused, until "Back to live"; "Continue
// from here" makes the past instant the live machine.
import type { ReactNode } from 'react';
import { formatCount } from '../app/format.ts';
import { useSession } from '../app/session-context.tsx';
import { useShare } from '../share/use-share.ts';
import type { TraceStore } from './trace-store.ts';

/** The next (dir 1) or previous (-1) IPC message event from `seq`. */
function nextMessage(store: TraceStore, seq: number, dir: 1 | -1): number | null {
  for (let s = seq + dir; s >= store.firstSeq && s < store.endSeq; s += dir) {
    if (store.at(s)?.rec.kind === 'ipc') return s;
  }
  return null;
}

export function TimeTravelBar({ selected, onSelect }: { selected: number | null; onSelect: (seq: number) => void }): ReactNode {
  const session = useSession();
  const share = session.share;
  const travel = useShare((s) => s.travel);
  const busy = useShare((s) => s.travelling);
  const store = session.trace;
  const go = (seq: number | null): void => {
    const ev = seq === null ? undefined : store.at(seq);
    if (!ev || seq === null) return;
    onSelect(seq);
    void share.goTo(seq, ev.rec.time);
  };
  const at = travel?.seq ?? selected;
  return (
    <div className="toolbar time-travel" role="group" aria-label="Time travel" data-testid="time-travel">
      <button type="button" disabled={selected === null || busy} onClick={() => go(selected)}>Go to this event</button>
      {travel && (
        <>
          <button type="button" disabled={busy} aria-label="Previous message" onClick={() => go(nextMessage(store, at!, -1))}>◀ Message</button>
          <button type="button" disabled={busy} aria-label="Next message" onClick={() => go(nextMessage(store, at!, 1))}>Message ▶</button>
          <button type="button" disabled={busy} onClick={() => void share.backToLive()}>Back to live</button>
          <button type="button" disabled={busy} onClick={() => void share.continueFromPast()}>Continue from here</button>
        </>
      )}
      <span className="time-travel-state" aria-live="polite" data-testid="time-travel-state">
        {busy && 'Travelling…'}
        {!busy && travel && (
          <>
            At event #{travel.seq} (instruction {formatCount(travel.result.instret)}), state hash{' '}
            <code data-testid="travel-hash">{travel.result.hash}</code>; {travel.result.tasks.filter((t) => t.state !== 'exited').length} tasks
          </>
        )}
      </span>
      {!busy && travel && (
        <details className="time-travel-details">
          <summary>Console and tasks then</summary>
          <pre className="time-travel-console">{travel.result.console.split('\r').join('').slice(-2000)}</pre>
          <ul>{travel.result.tasks.map((t) => <li key={t.id}>{t.id} {t.name} — {t.state}</li>)}</ul>
        </details>
      )}
    </div>
  );
}
