// Light and dark: the system's preference until the user picks one with the
// toggle (remembered in localStorage). The choice lives on <html data-theme>,
// which the CSS variables key on.
import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'wasmos-theme';

class ThemeStore {
  private listeners = new Set<() => void>();
  private choice: Theme | null = null;
  private media: MediaQueryList | null = null;

  constructor() {
    if (typeof window === 'undefined') return;
    try {
      const saved = window.localStorage.getItem(STORAGE_KEY);
      if (saved === 'light' || saved === 'dark') this.choice = saved;
    } catch { /* storage blocked: follow the system */ }
    this.media = window.matchMedia?.('(prefers-color-scheme: dark)') ?? null;
    this.media?.addEventListener?.('change', () => { if (!this.choice) this.apply(); });
    this.apply();
  }

  get theme(): Theme {
    return this.choice ?? (this.media?.matches === false ? 'light' : this.media ? 'dark' : 'light');
  }

  /** Whether the user chose (rather than the system). */
  get chosen(): boolean { return this.choice !== null; }

  set(t: Theme): void {
    this.choice = t;
    try { window.localStorage.setItem(STORAGE_KEY, t); } catch { /* not remembered */ }
    this.apply();
  }

  toggle(): void {
    this.set(this.theme === 'dark' ? 'light' : 'dark');
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private apply(): void {
    if (typeof document !== 'undefined') {
      document.documentElement.dataset.theme = this.theme;
      document.documentElement.style.colorScheme = this.theme;
    }
    for (const l of this.listeners) l();
  }
}

export const themeStore = new ThemeStore();

export function useTheme(): [Theme, () => void] {
  const subscribe = useCallback((fn: () => void) => themeStore.subscribe(fn), []);
  const theme = useSyncExternalStore(subscribe, () => themeStore.theme);
  return [theme, useCallback(() => themeStore.toggle(), [])];
}
