// One area of the page: a tab list (arrow keys move between tabs) and its
// panels, which all stay mounted so the terminal and the viewers keep state.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { PanelDef } from './panel-registry.ts';

export interface PanelAreaProps {
  label: string;
  panels: PanelDef[];
  active: string;
  onActivate: (id: string) => void;
  initialBootargs: string;
}

export function PanelArea({ label, panels, active, onActivate, initialBootargs }: PanelAreaProps): ReactNode {
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (e: KeyboardEvent): void => {
    const i = panels.findIndex((p) => p.id === active);
    let next = i;
    if (e.key === 'ArrowRight') next = (i + 1) % panels.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + panels.length) % panels.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = panels.length - 1;
    else return;
    e.preventDefault();
    const id = panels[next]!.id;
    onActivate(id);
    tabs.current[id]?.focus();
  };
  return (
    <section className="panel-area" aria-label={label}>
      <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {panels.map((p) => (
          <button
            key={p.id}
            ref={(el) => { tabs.current[p.id] = el; }}
            type="button"
            role="tab"
            id={`tab-${p.id}`}
            aria-controls={`panel-${p.id}`}
            aria-selected={p.id === active}
            tabIndex={p.id === active ? 0 : -1}
            onClick={() => onActivate(p.id)}
            title={p.shortcut ? `${p.title} (Alt+${p.shortcut})` : p.title}
          >
            {p.title}
          </button>
        ))}
      </div>
      {panels.map((p) => (
        <div key={p.id} role="tabpanel" id={`panel-${p.id}`} aria-labelledby={`tab-${p.id}`} className="panel" hidden={p.id !== active}>
          {p.render({ active: p.id === active, initialBootargs })}
        </div>
      ))}
    </section>
  );
}
