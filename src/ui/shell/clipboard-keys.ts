// Copy and paste in the terminal. Ctrl+C must reach the guest (it interrupts
// programs), so copying takes Ctrl+Shift+C (Cmd+C on macOS) and pasting
// Ctrl+Shift+V (Cmd+V); the browser's own paste event works too, because
// xterm.js listens to it on its input element.

export interface ClipboardTerminal {
  hasSelection(): boolean;
  getSelection(): string;
  paste(text: string): void;
}

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

export type ClipboardAction = 'copy' | 'paste' | null;

export function clipboardAction(e: Pick<KeyboardEvent, 'type' | 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): ClipboardAction {
  if (e.type !== 'keydown' || e.altKey) return null;
  const key = e.key.toLowerCase();
  const mod = (e.ctrlKey && e.shiftKey) || (e.metaKey && !e.ctrlKey);
  if (!mod) return null;
  if (key === 'c') return 'copy';
  if (key === 'v') return 'paste';
  return null;
}

/**
 * A handler for xterm's attachCustomKeyEventHandler: returns false for the
 * keys it handled (xterm then ignores them).
 */
export function clipboardKeyHandler(term: ClipboardTerminal, clipboard: ClipboardLike | undefined): (e: KeyboardEvent) => boolean {
  return (e) => {
    const action = clipboardAction(e);
    if (!action || !clipboard) return true;
    if (action === 'copy') {
      if (!term.hasSelection()) return true;
      void clipboard.writeText(term.getSelection()).catch(() => {});
    } else {
      void clipboard.readText().then((text) => term.paste(text), () => {});
    }
    e.preventDefault();
    return false;
  };
}
