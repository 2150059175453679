// The page: a header (title, machine state, theme) and two areas of panels
// side by side (stacked on narrow screens) with a splitter between them.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MachineSession } from '../machine/machine-session.ts';
import { builtinPanels } from './builtin-panels.tsx';
import { PanelArea } from './PanelArea.tsx';
import type { PanelAreaId, PanelRegistry } from './panel-registry.ts';
import type { Selection } from './selection.ts';
import { AppContext } from './session-context.tsx';
import { Splitter } from './Splitter.tsx';
import { StatusPill } from './StatusPill.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UploadDrop } from '../upload/UploadDrop.tsx';
import { ReplayBanner } from '../share/ReplayBanner.tsx';
import { ShareButton } from '../share/ShareButton.tsx';

export interface AppProps {
  session: MachineSession;
  selection: Selection;
  initialBootargs: string;
  panels?: PanelRegistry;
}

export function App({ session, selection, initialBootargs, panels: given }: AppProps): ReactNode {
  const panels = useMemo(() => given ?? builtinPanels(), [given]);
  const areas: PanelAreaId[] = ['primary', 'secondary'];
  const [active, setActive] = useState<Record<PanelAreaId, string>>(() => ({
    primary: panels.in('primary')[0]?.id ?? '',
    secondary: panels.in('secondary')[0]?.id ?? '',
  }));
  const [split, setSplit] = useState(50);
  const context = useMemo(() => ({ session, selection }), [session, selection]);

  const show = (id: string): void => {
    const p = panels.all.find((x) => x.id === id);
    if (p) setActive((a) => ({ ...a, [p.area]: id }));
  };

  // A feature may bring its panel forward (a lesson opened from a link).
  useEffect(() => {
    const onShow = (e: Event): void => { const id = (e as CustomEvent<unknown>).detail; if (typeof id === 'string') show(id); };
    window.addEventListener('wasmos:show-panel', onShow);
    return () => window.removeEventListener('wasmos:show-panel', onShow);
  });

  // Alt+<digit> jumps to a panel; selecting a task shows the trace.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const p = panels.byShortcut(e.key);
      if (!p) return;
      e.preventDefault();
      setActive((a) => ({ ...a, [p.area]: p.id }));
      requestAnimationFrame(() => document.getElementById(`tab-${p.id}`)?.focus());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panels]);

  return (
    <AppContext.Provider value={context}>
      <div className="app">
        <a className="skip-link" href="#panel-shell">Skip to the terminal</a>
        <header className="app-header">
          <h1>WasmOS Playground</h1>
          <StatusPill />
          <span className="spacer" />
          <UploadDrop />
          <ShareButton />
          <ThemeToggle />
        </header>
        <ReplayBanner />
        <main className="app-main" style={{ ['--split' as string]: `${split}%` }}>
          {areas.map((area, i) => (
            <AreaWithSplitter key={area} first={i === 0} split={split} onSplit={setSplit}>
              <PanelArea
                label={area === 'primary' ? 'Console' : 'Inspect'}
                panels={panels.in(area)}
                active={active[area]}
                onActivate={show}
                initialBootargs={initialBootargs}
              />
            </AreaWithSplitter>
          ))}
        </main>
      </div>
    </AppContext.Provider>
  );
}

function AreaWithSplitter({ first, split, onSplit, children }: { first: boolean; split: number; onSplit: (v: number) => void; children: ReactNode }): ReactNode {
  return first ? children : <><Splitter value={split} onChange={onSplit} />{children}</>;
}
