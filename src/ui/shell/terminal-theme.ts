// xterm.js colours for the page's light and dark themes.
import type { ITheme } from '@xterm/xterm';

export const TERMINAL_THEMES: Record<'light' | 'dark', ITheme> = {
  dark: {
    background: '#0d1117', foreground: '#d6deeb', cursor: '#7fdbca', selectionBackground: '#2d4f67',
    black: '#1d2433', red: '#ef5350', green: '#22da6e', yellow: '#e5c07b', blue: '#82aaff', magenta: '#c792ea',
    cyan: '#7fdbca', white: '#d6deeb',
  },
  light: {
    background: '#fbfbfd', foreground: '#1f2328', cursor: '#0969da', selectionBackground: '#b6d7ff',
    black: '#24292f', red: '#cf222e', green: '#116329', yellow: '#7d4e00', blue: '#0550ae', magenta: '#8250df',
    cyan: '#1b7c83', white: '#6e7781',
  },
};
