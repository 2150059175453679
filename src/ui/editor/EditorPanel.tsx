// The Editor panel: the examples gallery, Build & Run, the editing surface
// (Monaco, loaded with this chunk on first show) and the problems list.
// Build & Run compiles in a worker and starts the module through
// session.spawnFile, the path a dropped .wasm takes, so the task's output is
// in the terminal, its row in Tasks and its messages in the trace.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useSession } from '../app/session-context.tsx';
import { useTheme } from '../app/theme.ts';
import { IDLE, buildAndRun, buildReducer, isBusy } from './build-state.ts';
import { statusText } from './build-status.ts';
import { isRunKey, type CodeSurface, type SurfaceDocument, type SurfaceFactory } from './code-surface.ts';
import { WorkerCompiler, type Compiler } from './compiler/compiler.ts';
import type { Diagnostic } from './compiler/diagnostic.ts';
import { forgetEdit, loadCurrent, loadEdit, saveCurrent, saveEdit } from './editor-storage.ts';
import { ErrorList } from './ErrorList.tsx';
import { ExampleGallery } from './ExampleGallery.tsx';
import { EXAMPLES, exampleById, type Example } from './examples.ts';
import { createPlainSurface } from './plain-surface.ts';
import './editor.css';

export interface EditorPanelProps {
  active: boolean;
  /** Defaults to the compile worker. */
  compiler?: Compiler;
  /** Defaults to Monaco (falling back to a textarea if it cannot load). */
  createSurface?: SurfaceFactory;
}

const loadMonaco: SurfaceFactory = async (host, options) => {
  const { createMonacoSurface } = await import('./monaco-surface.ts');
  return createMonacoSurface(host, options);
};

const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

const docOf = (x: Example): SurfaceDocument => ({ path: x.path, language: x.language, value: loadEdit(x.id) ?? x.source });

export function EditorPanel({ active, compiler: givenCompiler, createSurface = loadMonaco }: EditorPanelProps): ReactNode {
  const session = useSession();
  const [theme] = useTheme();
  const compiler = useMemo(() => givenCompiler ?? new WorkerCompiler(), [givenCompiler]);
  const [currentId, setCurrentId] = useState(() => exampleById(loadCurrent() ?? '')?.id ?? EXAMPLES[0]!.id);
  const example = exampleById(currentId)!;
  const [state, dispatch] = useReducer(buildReducer, IDLE);
  const [surfaceNote, setSurfaceNote] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [, setEditsVersion] = useState(0);
  const host = useRef<HTMLDivElement>(null);
  const surface = useRef<CodeSurface | null>(null);
  // The latest values for callbacks the surface keeps (it is created once).
  const latest = useRef({ example, state, theme, run: () => {} });

  const busy = isBusy(state);
  const diagnostics: readonly Diagnostic[] = 'diagnostics' in state ? state.diagnostics : NO_DIAGNOSTICS;

  const run = useCallback(() => {
    const { example: x, state: s } = latest.current;
    const sf = surface.current;
    if (!sf || isBusy(s)) return;
    void buildAndRun(
      { language: x.language, path: x.path, source: sf.getValue(), flags: x.flags },
      x.fileName,
      { compiler, spawn: (name, bytes) => session.spawnFile(name, bytes), dispatch },
    );
  }, [compiler, session]);
  latest.current = { example, state, theme, run };

  // The surface: created once, on first show (this component mounts only then).
  useEffect(() => {
    if (!host.current) return;
    // Each surface gets its own element: under StrictMode a second one can be created before the first
    // (still loading) is disposed, and Monaco refuses two editors on one element.
    const el = host.current.appendChild(document.createElement('div'));
    el.className = 'editor-mount';
    let disposed = false;
    const options = {
      document: docOf(latest.current.example),
      theme,
      ariaLabel: 'Program source',
      onChange: (text: string) => {
        const x = latest.current.example;
        const before = loadEdit(x.id) !== null;
        saveEdit(x.id, text, x.source);
        if (before !== (loadEdit(x.id) !== null)) setEditsVersion((v) => v + 1);
        dispatch({ type: 'edited' });
      },
      onRun: () => latest.current.run(),
    };
    createSurface(el, options)
      .catch((e: unknown) => {
        setSurfaceNote(`The code editor could not load (${e instanceof Error ? e.message : String(e)}); using a plain text area.`);
        return createPlainSurface(el, options);
      })
      .then((s) => {
        if (disposed) {
          s.dispose();
          return;
        }
        surface.current = s;
        // The user may have picked another example, or another theme, while the editor loaded.
        if (latest.current.example.path !== options.document.path) s.open(docOf(latest.current.example));
        s.setTheme(latest.current.theme);
        setReady(true);
      });
    return () => {
      disposed = true;
      surface.current?.dispose();
      surface.current = null;
      el.remove();
    };
    // Created once; later changes go through open(), setTheme() and setDiagnostics().
  }, []);

  useEffect(() => { surface.current?.setTheme(theme); }, [theme]);
  useEffect(() => { surface.current?.setDiagnostics(diagnostics); }, [diagnostics]);

  const pick = (id: string): void => {
    const x = exampleById(id);
    if (!x || id === currentId) return;
    saveCurrent(id);
    setCurrentId(id);
    surface.current?.open(docOf(x));
    if (!busy) dispatch({ type: 'cleared' });
  };

  const reset = (): void => {
    forgetEdit(example.id);
    surface.current?.setValue(example.source);
    setEditsVersion((v) => v + 1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    // Ctrl/Cmd+Enter anywhere in the panel (Monaco handles it inside the editor itself).
    if (isRunKey(e) && !e.defaultPrevented) {
      e.preventDefault();
      run();
    }
  };

  return (
    <section className="editor-panel" aria-label="Editor" onKeyDown={onKeyDown} data-active={active}>
      <ExampleGallery examples={EXAMPLES} current={currentId} edited={(id) => loadEdit(id) !== null} onPick={pick} />
      <div className="toolbar editor-toolbar" role="toolbar" aria-label="Build">
        <button type="button" className="primary" onClick={run} disabled={busy || !ready} aria-keyshortcuts="Control+Enter Meta+Enter" title="Build & Run (Ctrl+Enter)">
          Build &amp; Run
        </button>
        <button type="button" onClick={reset} disabled={!ready || loadEdit(example.id) === null} title="Forget your edits to this example">Reset example</button>
        {busy && <progress className="editor-progress" aria-label="Build progress" />}
        <output className={`editor-status status-${state.phase}`} aria-live="polite" data-testid="editor-status">{ready ? statusText(state) : 'Loading the editor…'}</output>
      </div>
      <p className="editor-summary">{example.summary} <code>{example.path}</code></p>
      {surfaceNote && <p className="editor-note" role="alert">{surfaceNote}</p>}
      <div className="editor-host" ref={host} aria-busy={!ready} />
      <ErrorList diagnostics={diagnostics} path={example.path} onPick={(d) => surface.current?.reveal(d.line, d.column)} />
    </section>
  );
}
