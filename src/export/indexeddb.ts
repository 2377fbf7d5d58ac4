/**
 * Saving a model in the browser's IndexedDB, in the database and stores tfjs's own `indexeddb://`
 * handler uses (so `tf.io.listModels()`, tfjs's loader and `loadLearner("indexeddb://name")` read it),
 * but in one transaction that is known to have been committed. tfjs's handler writes the model's info
 * and its weights in two transactions and resolves once the second `put` request succeeds, before that
 * transaction commits: a write the browser then refuses (Chromium checks the quota at commit and
 * aborts with QuotaExceededError) was reported as saved, and nothing was kept. Here the save resolves
 * only after `complete`, and rejects with a sentence when the transaction aborts; a reload or a crash
 * in the middle leaves the model saved before it, whole.
 */
import * as tf from "@tensorflow/tfjs";
import { METADATA_KEY, type ModelMetadata } from "./metadata.js";

/** tfjs's names (tfjs-core/src/io/indexed_db.ts). */
const DATABASE = "tensorflowjs";
const VERSION = 1;
const MODELS = "models_store";
const INFO = "model_info_store";

const SCHEME = /^indexeddb:\/\//i;

/** Whether `url` names a model in IndexedDB (`indexeddb://name`). */
export function isIndexedDbUrl(url: string): boolean {
  return SCHEME.test(url);
}

/**
 * Why the browser refused a write, and what the learner can do, from the DOMException it gave
 * (QuotaExceededError when the site's storage is full, InvalidStateError or SecurityError where
 * storage is off, as in some private windows).
 */
export function storageProblem(error: unknown): string {
  const name = (error as DOMException | null)?.name ?? "";
  const message = (error as Error | null)?.message ?? String(error);
  if (name === "QuotaExceededError")
    return `this site's storage in the browser is full (QuotaExceededError); free space by deleting other models or site data in the browser's settings`;
  if (name === "InvalidStateError" || name === "SecurityError")
    return `this browser keeps no data for this site here (${name}: ${message}); leave private browsing or allow site data`;
  return `the browser refused the write (${name || "error"}: ${message})`;
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      // the stores tfjs makes, keyed as tfjs keys them
      const db = request.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: "modelPath" });
      if (!db.objectStoreNames.contains(INFO)) db.createObjectStore(INFO, { keyPath: "modelPath" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () =>
      reject(new DOMException("another tab holds an older version of the database", "InvalidStateError"));
  });
}

/**
 * A tfjs save handler for `indexeddb://name` that resolves once the model is committed and rejects with
 * "could not save the model to indexeddb://name: <why>; <what to do>" when the browser refuses it. The
 * artifacts are copied into the transaction; nothing is held after it ends.
 */
export function indexedDbSaveHandler(url: string): tf.io.IOHandler {
  if (!isIndexedDbUrl(url) || url.replace(SCHEME, "") === "")
    throw new Error(`invalid IndexedDB model name: ${JSON.stringify(url)}; give indexeddb://name`);
  const modelPath = url.replace(SCHEME, "");
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error(`could not save the model to ${url}: a binary topology cannot be kept in IndexedDB`);
      const modelArtifacts = { ...artifacts, weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData) };
      const modelArtifactsInfo = tf.io.getModelArtifactsInfoForJSON(modelArtifacts);
      const refused = (error: unknown) =>
        new Error(
          `could not save the model to ${url}: ${storageProblem(error)}, or download the model as a file instead`,
          { cause: error },
        );
      let db: IDBDatabase;
      try {
        db = await openDatabase();
      } catch (error) {
        throw refused(error);
      }
      try {
        await new Promise<void>((resolve, reject) => {
          let transaction: IDBTransaction;
          try {
            transaction = db.transaction([INFO, MODELS], "readwrite");
            transaction.objectStore(INFO).put({ modelPath, modelArtifactsInfo });
            transaction.objectStore(MODELS).put({ modelPath, modelArtifacts, modelArtifactsInfo });
          } catch (error) {
            reject(error); // e.g. DataCloneError, or a value too large to store
            return;
          }
          transaction.oncomplete = () => resolve();
          transaction.onabort = () =>
            reject(transaction.error ?? new DOMException("the write was aborted", "AbortError"));
        });
      } catch (error) {
        throw refused(error);
      } finally {
        db.close();
      }
      return { modelArtifactsInfo };
    },
  };
}

/** A model kept in IndexedDB, as {@link savedModelInfo} describes it. */
export interface SavedModelInfo {
  /** When it was saved. */
  dateSaved: Date;
  /** The course's metadata, when the model has it (exported with `learn.export`). */
  metadata?: ModelMetadata;
}

/**
 * What is saved under `indexeddb://name` in this browser, without loading the model (no tensors are
 * made); undefined when nothing is, or where IndexedDB cannot be read.
 */
export async function savedModelInfo(url: string): Promise<SavedModelInfo | undefined> {
  if (!isIndexedDbUrl(url) || typeof indexedDB === "undefined") return undefined;
  let db: IDBDatabase;
  try {
    db = await openDatabase();
  } catch {
    return undefined;
  }
  try {
    const record = await new Promise<
      { modelArtifacts?: tf.io.ModelArtifacts; modelArtifactsInfo?: tf.io.ModelArtifactsInfo } | undefined
    >((resolve, reject) => {
      const request = db.transaction(MODELS, "readonly").objectStore(MODELS).get(url.replace(SCHEME, ""));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (record?.modelArtifactsInfo === undefined) return undefined;
    const metadata = record.modelArtifacts?.userDefinedMetadata?.[METADATA_KEY] as ModelMetadata | undefined;
    return { dateSaved: new Date(record.modelArtifactsInfo.dateSaved), ...(metadata ? { metadata } : {}) };
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}
