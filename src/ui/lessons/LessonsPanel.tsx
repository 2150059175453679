// The lesson runner: pick a lesson, read a step, run it (it types, uploads,
// waits and highlights for you), go on. "Share this step" makes a permalink
// of the machine now plus the lesson and step, so a student opens exactly
// this point of the lesson. Lesson text is rendered as text, never as HTML.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useApp } from '../app/session-context.tsx';
import { ShareSession } from '../share/share-session.ts';
import { requestTraceSearch } from '../trace/trace-search-request.ts';
import { bundledLessons } from './lessons.ts';
import { runStep } from './lesson-runner.ts';
import './lessons.css';

/** The lesson and step a permalink names (#...&lesson=ID&step=N, N from 1). */
export function lessonFromHash(hash: string): { id: string; step: number } | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('lesson');
  const step = Number(p.get('step') ?? '1');
  if (!id || !/^[\w-]{1,64}$/.test(id) || !Number.isInteger(step) || step < 1) return null;
  return { id, step };
}

function Prose({ text }: { text: string }): ReactNode {
  // `code` spans become <code>; everything else stays text.
  const parts = text.split(/(`[^`]+`)/);
  return <p>{parts.map((p, i) => (p.startsWith('`') && p.endsWith('`') && p.length > 1 ? <code key={i}>{p.slice(1, -1)}</code> : p))}</p>;
}

export function LessonsPanel(): ReactNode {
  const { session, selection } = useApp();
  const lessons = useMemo(() => bundledLessons(), []);
  const fromLink = useMemo(() => lessonFromHash(location.hash), []);
  const [id, setId] = useState(() => (fromLink && lessons.some((l) => l.id === fromLink.id) ? fromLink.id : lessons[0]?.id ?? ''));
  const lesson = lessons.find((l) => l.id === id);
  const [step, setStep] = useState(() => (fromLink && lesson ? Math.min(fromLink.step, lesson.steps.length) - 1 : 0));
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<ReadonlySet<number>>(new Set());
  const [note, setNote] = useState<string | null>(fromLink ? `Opened from a link at step ${fromLink.step}.` : null);
  const [link, setLink] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    if (fromLink) window.dispatchEvent(new CustomEvent('wasmos:show-panel', { detail: 'lessons' }));
  }, [fromLink]);
  useEffect(() => () => abort.current?.abort(), []);

  if (!lesson) return <p>No lessons in this build.</p>;
  const current = lesson.steps[step]!;

  const run = async (): Promise<void> => {
    abort.current = new AbortController();
    setRunning(true);
    setNote(null);
    try {
      await runStep(current, session, selection, { highlightMessage: requestTraceSearch }, abort.current.signal);
      setDone(new Set([...done, step]));
      setNote(step + 1 < lesson.steps.length ? 'Step done.' : 'Lesson complete.');
    } catch (e) {
      setNote(`This step did not finish: ${(e as Error).message}`);
    } finally {
      setRunning(false);
    }
  };

  const share = async (): Promise<void> => {
    setLink(null);
    const r = await session.share.link();
    if ('error' in r) { setNote(r.error); return; }
    if (!r.fragment) { setNote('The session is too long for a link; use Share → Download recording.'); return; }
    const url = ShareSession.urlFor(`${r.fragment}&lesson=${lesson.id}&step=${step + 1}`, location);
    setLink(url);
    try { await navigator.clipboard.writeText(url); setNote('Link to this step copied.'); } catch { setNote('Copy the link below.'); }
  };

  return (
    <div className="lessons-panel" data-testid="lessons-panel">
      <div className="toolbar">
        <label>
          Lesson{' '}
          <select aria-label="Lesson" value={id} onChange={(e) => { setId(e.target.value); setStep(0); setDone(new Set()); setNote(null); }}>
            {lessons.map((l) => <option key={l.id} value={l.id}>{l.title}</option>)}
          </select>
        </label>
        <span aria-live="polite">Step {step + 1} of {lesson.steps.length}</span>
      </div>
      {step === 0 && lesson.intro.map((p, i) => <Prose key={`i${i}`} text={p} />)}
      <h3>{step + 1}. {current.title}</h3>
      {current.prose.map((p, i) => <Prose key={i} text={p} />)}
      {current.actions.length > 0 && (
        <ul className="lesson-actions" aria-label="What this step does">
          {current.actions.map((a, i) => (
            <li key={i}>
              {a.kind === 'type' && <>types <code>{a.text}</code></>}
              {a.kind === 'upload' && <>uploads and runs <code>{a.path}</code></>}
              {a.kind === 'wait' && <>waits for <code>{a.text}</code></>}
              {a.kind === 'highlight-task' && <>highlights the task <code>{a.name}</code></>}
              {a.kind === 'highlight-message' && <>shows the trace events matching <code>{a.search}</code></>}
              {a.kind === 'show-panel' && <>opens the <code>{a.panel}</code> panel</>}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <button type="button" disabled={step === 0 || running} onClick={() => { setStep(step - 1); setNote(null); }}>Previous</button>
        <button type="button" className="primary" disabled={running || current.actions.length === 0} onClick={() => void run()} data-testid="lesson-run">
          {running ? 'Running…' : done.has(step) ? 'Run again' : 'Run this step'}
        </button>
        {running && <button type="button" onClick={() => abort.current?.abort()}>Stop</button>}
        <button type="button" disabled={step + 1 >= lesson.steps.length || running} onClick={() => { setStep(step + 1); setNote(null); }} data-testid="lesson-next">Next</button>
        <button type="button" disabled={running} onClick={() => void share()}>Share this step</button>
      </div>
      {note && <p className="lesson-note" role="status" data-testid="lesson-note">{note}</p>}
      {link && <input className="share-url" readOnly value={link} aria-label="Link to this step" onFocus={(e) => e.target.select()} />}
    </div>
  );
}
