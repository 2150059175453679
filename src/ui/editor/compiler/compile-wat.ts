// The WAT front end: wabt (its Emscripten build, ~700 kB) loaded on first use.
// parseWat + resolveNames + validate + toBinary, the same steps as wat2wasm.
// wabt reports errors only as text ("file:line:col: error: message", the
// source line, then carets under the token), which parseWabtErrors reads.
import type { CompilePhase, CompileRequest, CompileResult, Diagnostic } from './diagnostic.ts';

// wabt is CommonJS (`export = wabt`): in ESM its function is the default export.
type WabtInit = typeof import('wabt');
type Wabt = Awaited<ReturnType<WabtInit>>;

let loading: Promise<Wabt> | null = null;

export function loadWabt(): Promise<Wabt> {
  loading ??= import('wabt').then((m) => (m as unknown as { default: WabtInit }).default()).catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

const HEAD = /^(.*?):(\d+):(\d+): (error|warning): (.*)$/;

/** wabt's error text to diagnostics; text it does not recognise becomes one error at 1:1. */
export function parseWabtErrors(text: string, file: string): Diagnostic[] {
  const lines = text.split('\n');
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEAD.exec(lines[i]!);
    if (!m) continue;
    const line = Number(m[2]);
    const column = Number(m[3]);
    // The caret line (two lines down) spans the token.
    const carets = /^\s*(\^+)/.exec(lines[i + 2] ?? '');
    const width = carets ? carets[1]!.length : 1;
    out.push({ severity: m[4] as 'error' | 'warning', message: m[5]!, file, line, column, endLine: line, endColumn: column + width });
  }
  if (out.length === 0) {
    const message = text.replace(/^(parseWat|validate|resolveNames) failed:\s*/, '').trim() || 'wabt failed';
    out.push({ severity: 'error', message, file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  }
  return out;
}

export async function compileWat(req: CompileRequest, onPhase: (p: CompilePhase) => void = () => {}): Promise<CompileResult> {
  onPhase('loading');
  const wabt = await loadWabt();
  onPhase('compiling');
  const started = performance.now();
  let mod: ReturnType<Wabt['parseWat']> | null = null;
  try {
    mod = wabt.parseWat(req.path, req.source);
    mod.resolveNames();
    mod.validate();
    const { buffer } = mod.toBinary({ log: false, write_debug_names: true });
    return { wasm: new Uint8Array(buffer), diagnostics: [], ms: performance.now() - started };
  } catch (e) {
    return { wasm: null, diagnostics: parseWabtErrors(e instanceof Error ? e.message : String(e), req.path), ms: performance.now() - started };
  } finally {
    mod?.destroy();
  }
}
