// The machine's state in the page header, always in view.
import type { ReactNode } from 'react';
import { formatMips } from './format.ts';
import { useStatus } from './session-context.tsx';

export function StatusPill(): ReactNode {
  const s = useStatus();
  const text = s.state === 'poweroff' ? `powered off (${s.powerCode})` : s.state;
  return (
    <span className={`status-pill state-${s.state}`} role="status" aria-label={`Machine ${text}`} data-testid="status-pill">
      <span className="dot" aria-hidden="true" /> {text}
      {(s.state === 'running' || s.state === 'idle') && <span className="pill-mips"> · {formatMips(s.mips)} MIPS</span>}
    </span>
  );
}
