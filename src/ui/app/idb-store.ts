// One IndexedDB object store, opened per operation: the uploads and the
// snapshots each keep theirs in a database of its own, so neither schema
// touches the other.
export interface IdbStoreDef {
  db: string;
  store: string;
  /** Options of the store when the database is first made (e.g. keyPath + autoIncrement). */
  options?: IDBObjectStoreParameters;
}

function openDb(def: IdbStoreDef): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(def.db, 1);
    req.onupgradeneeded = () => { req.result.createObjectStore(def.store, def.options); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
}

/** Runs one request in its own transaction; resolves when the transaction has committed. */
export function idbRun<T>(def: IdbStoreDef, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb(def).then((db) => new Promise<T>((resolve, reject) => {
    const tx = db.transaction(def.store, mode);
    const req = op(tx.objectStore(def.store));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = () => { db.close(); reject(tx.error ?? new Error('IndexedDB transaction failed')); };
    tx.onabort = () => { db.close(); reject(tx.error ?? new Error('IndexedDB transaction aborted (quota?)')); };
  }));
}
