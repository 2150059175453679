// The one-line summary of a build the panel shows (and announces).
import type { BuildState } from './build-state.ts';

const kb = (n: number): string => (n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KiB`);

export function statusText(s: BuildState): string {
  switch (s.phase) {
    case 'idle': return 'Ready. Ctrl+Enter (⌘+Enter) builds and runs.';
    case 'loading': return 'Loading the compiler…';
    case 'compiling': return 'Compiling…';
    case 'starting': return `Built ${kb(s.bytes)} in ${Math.round(s.ms)} ms; starting it in WasmOS…`;
    case 'running': return `${s.message} Built ${kb(s.bytes)} in ${Math.round(s.ms)} ms.`;
    case 'failed':
      if (s.stage === 'compile') return `Build failed: ${s.message}.`;
      if (s.stage === 'spawn') return s.message;
      return `Build failed: ${s.message}`;
  }
}
