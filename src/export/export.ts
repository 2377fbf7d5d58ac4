import * as tf from "@tensorflow/tfjs";
import { indexedDbSaveHandler, isIndexedDbUrl } from "./indexeddb.js";
import { METADATA_KEY, type ModelMetadata } from "./metadata.js";
import { modelZip } from "./zip.js";

/** Where `export` writes: a tfjs IO handler, or a URL-like string tfjs (or the Node entry) routes to one. */
export type ExportDestination = string | tf.io.IOHandler;

/** `handler`, saving with the course's metadata in `userDefinedMetadata.dlcourse`. */
function withMetadata(handler: tf.io.IOHandler, metadata: ModelMetadata): tf.io.IOHandler {
  return {
    save: (artifacts) =>
      handler.save!({
        ...artifacts,
        userDefinedMetadata: { ...artifacts.userDefinedMetadata, [METADATA_KEY]: metadata },
      }),
  };
}

function saveHandler(dest: ExportDestination): tf.io.IOHandler {
  if (typeof dest !== "string") {
    if (typeof dest?.save !== "function")
      throw new Error(
        "invalid export destination: an IO handler without save(); give a handler that saves, indexeddb://name, or a folder (Node)",
      );
    return dest;
  }
  if (/^downloads:\/\//i.test(dest)) {
    throw new Error(
      `invalid export destination: ${JSON.stringify(dest)} would download two files; use downloadLearner(learn, "model.zip") from the browser entry, which downloads one .zip`,
    );
  }
  // tfjs's own indexeddb:// handler reports a save before the browser has committed it (see indexeddb.ts)
  if (isIndexedDbUrl(dest) && typeof indexedDB !== "undefined") return indexedDbSaveHandler(dest);
  const [handler] = tf.io.getSaveHandlers(dest);
  if (handler === undefined) {
    throw new Error(
      `invalid export destination: ${JSON.stringify(dest)}; give indexeddb://name in a browser, or a folder or a .zip path in Node (once src/node/model-files.js is loaded, as the Node entry and the CLI do)`,
    );
  }
  return handler;
}

/**
 * Writes `model` (a tfjs layers model) with `metadata` to `dest`: indexeddb://name (browser), a
 * folder or `.zip` path (Node), or any tfjs IO handler. Resolves to the metadata written.
 */
export async function exportModel(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  dest: ExportDestination,
): Promise<ModelMetadata> {
  await model.save(withMetadata(saveHandler(dest), metadata));
  return metadata;
}

/** `model` with `metadata` as the bytes of one .zip (model.json + weights.bin): what a browser downloads. */
export async function exportZip(model: tf.LayersModel, metadata: ModelMetadata): Promise<Uint8Array<ArrayBuffer>> {
  let zip: Uint8Array<ArrayBuffer> | undefined;
  await exportModel(
    model,
    metadata,
    tf.io.withSaveHandler(async (artifacts) => {
      zip = modelZip(artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return zip!;
}
