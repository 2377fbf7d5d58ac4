/**
 * An exported model as one .zip (model.json + weights.bin): the single file a browser downloads, so
 * it asks once. Universal: fflate runs in Node and the browser.
 */
import type * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped } from "fflate";
import { artifactsFromModelJson, MODEL_JSON, modelJsonText, WEIGHTS_BIN, weightBuffer } from "./artifacts.js";

/** Every entry's date, fixed so the same model gives the same bytes (zip dates start in 1980, local time). */
const ZIP_DATE = new Date(1980, 0, 1);

/** The zip of `artifacts`: `model.json` and `weights.bin` at its root (the weights stored, not compressed: they barely shrink). */
export function modelZip(artifacts: tf.io.ModelArtifacts): Uint8Array<ArrayBuffer> {
  const zip = zipSync(
    {
      [MODEL_JSON]: [strToU8(modelJsonText(artifacts)), { level: 6 }],
      [WEIGHTS_BIN]: [new Uint8Array(weightBuffer(artifacts)), { level: 0 }],
    },
    { mtime: ZIP_DATE },
  );
  return zip as Uint8Array<ArrayBuffer>; // fflate allocates a plain ArrayBuffer
}

/**
 * The model in a zip's bytes: its `model.json` (at the root or in one folder, the weight files beside
 * it). `source` names the zip in errors: not a zip, no model.json, a weight file missing.
 */
export function artifactsFromZip(bytes: Uint8Array, source: string): Promise<tf.io.ModelArtifacts> {
  let files: Unzipped;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `${source}: not a model: not a readable zip archive (${(error as Error).message}); give the .zip that learn.export wrote, complete`,
    );
  }
  const jsons = Object.keys(files).filter(
    (name) => (name === MODEL_JSON || name.endsWith(`/${MODEL_JSON}`)) && !name.startsWith("__MACOSX/"),
  );
  if (jsons.length !== 1) {
    const found =
      jsons.length === 0 ? "has no model.json" : `has ${jsons.length} model.json files (${jsons.join(", ")})`;
    throw new Error(
      `${source}: not a model: the zip ${found}; give the .zip that learn.export wrote, which holds one model.json and its weights`,
    );
  }
  const folder = jsons[0]!.slice(0, -MODEL_JSON.length);
  const readShard = async (path: string) => {
    const data = files[folder + path];
    if (data === undefined) throw new Error("is not in the zip");
    return data;
  };
  return artifactsFromModelJson(strFromU8(files[jsons[0]!]!), readShard, source);
}
