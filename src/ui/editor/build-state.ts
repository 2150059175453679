// Build & Run as a state machine: a pure reducer (tested on its own) and the
// steps that drive it. A build compiles (loading the compiler first, once),
// then hands the module to the OS exactly as an uploaded file
// (session.spawnFile: /host/uploads, then init spawns it through the host
// mailbox), so the kernel's verdict is the same as for a drop.
import type { CompilePhase, CompileRequest, Diagnostic } from './compiler/diagnostic.ts';
import { errorCount } from './compiler/diagnostic.ts';
import type { Compiler } from './compiler/compiler.ts';
import type { SpawnResult } from '../../host/protocol.ts';

export type BuildState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'compiling' }
  | { phase: 'starting'; bytes: number; ms: number; diagnostics: Diagnostic[] }
  | { phase: 'running'; task: number; message: string; bytes: number; ms: number; diagnostics: Diagnostic[] }
  /** Compile errors (diagnostics), the kernel refusing the module, or the compiler failing to load. */
  | { phase: 'failed'; stage: 'compile' | 'spawn' | 'internal'; message: string; diagnostics: Diagnostic[] };

export type BuildEvent =
  | { type: 'phase'; phase: CompilePhase }
  | { type: 'compiled'; wasm: Uint8Array | null; diagnostics: Diagnostic[]; ms: number }
  | { type: 'spawned'; result: SpawnResult }
  | { type: 'crashed'; message: string }
  | { type: 'edited' }
  /** Another example was opened. */
  | { type: 'cleared' };

export const IDLE: BuildState = { phase: 'idle' };

export function isBusy(s: BuildState): boolean {
  return s.phase === 'loading' || s.phase === 'compiling' || s.phase === 'starting';
}

export function buildReducer(s: BuildState, e: BuildEvent): BuildState {
  switch (e.type) {
    case 'phase':
      return e.phase === 'loading' ? { phase: 'loading' } : { phase: 'compiling' };
    case 'compiled': {
      const errors = errorCount(e.diagnostics);
      if (!e.wasm || errors > 0) {
        const message = errors > 0 ? `${errors} compile error${errors === 1 ? '' : 's'}` : 'The compiler produced no module.';
        return { phase: 'failed', stage: 'compile', message, diagnostics: e.diagnostics };
      }
      return { phase: 'starting', bytes: e.wasm.length, ms: e.ms, diagnostics: e.diagnostics };
    }
    case 'spawned': {
      if (s.phase !== 'starting') return s;
      const r = e.result;
      if (r.ok && r.task !== null) return { phase: 'running', task: r.task, message: r.message, bytes: s.bytes, ms: s.ms, diagnostics: s.diagnostics };
      return { phase: 'failed', stage: 'spawn', message: r.message, diagnostics: s.diagnostics };
    }
    case 'crashed':
      return { phase: 'failed', stage: 'internal', message: e.message, diagnostics: [] };
    case 'edited':
      // The source changed: a compile error list no longer matches it, but keep it until the next build
      // (the markers move with the text); only a finished run's summary is dropped.
      return s.phase === 'running' ? IDLE : s;
    case 'cleared':
      return isBusy(s) ? s : IDLE;
  }
}

export interface BuildDeps {
  compiler: Compiler;
  spawn: (name: string, bytes: Uint8Array) => Promise<SpawnResult>;
  dispatch: (e: BuildEvent) => void;
}

/** Compiles `req` and, if it built, starts it as `fileName`. Never throws: failures become events. */
export async function buildAndRun(req: CompileRequest, fileName: string, deps: BuildDeps): Promise<void> {
  try {
    const r = await deps.compiler.compile(req, (phase) => deps.dispatch({ type: 'phase', phase }));
    deps.dispatch({ type: 'compiled', wasm: r.wasm, diagnostics: r.diagnostics, ms: r.ms });
    if (!r.wasm || errorCount(r.diagnostics) > 0) return;
    deps.dispatch({ type: 'spawned', result: await deps.spawn(fileName, r.wasm) });
  } catch (e) {
    deps.dispatch({ type: 'crashed', message: e instanceof Error ? e.message : String(e) });
  }
}
