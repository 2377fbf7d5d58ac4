/**
 * Models on disk: a folder (model.json + weights.bin, tfjs's layers format) or one .zip of both. Loading
 * this module registers a tfjs IO router for plain paths and file:// URLs, so `learn.export(dir)`,
 * `loadLearner(dir)` and `tf.loadLayersModel(dir)` work in Node, as tfjs-node does for file://.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import {
  artifactsFromModelJson,
  MODEL_JSON,
  ModelNotFound,
  modelJsonText,
  WEIGHTS_BIN,
  weightBuffer,
} from "../export/artifacts.js";
import { artifactsFromZip, modelZip } from "../export/zip.js";
import { makeFolder } from "./make-folder.js";

export { MODEL_JSON, WEIGHTS_BIN };

/** Writes `artifacts` to folder `path` (model.json + weights.bin) or, for a path ending `.zip`, one zip. */
async function writeModel(path: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  if (path.toLowerCase().endsWith(".zip")) {
    await makeFolder(dirname(path));
    await writeFile(path, modelZip(artifacts));
  } else {
    await makeFolder(path);
    await writeFile(join(path, MODEL_JSON), modelJsonText(artifacts));
    await writeFile(join(path, WEIGHTS_BIN), new Uint8Array(weightBuffer(artifacts)));
  }
}

/** tfjs IO for a model at `path` on disk: a folder, or a `.zip` file when the path ends so. */
export function modelFileIO(path: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      await writeModel(path, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      if (!path.toLowerCase().endsWith(".zip")) return readModelDir(path);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        const message = `could not read ${path}: ${(error as Error).message}; give the .zip that learn.export wrote`;
        throw isMissing(error) ? new ModelNotFound(path, message) : new Error(message);
      }
      return artifactsFromZip(bytes, path);
    },
  };
}

/** Routes plain paths and file:// URLs (not http://, indexeddb:// or other schemes) to {@link modelFileIO}. */
function pathRouter(url: string | string[]): tf.io.IOHandler | null {
  if (typeof url !== "string") return null;
  if (url.startsWith("file://")) return modelFileIO(fileURLToPath(url));
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? null : modelFileIO(url);
}

// once per process, even when this module is evaluated again (a test runner's fresh module graph)
const REGISTERED = Symbol.for("dl-course.model-files.router");
if (!(globalThis as Record<symbol, unknown>)[REGISTERED]) {
  (globalThis as Record<symbol, unknown>)[REGISTERED] = true;
  // tfjs's own routers also answer null for a URL they do not take; its type says otherwise
  const router = pathRouter as (url: string | string[]) => tf.io.IOHandler;
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}

/**
 * Writes `model` to `dir` as `model.json` + `weights.bin` (tfjs layers format, readable by
 * `tf.loadLayersModel`), with `metadata` as the model's user-defined metadata. Byte-for-byte the same
 * for the same weights (no timestamps).
 */
export async function saveModelDir(
  model: tf.LayersModel,
  dir: string,
  metadata: Record<string, unknown>,
): Promise<{ bytes: number }> {
  const { modelArtifactsInfo } = await model.save({
    save: (artifacts) => modelFileIO(dir).save!({ ...artifacts, userDefinedMetadata: metadata as Record<string, {}> }),
  });
  return { bytes: modelArtifactsInfo.weightDataBytes ?? 0 };
}

/** No such file or folder: there is no model at that path (ModelNotFound), not a broken one. */
function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/**
 * Reads a model saved in tfjs's layers format from `dir` (its `model.json` and the weight files it
 * names). No such folder, or no model.json in it, rejects with a {@link ModelNotFound}.
 */
export async function readModelDir(dir: string): Promise<tf.io.ModelArtifacts> {
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_JSON), "utf8");
  } catch (error) {
    const message = `could not read ${join(dir, MODEL_JSON)}: ${(error as Error).message}; give a folder made by \`npm run pretrain\` or \`dlcourse train --out\` (or learn.export)`;
    throw isMissing(error) ? new ModelNotFound(dir, message) : new Error(message);
  }
  const readShard = async (path: string) => {
    try {
      return await readFile(join(dir, path));
    } catch {
      throw new Error(`is not in the folder`);
    }
  };
  return artifactsFromModelJson(text, readShard, dir);
}
