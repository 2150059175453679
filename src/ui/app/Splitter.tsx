// The divider between the two areas: drag it, or focus it and use the arrow keys.
import { useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

export interface SplitterProps {
  /** Share of the width the first area takes, in percent. */
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
}

export function Splitter({ value, onChange, min = 20, max = 80 }: SplitterProps): ReactNode {
  const dragging = useRef(false);
  const clamp = (v: number): number => Math.max(min, Math.min(max, v));
  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    if (!dragging.current) return;
    const parent = e.currentTarget.parentElement!.getBoundingClientRect();
    if (parent.width > 0) onChange(clamp(((e.clientX - parent.left) / parent.width) * 100));
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const step = e.key === 'ArrowLeft' ? -5 : e.key === 'ArrowRight' ? 5 : 0;
    if (e.key === 'Home') onChange(min);
    else if (e.key === 'End') onChange(max);
    else if (step) onChange(clamp(value + step));
    else return;
    e.preventDefault();
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the areas"
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => { dragging.current = true; e.currentTarget.setPointerCapture?.(e.pointerId); }}
      onPointerMove={onPointerMove}
      onPointerUp={(e) => { dragging.current = false; e.currentTarget.releasePointerCapture?.(e.pointerId); }}
    />
  );
}
