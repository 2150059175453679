// Uploaded programs survive reloads: they are kept in IndexedDB (name ->
// bytes) and put back into the guest's /host/uploads when the page starts.
// Storage failures (private mode, quota) only cost persistence, never the upload.
import { idbRun, type IdbStoreDef } from '../app/idb-store.ts';

const DB: IdbStoreDef = { db: 'wasmos-playground', store: 'uploads' };

export interface StoredUpload {
  name: string;
  bytes: Uint8Array;
}

const run = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => idbRun(DB, mode, op);

export async function saveUpload(name: string, bytes: Uint8Array): Promise<void> {
  try {
    await run('readwrite', (s) => s.put(bytes.slice(), name));
  } catch {
    // Persistence is best effort.
  }
}

export async function loadUploads(): Promise<StoredUpload[]> {
  try {
    const [keys, values] = await Promise.all([
      run('readonly', (s) => s.getAllKeys()),
      run('readonly', (s) => s.getAll()),
    ]);
    return keys.map((k, i) => ({ name: String(k), bytes: new Uint8Array(values[i] as ArrayBuffer | Uint8Array) }));
  } catch {
    return [];
  }
}
