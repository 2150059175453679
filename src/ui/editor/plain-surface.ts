// A textarea as the editing surface: what the panel falls back to when Monaco
// cannot load, and what component tests drive. Diagnostics show as the
// textarea's description (the error list under it does the rest).
import type { CodeSurface, SurfaceDocument, SurfaceFactory, SurfaceOptions } from './code-surface.ts';
import { isRunKey } from './code-surface.ts';
import type { Diagnostic } from './compiler/diagnostic.ts';

export const createPlainSurface: SurfaceFactory = (host: HTMLElement, options: SurfaceOptions): Promise<CodeSurface> => {
  const area = host.ownerDocument.createElement('textarea');
  area.className = 'editor-plain';
  area.spellcheck = false;
  area.setAttribute('aria-label', options.ariaLabel);
  area.setAttribute('data-testid', 'editor-text');
  let current: SurfaceDocument = options.document;
  area.value = current.value;
  area.addEventListener('input', () => options.onChange(area.value));
  area.addEventListener('keydown', (e) => {
    if (isRunKey(e)) {
      e.preventDefault();
      options.onRun();
    }
  });
  host.appendChild(area);

  const offsetOf = (line: number, column: number): number => {
    const lines = area.value.split('\n');
    let off = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i]!.length + 1;
    return off + column - 1;
  };

  return Promise.resolve({
    kind: 'plain',
    open(doc: SurfaceDocument) {
      current = doc;
      area.value = doc.value;
      area.removeAttribute('aria-invalid');
    },
    getValue: () => area.value,
    setValue(text: string) {
      area.value = text;
      options.onChange(text);
    },
    setDiagnostics(ds: readonly Diagnostic[]) {
      const mine = ds.filter((d) => d.file === current.path && d.severity === 'error');
      if (mine.length > 0) area.setAttribute('aria-invalid', 'true');
      else area.removeAttribute('aria-invalid');
    },
    reveal(line: number, column: number) {
      const at = offsetOf(line, column);
      area.focus();
      area.setSelectionRange(at, at);
    },
    setTheme() { /* the textarea follows the page's CSS variables */ },
    dispose() { area.remove(); },
  });
};
