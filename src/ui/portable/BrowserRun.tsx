// "Run on the browser's engine": the same .wasm on two systems side by side.
// A picked file starts in WasmOS (as an upload: its output goes to the
// terminal) and, at the same time, on the browser's own WebAssembly engine
// through the portable host (docs/portable.md), whose output and elapsed time
// show in a small pane, so speed and behaviour can be compared.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../app/session-context.tsx';
import { type EngineRun, type EngineStarter, startInWorker } from './browser-engine.ts';
import { programName } from './engine-run.ts';

type Phase = { kind: 'running'; since: number } | { kind: 'ended'; text: string };

interface RunState {
  file: string;
  output: string;
  phase: Phase;
  os: string;
}

const EXIT_WASM_TRAP = -4;

/** "exit 0 after 48 ms", "trapped after 3 ms", "stopped after 2.0 s", "did not start". */
export function endText(reason: number | null | 'stopped', ms: number): string {
  const t = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  if (reason === null) return 'did not start';
  if (reason === 'stopped') return `stopped after ${t}`;
  if (reason === EXIT_WASM_TRAP) return `trapped after ${t}`;
  return reason >= 0 ? `exit ${reason} after ${t}` : `ended (${reason}) after ${t}`;
}

export function BrowserRun({ start = startInWorker }: { start?: EngineStarter }): ReactNode {
  const session = useSession();
  const input = useRef<HTMLInputElement>(null);
  const current = useRef<EngineRun | null>(null);
  const [run, setRun] = useState<RunState | null>(null);
  const [, tick] = useState(0);

  // A running app's elapsed time, refreshed while it runs.
  useEffect(() => {
    if (run?.phase.kind !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 200);
    return () => clearInterval(id);
  }, [run?.phase.kind]);

  useEffect(() => () => current.current?.stop(), []);

  const launch = async (f: File): Promise<void> => {
    const bytes = new Uint8Array(await f.arrayBuffer());
    current.current?.stop();
    const decoder = new TextDecoder();
    setRun({ file: f.name, output: '', phase: { kind: 'running', since: performance.now() }, os: 'starting in WasmOS…' });
    void session.spawnFile(f.name, bytes.slice()).then(
      (r) => setRun((s) => s && s.file === f.name ? { ...s, os: r.ok ? `WasmOS: task ${r.task} (output in the terminal)` : `WasmOS: ${r.message}` } : s),
      (e: unknown) => setRun((s) => s && { ...s, os: `WasmOS: ${(e as Error).message}` }),
    );
    const r = start(bytes, programName(f.name), [], (b) => {
      const text = decoder.decode(b, { stream: true });
      setRun((s) => s && { ...s, output: s.output + text });
    });
    current.current = r;
    const end = await r.done;
    if (current.current === r) current.current = null;
    setRun((s) => s && { ...s, phase: { kind: 'ended', text: endText(end.reason, end.ms) } });
  };

  const phase = run?.phase;
  const status = !phase ? '' : phase.kind === 'running' ? `running… ${((performance.now() - phase.since) / 1000).toFixed(1)} s` : phase.text;

  return (
    <>
      <button type="button" className="upload-button" onClick={() => input.current?.click()}>Run on the browser's engine…</button>
      <input
        ref={input} type="file" accept=".wasm,application/wasm" hidden aria-label="Run a .wasm on the browser's engine"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void launch(f); e.target.value = ''; }}
      />
      {run && (
        <section aria-label="Browser engine" style={PANE}>
          <header style={{ display: 'flex', gap: '0.5rem', alignItems: 'baseline' }}>
            <strong style={{ flex: 1 }}>{run.file} on the browser's engine</strong>
            <output aria-label="Browser engine status">{status}</output>
            {phase?.kind === 'running'
              ? <button type="button" onClick={() => current.current?.stop()}>Stop</button>
              : <button type="button" onClick={() => setRun(null)}>Close</button>}
          </header>
          <pre aria-label="Browser engine output" style={OUTPUT}>{run.output}</pre>
          <small>{run.os}</small>
        </section>
      )}
    </>
  );
}

// Inline styles: the pane floats over the page's corner and needs nothing from the shared stylesheet.
const PANE: React.CSSProperties = {
  position: 'fixed', right: '1rem', bottom: '1rem', zIndex: 20, width: 'min(36rem, 90vw)',
  display: 'flex', flexDirection: 'column', gap: '0.4rem', padding: '0.6rem',
  background: 'var(--panel-bg, Canvas)', color: 'var(--fg, CanvasText)', border: '1px solid var(--border, GrayText)',
  borderRadius: '6px', boxShadow: '0 4px 16px rgba(0,0,0,0.25)', fontSize: '0.85rem',
};
const OUTPUT: React.CSSProperties = { margin: 0, maxHeight: '16rem', overflow: 'auto', whiteSpace: 'pre-wrap', fontFamily: 'monospace' };
