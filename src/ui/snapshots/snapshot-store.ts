// Saved machines in IndexedDB (their own database, so the uploads' schema is
// not touched): one record per snapshot with its metadata beside the bytes,
// so the list needs no unpacking.
import type { SnapshotMeta } from '../../host/replay/snapshot-bundle.ts';

const DB_NAME = 'wasmos-snapshots';
const STORE = 'snapshots';

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

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => { req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true }); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
}

function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then((db) => new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = () => { db.close(); reject(tx.error ?? new Error('IndexedDB transaction failed')); };
    tx.onabort = () => { db.close(); reject(tx.error ?? new Error('IndexedDB transaction aborted (quota?)')); };
  }));
}

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
