import { storageProblem } from "../export/indexeddb.js";
import type { Edits } from "../interpret/cleaner.js";

/** The cleaner's edits in the browser's IndexedDB, one record per dataset fingerprint. */
export interface EditsStore {
  get(dataset: string): Promise<Edits>;
  put(dataset: string, edits: Edits): Promise<void>;
}

const STORE = "cleaner-edits";

/**
 * Opens (creating if needed) the IndexedDB database `name` that keeps cleaner edits, so they survive
 * switching class or split, re-running cells and reloading the page. Browser only.
 */
export function openEditsStore(name = "dl-course"): Promise<EditsStore> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onerror = () =>
      reject(new Error(`could not keep the cleaner's edits in this browser: ${storageProblem(request.error)}`));
    request.onsuccess = () => {
      const db = request.result;
      // settles when the transaction has committed (a write the browser refuses at commit, e.g. over
      // its quota, aborts it after the request succeeded)
      const run = <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest): Promise<T> =>
        new Promise((done, fail) => {
          try {
            const transaction = db.transaction(STORE, mode);
            const r = op(transaction.objectStore(STORE));
            transaction.oncomplete = () => done(r.result as T);
            transaction.onabort = () => fail(transaction.error ?? r.error);
          } catch (error) {
            fail(error);
          }
        });
      resolve({
        get: async (dataset) => (await run<Edits | undefined>("readonly", (s) => s.get(dataset))) ?? {},
        put: (dataset, edits) =>
          run("readwrite", (s) => s.put(edits, dataset)).then(
            () => undefined,
            (error: unknown) => {
              throw new Error(`could not keep the cleaner's edits in this browser: ${storageProblem(error)}`);
            },
          ),
      });
    };
  });
}
