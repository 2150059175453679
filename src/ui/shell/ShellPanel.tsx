// The console: xterm.js attached to the guest's UART. Output replays from the
// session's console buffer and streams in; input (keys, paste, and the input
// events of mobile on-screen keyboards, all of which xterm reports through
// onData) goes to the guest. The terminal fits its pane as the pane resizes.
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, type ReactNode } from 'react';
import { useSession } from '../app/session-context.tsx';
import { useTheme } from '../app/theme.ts';
import { clipboardKeyHandler } from './clipboard-keys.ts';
import { TERMINAL_THEMES } from './terminal-theme.ts';

export interface ShellPanelProps {
  active?: boolean;
  /** Hands out the terminal once it exists (tests, and features that drive it). */
  onTerminal?: (term: Terminal) => void;
}

export function ShellPanel({ active = true, onTerminal }: ShellPanelProps): ReactNode {
  const session = useSession();
  const [theme] = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);

  useEffect(() => {
    const el = host.current!;
    const t = new Terminal({
      convertEol: false, cursorBlink: true, scrollback: 5000, fontSize: 13,
      fontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
      theme: TERMINAL_THEMES[document.documentElement.dataset.theme === 'light' ? 'light' : 'dark'],
      screenReaderMode: false,
    });
    const f = new FitAddon();
    t.loadAddon(f);
    t.loadAddon(new WebLinksAddon((_e, uri) => { window.open(uri, '_blank', 'noopener'); }));
    t.open(el);
    t.textarea?.setAttribute('aria-label', 'Terminal input');
    t.attachCustomKeyEventHandler(clipboardKeyHandler(t, navigator.clipboard));
    term.current = t;
    fit.current = f;
    onTerminal?.(t);
    for (const chunk of session.console.replay()) t.write(chunk);
    const offData = session.console.onData((bytes) => t.write(bytes));
    const offClear = session.console.onClear(() => t.reset());
    const input = t.onData((data) => session.sendInput(data));
    const refit = (): void => {
      if (el.clientWidth > 0 && el.clientHeight > 0) {
        try { f.fit(); } catch { /* not laid out yet */ }
      }
    };
    refit();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(refit);
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      offData();
      offClear();
      input.dispose();
      t.dispose();
      term.current = null;
    };
  }, [session]);

  useEffect(() => {
    if (term.current) term.current.options.theme = TERMINAL_THEMES[theme];
  }, [theme]);

  useEffect(() => {
    if (active) {
      try { fit.current?.fit(); } catch { /* hidden */ }
    }
  }, [active]);

  const copy = (): void => {
    const t = term.current;
    if (t?.hasSelection()) void navigator.clipboard?.writeText(t.getSelection()).catch(() => {});
    t?.focus();
  };
  const paste = (): void => {
    const t = term.current;
    void navigator.clipboard?.readText().then((text) => t?.paste(text), () => {});
    t?.focus();
  };

  return (
    <div className="shell-panel">
      <div className="toolbar" role="toolbar" aria-label="Terminal">
        <button type="button" onClick={copy} title="Copy the selection (Ctrl+Shift+C)">Copy</button>
        <button type="button" onClick={paste} title="Paste (Ctrl+Shift+V)">Paste</button>
        <button type="button" onClick={() => { term.current?.clear(); term.current?.focus(); }}>Clear</button>
        <label title="Lets screen readers read the terminal (slower rendering)">
          <input type="checkbox" onChange={(e) => { if (term.current) term.current.options.screenReaderMode = e.target.checked; }} /> Screen reader mode
        </label>
      </div>
      <div className="terminal-host" ref={host} data-testid="terminal" onClick={() => term.current?.focus()} />
    </div>
  );
}
