// What a compiler front end reports, in the editor's terms: 1-based lines and
// columns (Monaco's), the file it is in (the user's or the SDK's), and an end
// so the marker underlines the whole token.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Path of the file, relative to the virtual root (e.g. servers/examples/hello/main.ts). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The compiler's code (AS1234), when it has one. */
  code?: string;
}

export type Language = 'assemblyscript' | 'wat';

export interface CompileRequest {
  language: Language;
  /** Where the source lives in the virtual tree; imports resolve relative to it. */
  path: string;
  source: string;
  /** Extra compiler flags (an example's asc.json); AssemblyScript only. */
  flags?: readonly string[];
}

export interface CompileResult {
  /** The module, or null when compilation failed. */
  wasm: Uint8Array<ArrayBuffer> | null;
  diagnostics: Diagnostic[];
  /** Wall milliseconds spent compiling (excluding loading the compiler). */
  ms: number;
}

/** Build steps a front end reports while it works. */
export type CompilePhase = 'loading' | 'compiling';

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}${d.code ? ` ${d.code}` : ''}: ${d.message}`;
}

export function errorCount(ds: readonly Diagnostic[]): number {
  return ds.filter((d) => d.severity === 'error').length;
}
