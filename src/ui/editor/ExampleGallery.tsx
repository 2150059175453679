// The examples gallery: one card per example; picking one opens it in the
// editor (with the user's saved edits, if any). Arrow keys move between cards.
import type { KeyboardEvent, ReactNode } from 'react';
import type { Example } from './examples.ts';

export interface ExampleGalleryProps {
  examples: readonly Example[];
  current: string;
  edited: (id: string) => boolean;
  onPick: (id: string) => void;
}

export function ExampleGallery({ examples, current, edited, onPick }: ExampleGalleryProps): ReactNode {
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>('button'));
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    e.preventDefault();
    buttons[(i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]!.focus();
  };
  return (
    <div className="editor-gallery" role="group" aria-label="Examples" onKeyDown={onKey}>
      {examples.map((x) => (
        <button
          key={x.id} type="button" className="example-card" aria-pressed={x.id === current}
          onClick={() => onPick(x.id)} title={x.summary}
        >
          <span className="example-title">{x.title}</span>
          {edited(x.id) && <span className="example-edited">edited</span>}
          <span className="example-lang">{x.language === 'wat' ? 'WAT' : 'AssemblyScript'}</span>
        </button>
      ))}
    </div>
  );
}
