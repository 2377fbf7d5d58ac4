import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";

/** The files of a saved model: tfjs's layers format, one weight shard. */
export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";

/**
 * Writes `model` to `dir` as `model.json` + `weights.bin` (tfjs layers format, readable by
 * `tf.loadLayersModel`), with `metadata` as the model's user-defined metadata. Byte-for-byte the same
 * for the same weights (no timestamps).
 */
export async function saveModelDir(model: tf.LayersModel, dir: string, metadata: Record<string, unknown>): Promise<{ bytes: number }> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]);
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
        userDefinedMetadata: metadata,
      };
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      bytes = weightData.byteLength;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON", weightDataBytes: bytes } };
    }),
  );
  return { bytes };
}

/** Reads a model saved in tfjs's layers format from `dir` (its `model.json` and the weight files it names). */
export async function readModelDir(dir: string): Promise<tf.io.ModelArtifacts> {
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), "utf8")) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`could not read ${join(dir, MODEL_JSON)}: ${(error as Error).message}; give a folder made by \`npm run pretrain\` or \`dlcourse train --out\``);
  }
  const manifest = modelJson.weightsManifest ?? [];
  const buffers = await Promise.all(
    manifest.flatMap((group) => group.paths).map(async (path) => {
      const data = await readFile(join(dir, path));
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    }),
  );
  return tf.io.getModelArtifactsForJSONSync(modelJson, manifest.flatMap((g) => g.weights), tf.io.concatenateArrayBuffers(buffers));
}
