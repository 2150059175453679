// Uploaded programs survive reloads: they are kept in IndexedDB (name ->
// bytes) and put back into the guest's /host/uploads when the page starts.
// Storage failures (private mode, quota) only cost persistence, never the upload.

const DB_NAME = 'wasmos-playground';
const STORE = 'uploads';

export interface StoredUpload {
  name: string;
  bytes: Uint8Array;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => { req.result.createObjectStore(STORE); };
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
  }));
}

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
