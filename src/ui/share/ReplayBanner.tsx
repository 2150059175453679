// Under the header: what happened to a recording the page was opened with
// (replaying, arrived at the recorded state, diverged, or refused and booted
// normally). Messages are plain text.
import type { ReactNode } from 'react';
import { useSession, useStatus } from '../app/session-context.tsx';
import { useShare } from './use-share.ts';

export function ReplayBanner(): ReactNode {
  const session = useSession();
  const status = useStatus();
  const message = useShare((s) => s.message);
  const progress = useShare((s) => s.progress);
  if (!message) return null;
  const pct = progress && progress.state === 'replaying' && progress.endCycles > 0
    ? Math.min(100, Math.floor((progress.cycles / progress.endCycles) * 100)) : null;
  return (
    <div className={`share-banner share-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="share-banner">
      <span>{message.text}{pct !== null ? ` ${pct}%` : ''}</span>
      {message.kind === 'ok' && status.state === 'paused' && (
        <button type="button" className="small" onClick={() => void session.resume()}>Resume</button>
      )}
      <button type="button" className="small" aria-label="Dismiss" onClick={() => session.share.setMessage(null)}>×</button>
    </div>
  );
}
