/**
 * A tfjs layers model as files: the `model.json` an export writes (byte-stable: no timestamps) and the
 * artifacts read back from a model.json and its weight files, wherever they come from (a folder, a zip,
 * URLs, picked files), with errors that say which file is missing or short. Universal.
 */
import * as tf from "@tensorflow/tfjs";

/** The files of an exported model: tfjs's layers format, one weight shard. */
export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";

/**
 * `loadLearner`'s error when there is no model at all where it looked: nothing saved under an
 * indexeddb:// name, HTTP 404 (or 410) for the URL, no such folder, model.json or .zip path on disk.
 * `source` is what it was given; the message says where it looked and what to do. A model that is
 * there but broken (model.json not JSON, weights missing or cut short) is a plain Error instead.
 */
export class ModelNotFound extends Error {
  override readonly name = "ModelNotFound";
  /** The source loadLearner was given (a URL, an indexeddb:// name, a path). */
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.source = source;
  }
}

/** `artifacts`' weights as one buffer (tfjs may hand them over in pieces). */
export function weightBuffer(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  const data = artifacts.weightData ?? new ArrayBuffer(0);
  return data instanceof ArrayBuffer ? data : tf.io.concatenateArrayBuffers(data);
}

/** The model.json of `artifacts` with its weights in one file, `WEIGHTS_BIN`. */
export function modelJsonText(artifacts: tf.io.ModelArtifacts): string {
  const json = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata ?? {},
  };
  return JSON.stringify(json);
}

/**
 * Reads one weight file named in model.json (a path relative to it). Rejects with an error whose
 * message says where it was not found ("is not in the folder", "HTTP 404").
 */
export type ShardReader = (path: string) => Promise<Uint8Array>;

/**
 * The artifacts of the model.json `text` with the weight files `readShard` gives, in manifest order.
 * `source` names where they came from in errors: not JSON, no layers topology, a weight file missing.
 */
export async function artifactsFromModelJson(
  text: string,
  readShard: ShardReader,
  source: string,
): Promise<tf.io.ModelArtifacts> {
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(text) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(
      `${source}: not a model: its model.json is not JSON (${(error as Error).message}); give the model.json (or .zip) that learn.export wrote`,
    );
  }
  if (modelJson === null || typeof modelJson !== "object" || modelJson.modelTopology === undefined) {
    throw new Error(
      `${source}: not a model: its model.json has no modelTopology; give the model.json (or .zip) that learn.export wrote`,
    );
  }
  const manifest = modelJson.weightsManifest ?? [];
  const shards = await Promise.all(
    manifest
      .flatMap((group) => group.paths)
      .map(async (path) => {
        try {
          const bytes = await readShard(path);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        } catch (error) {
          throw new Error(
            `${source}: weights missing: model.json names ${path}, which ${(error as Error).message}; give model.json together with its weight files (or the .zip that learn.export wrote)`,
          );
        }
      }),
  );
  return tf.io.getModelArtifactsForJSONSync(
    modelJson,
    manifest.flatMap((g) => g.weights),
    tf.io.concatenateArrayBuffers(shards),
  );
}

/** Bytes the weights described by `specs` take (quantised ones at their stored width). */
export function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  const width: Record<string, number> = {
    float32: 4,
    int32: 4,
    bool: 1,
    complex64: 8,
    uint8: 1,
    uint16: 2,
    float16: 2,
  };
  return specs.reduce(
    (sum, spec) => sum + spec.shape.reduce((n, d) => n * d, 1) * (width[spec.quantization?.dtype ?? spec.dtype] ?? 4),
    0,
  );
}

/** Checks that the weight bytes are exactly what model.json describes: fewer is a cut-off file, more another model's. */
export function checkWeightBytes(artifacts: tf.io.ModelArtifacts, source: string): void {
  const have = weightBuffer(artifacts).byteLength;
  const want = expectedWeightBytes(artifacts.weightSpecs ?? []);
  if (have < want)
    throw new Error(
      `${source}: weights truncated: the weight files hold ${have} bytes but model.json describes ${want}; a download or copy was cut short — copy or export the model again`,
    );
  if (have > want)
    throw new Error(
      `${source}: the weight files hold ${have} bytes but model.json describes ${want}: they belong to another model; give model.json and the weights of the same export`,
    );
}

/** `model`'s topology and weights as plain data (what `model.save` would write), e.g. to serve or make a base of. */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return saved!;
}
