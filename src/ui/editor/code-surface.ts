// The editing surface the panel drives: Monaco in the page, a plain textarea
// when Monaco cannot load (and in component tests, which have no layout).
// One document per example, kept while the panel lives.
import type { Theme } from '../app/theme.ts';
import type { Diagnostic, Language } from './compiler/diagnostic.ts';

export interface SurfaceDocument {
  /** The file's path in the compiler's tree (Monaco's model URI is file:///<path>). */
  path: string;
  language: Language;
  value: string;
}

export interface SurfaceOptions {
  document: SurfaceDocument;
  theme: Theme;
  /** The accessible name of the text area. */
  ariaLabel: string;
  onChange: (text: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
}

export interface CodeSurface {
  readonly kind: 'monaco' | 'plain';
  /** Shows `doc` (its existing text and undo history if it was open before, unless `value` differs). */
  open(doc: SurfaceDocument): void;
  getValue(): string;
  /** Replaces the current document's text (Reset example). */
  setValue(text: string): void;
  /** Shows the diagnostics of the current document inline (others are ignored). */
  setDiagnostics(ds: readonly Diagnostic[]): void;
  /** Moves the cursor there and focuses the editor. */
  reveal(line: number, column: number): void;
  setTheme(theme: Theme): void;
  dispose(): void;
}

export type SurfaceFactory = (host: HTMLElement, options: SurfaceOptions) => Promise<CodeSurface>;

/** Ctrl+Enter, or Cmd+Enter on a Mac. */
export function isRunKey(e: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey);
}
