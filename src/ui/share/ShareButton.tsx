// The header's Share button: makes a permalink of the session now (the OS
// build, the board and every input so far, replayed exactly when opened),
// copies it, or offers the recording as a file when the link would be too
// long; "Open recording…" replays a .wasmos-recording file. All text is
// rendered as text (React escapes it): nothing from a recording becomes markup.
import { useRef, useState, type ReactNode } from 'react';
import './share.css';
import type { ShareLink } from '../../host/replay/share-host.ts';
import { useSession } from '../app/session-context.tsx';
import { downloadBytes } from '../app/download.ts';
import { ShareSession } from './share-session.ts';

export function ShareButton(): ReactNode {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const url = link?.fragment ? ShareSession.urlFor(link.fragment, location) : null;

  const make = async (): Promise<void> => {
    setOpen(true);
    setCopied(false);
    setLink(null);
    setError(null);
    const r = await session.share.link();
    if ('error' in r) setError(r.error);
    else setLink(r);
  };

  const copy = async (): Promise<void> => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('The browser did not allow copying: select the link and copy it yourself.');
    }
  };

  return (
    <>
      <button type="button" onClick={() => void make()} data-testid="share-button" aria-haspopup="dialog">Share</button>
      <input
        ref={file} type="file" accept={ShareSession.fileExt} hidden aria-label="Open a recording"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) { setOpen(false); void session.share.openFile(f, session.status.bootargs); }
        }}
      />
      {open && (
        <div className="share-dialog" role="dialog" aria-label="Share this machine" data-testid="share-dialog">
          {!link && !error && <p>Recording…</p>}
          {error && <p className="share-error" role="alert">{error}</p>}
          {link && (
            <>
              <p>
                {link.inputs} inputs up to cycle {link.cycles.toLocaleString('en-US')}; state hash <code data-testid="share-hash">{link.hash}</code>.
                {' '}Opening the link boots this OS build and replays them to this exact state.
              </p>
              {link.warning && <p className="share-error">Not exact: {link.warning} cannot be recorded.</p>}
              {url ? (
                <>
                  <input className="share-url" readOnly value={url} aria-label="Permalink" data-testid="share-url" onFocus={(e) => e.target.select()} />
                  <p className="share-size">{url.length.toLocaleString('en-US')} characters{url.length > 4096 ? ' (long: the file may travel better)' : ''}</p>
                  <button type="button" className="primary" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy link'}</button>{' '}
                </>
              ) : <p>This recording is too long for a link: download it and open the file instead.</p>}
              <button type="button" onClick={() => downloadBytes(`wasmos-${link.hash}${ShareSession.fileExt}`, link.packed)}>Download recording</button>
            </>
          )}
          <p className="share-actions">
            <button type="button" className="link" onClick={() => file.current?.click()}>Open a recording…</button>
            {' '}<button type="button" className="small" onClick={() => setOpen(false)}>Close</button>
          </p>
        </div>
      )}
    </>
  );
}
