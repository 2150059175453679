// The Snapshots panel: save the whole machine (compressed) in this browser
// or as a file, and list, restore, download and delete saved ones. A restore
// replaces the running machine and stops at the saved instant (paused).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { SNAPSHOT_FILE_EXT } from '../../host/replay/snapshot-bundle.ts';
import { formatCount } from '../app/format.ts';
import { useSession, useStatus } from '../app/session-context.tsx';
import { downloadBytes } from '../app/download.ts';
import { deleteSnapshot, getSnapshot, listSnapshots, putSnapshot, type StoredSnapshot } from './snapshot-store.ts';

const kb = (n: number): string => `${formatCount(Math.round(n / 1024))} KB`;

export function SnapshotsPanel(): ReactNode {
  const session = useSession();
  const status = useStatus();
  const [list, setList] = useState<StoredSnapshot[]>([]);
  const [label, setLabel] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try { setList(await listSnapshots()); } catch (e) { setNote(`This browser keeps no snapshots: ${(e as Error).message}`); }
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);

  const take = async (): Promise<{ bytes: Uint8Array; meta: Parameters<typeof putSnapshot>[0] } | null> => {
    const name = label.trim() || `Snapshot at instruction ${formatCount(status.instret)}`;
    const r = await session.share.snapshot(name);
    if ('error' in r) { setNote(r.error); return null; }
    return r;
  };

  const save = async (): Promise<void> => {
    setBusy(true);
    try {
      const r = await take();
      if (!r) return;
      await putSnapshot(r.meta, r.bytes);
      setNote(`Saved "${r.meta.label}" (${kb(r.bytes.length)}).`);
      setLabel('');
      await refresh();
    } catch (e) {
      setNote(`Could not save: ${(e as Error).message}`);
    } finally { setBusy(false); }
  };

  const download = async (): Promise<void> => {
    setBusy(true);
    try {
      const r = await take();
      if (r) downloadBytes(`wasmos-${r.meta.hash}${SNAPSHOT_FILE_EXT}`, r.bytes);
    } finally { setBusy(false); }
  };

  const restore = async (bytes: Uint8Array | null): Promise<void> => {
    if (!bytes) { setNote('That snapshot is gone.'); return; }
    setBusy(true);
    const t0 = performance.now();
    const ok = await session.share.restore(bytes);
    setBusy(false);
    setNote(ok ? `Restored in ${Math.round(performance.now() - t0)} ms; paused at the saved instant.` : 'The snapshot could not be restored (see the message above).');
  };

  return (
    <div className="snapshots-panel" data-testid="snapshots-panel">
      <div className="toolbar">
        <input type="text" placeholder="Label (optional)" aria-label="Snapshot label" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
        <button type="button" className="primary" disabled={busy || status.state === 'off'} onClick={() => void save()}>Save snapshot</button>
        <button type="button" disabled={busy || status.state === 'off'} onClick={() => void download()}>Download</button>
        <button type="button" disabled={busy} onClick={() => file.current?.click()}>Restore from file…</button>
        <input
          ref={file} type="file" accept={SNAPSHOT_FILE_EXT} hidden aria-label="Restore a snapshot file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void f.arrayBuffer().then((b) => restore(new Uint8Array(b)));
          }}
        />
      </div>
      {note && <p className="snapshots-note" role="status" data-testid="snapshots-note">{note}</p>}
      {list.length === 0 ? <p>No snapshots saved in this browser yet.</p> : (
        <table className="snapshots-table">
          <thead><tr><th>Label</th><th>Saved</th><th>Instructions</th><th>Size</th><th /></tr></thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-testid="snapshot-row">
                <td>{s.label}</td>
                <td>{new Date(s.savedAt).toLocaleString()}</td>
                <td>{formatCount(s.instret)}</td>
                <td>{kb(s.size)}</td>
                <td>
                  <button type="button" className="small" disabled={busy} onClick={() => void getSnapshot(s.id).then(restore)}>Restore</button>{' '}
                  <button type="button" className="small" onClick={() => void getSnapshot(s.id).then((b) => b && downloadBytes(`wasmos-${s.hash}${SNAPSHOT_FILE_EXT}`, b))}>Download</button>{' '}
                  <button type="button" className="small danger" onClick={() => void deleteSnapshot(s.id).then(refresh)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
