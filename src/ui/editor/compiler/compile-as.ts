// The AssemblyScript front end: the pinned `assemblyscript` compiler (and the
// binaryen it pulls in, ~14 MB) loaded on first use, run over a virtual tree
// holding the user's file and the SDK. Same flags and entries as
// servers/sdk/tools/compile-as.ts, so the module imports only env and wasmos.
// Runs in the compile worker in the page, in process in Node tests.
import { SDK_ASSEMBLY, ascFlags } from '../../../../servers/sdk/tools/asc-flags.ts';
import type { CompilePhase, CompileRequest, CompileResult, Diagnostic, Severity } from './diagnostic.ts';
import { SDK_FILES } from './sdk-sources.ts';

type Asc = typeof import('assemblyscript/asc');
type AscDiagnostic = Parameters<NonNullable<import('assemblyscript/asc').APIOptions['reportDiagnostic']>>[0];

let loading: Promise<Asc> | null = null;

/** Loads the compiler once (a dynamic import: a separate chunk in the page). */
export function loadAsc(): Promise<Asc> {
  loading ??= import('assemblyscript/asc').catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

// asc's DiagnosticCategory: 0 pedantic, 1 info, 2 warning, 3 error.
const SEVERITY: Record<number, Severity> = { 0: 'info', 1: 'info', 2: 'warning', 3: 'error' };

/** The virtual root: paths are absolute under it so Node's and the browser's path modules agree. */
const ROOT = '/';

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** asc's diagnostic (offsets into a source it names) in the editor's terms. */
function toDiagnostic(d: AscDiagnostic, files: ReadonlyMap<string, string>): Diagnostic {
  const base = { severity: SEVERITY[d.category] ?? 'error', message: d.message, code: `AS${d.code}` };
  const r = d.range;
  // normalizedPath is the path asc used: "servers/examples/hello/main.ts", or "~lib/..." for its standard library.
  const file = r?.source?.normalizedPath.replace(/^\/+/, '') ?? '';
  const text = files.get(file) ?? files.get(`${file}.ts`);
  if (!r || text === undefined) return { ...base, file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const a = lineColumn(text, r.start);
  const b = lineColumn(text, r.end);
  // An empty range still gets one character underlined.
  const endColumn = b.line === a.line && b.column <= a.column ? a.column + 1 : b.column;
  return { ...base, file, line: a.line, column: a.column, endLine: b.line, endColumn };
}

export async function compileAssemblyScript(req: CompileRequest, onPhase: (p: CompilePhase) => void = () => {}): Promise<CompileResult> {
  onPhase('loading');
  const asc = await loadAsc();
  onPhase('compiling');
  const started = performance.now();
  const files = new Map(SDK_FILES);
  files.set(req.path, req.source);
  const diagnostics: Diagnostic[] = [];
  let wasm: Uint8Array<ArrayBuffer> | null = null;
  const stderr = asc.createMemoryStream();
  const key = (name: string, baseDir: string): string => {
    const full = name.startsWith('/') ? name : `${baseDir.replace(/\/+$/, '')}/${name}`;
    return full.replace(/^\/+/, '');
  };
  const args = [req.path, `${SDK_ASSEMBLY}/runtime.ts`, '--baseDir', ROOT, '-o', 'out.wasm', ...ascFlags(), ...(req.flags ?? [])];
  const result = await asc.main(args, {
    stdout: asc.createMemoryStream(),
    stderr,
    readFile: (name, baseDir) => files.get(key(name, baseDir)) ?? null,
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && contents instanceof Uint8Array) wasm = contents.slice();
    },
    listFiles: () => [],
    reportDiagnostic: (d) => { diagnostics.push(toDiagnostic(d, files)); },
  });
  const ms = performance.now() - started;
  if (result.error && !diagnostics.some((d) => d.severity === 'error')) {
    // A failure without a diagnostic (a bad flag, an internal error): say what asc said.
    const text = stderr.toString().trim() || String(result.error);
    diagnostics.push({ severity: 'error', message: text, file: req.path, line: 1, column: 1, endLine: 1, endColumn: 1 });
  }
  return { wasm: result.error ? null : wasm, diagnostics, ms };
}
