// Arrow keys, Page Up/Down, Home and End over a list of `count` rows.
import { useCallback, type KeyboardEvent } from 'react';

export function useRowNavigation(
  count: number,
  active: number,
  setActive: (index: number) => void,
  pageRows = 20,
  onEnter?: (index: number) => void,
): (e: KeyboardEvent) => void {
  return useCallback((e: KeyboardEvent) => {
    if (count === 0) return;
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = active + 1; break;
      case 'ArrowUp': next = active < 0 ? count - 1 : active - 1; break;
      case 'PageDown': next = active + pageRows; break;
      case 'PageUp': next = active - pageRows; break;
      case 'Home': next = 0; break;
      case 'End': next = count - 1; break;
      case 'Enter':
        if (active >= 0 && onEnter) { e.preventDefault(); onEnter(active); }
        return;
      default: return;
    }
    e.preventDefault();
    setActive(Math.max(0, Math.min(count - 1, next)));
  }, [count, active, setActive, pageRows, onEnter]);
}
