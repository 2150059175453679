// The problems of the last build under the editor. An entry in the open file
// is a button that puts the cursor on its line and column.
import type { ReactNode } from 'react';
import type { Diagnostic } from './compiler/diagnostic.ts';

export interface ErrorListProps {
  diagnostics: readonly Diagnostic[];
  /** The open file: only its entries can be jumped to. */
  path: string;
  onPick: (d: Diagnostic) => void;
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1) || p;

export function ErrorList({ diagnostics, path, onPick }: ErrorListProps): ReactNode {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="editor-problems" aria-label="Problems">
      {diagnostics.map((d, i) => {
        const where = `${d.file === path ? baseName(d.file) : d.file || '(no file)'}:${d.line}:${d.column}`;
        const body = (
          <>
            <span className={`problem-severity problem-${d.severity}`}>{d.severity}</span>
            <span className="problem-where">{where}</span>
            <span className="problem-message">{d.message}</span>
            {d.code && <span className="problem-code">{d.code}</span>}
          </>
        );
        return (
          <li key={i}>
            {d.file === path
              ? <button type="button" className="problem" onClick={() => onPick(d)} title={`Go to line ${d.line}, column ${d.column}`}>{body}</button>
              : <span className="problem">{body}</span>}
          </li>
        );
      })}
    </ul>
  );
}
