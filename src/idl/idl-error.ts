// Every problem in an IDL file is reported with the file, line and column it is
// about, in the `file:line:col: message` form editors and terminals link to.

export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export interface IdlDiagnostic {
  readonly file: string;
  readonly pos: SourcePos;
  readonly message: string;
}

export function formatDiagnostic(d: IdlDiagnostic): string {
  return `${d.file}:${d.pos.line}:${d.pos.column}: error: ${d.message}`;
}

/** Thrown by the parser (first syntax error) and the checker (all semantic errors at once). */
export class IdlError extends Error {
  readonly diagnostics: readonly IdlDiagnostic[];

  constructor(diagnostics: readonly IdlDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'IdlError';
    this.diagnostics = diagnostics;
  }
}
