// Saved machines in IndexedDB (their own database, so the uploads' schema is
// not touched): one record per snapshot with its metadata beside the bytes,
// so the list needs no unpacking.
import { idbRun, type IdbStoreDef } from '../app/idb-store.ts';
import type { SnapshotMeta } from '../../host/replay/snapshot-bundle.ts';

const DB: IdbStoreDef = { db: 'wasmos-snapshots', store: 'snapshots', options: { keyPath: 'id', autoIncrement: true } };

export interface StoredSnapshot {
  id: number;
  label: string;
  savedAt: number;
  hash: string;
  instret: number;
  size: number;
}

interface Row extends Omit<StoredSnapshot, 'id'> {
  id?: number;
  bytes: Uint8Array;
}

const run = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => idbRun(DB, mode, op);

export async function putSnapshot(meta: SnapshotMeta, bytes: Uint8Array): Promise<number> {
  const row: Row = { label: meta.label, savedAt: meta.savedAt, hash: meta.hash, instret: meta.instret, size: bytes.length, bytes };
  return Number(await run('readwrite', (s) => s.add(row)));
}

export async function listSnapshots(): Promise<StoredSnapshot[]> {
  const rows = await run('readonly', (s) => s.getAll()) as Row[];
  return rows.map(({ bytes: _bytes, ...m }) => ({ ...m, id: m.id! })).sort((a, b) => b.savedAt - a.savedAt);
}

export async function getSnapshot(id: number): Promise<Uint8Array | null> {
  const row = await run('readonly', (s) => s.get(id)) as Row | undefined;
  return row ? new Uint8Array(row.bytes) : null;
}

export async function deleteSnapshot(id: number): Promise<void> {
  await run('readwrite', (s) => s.delete(id));
}
