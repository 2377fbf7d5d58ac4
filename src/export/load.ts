import * as tf from "@tensorflow/tfjs";
import { readModelMetadata, type ModelMetadata } from "./metadata.js";
import { checkWeightBytes, ModelNotFound, weightBuffer } from "./artifacts.js";
import { exportModel, exportZip, type ExportDestination } from "./export.js";
import type { ImageInput } from "./input.js";
import { predictImages, type Prediction } from "./predict.js";
import { artifactsFromFiles, artifactsFromUrl } from "./sources.js";

export { ModelNotFound };

/**
 * Where an exported model is: the URL of its model.json or .zip; indexeddb://name (browser); a folder
 * or .zip path (Node, once src/node/model-files.js is loaded); files picked or dropped (the .zip, or
 * model.json with its weight files); or any tfjs IO handler that loads.
 */
export type LearnerSource = string | tf.io.IOHandler | Blob | Iterable<Blob> | ArrayLike<Blob>;

/**
 * What `loadLearner` gives: an exported model and its metadata, ready to predict. `dispose()` frees its
 * weights.
 */
export class LoadedLearner {
  /** image [N, inputSize, inputSize, 3] normalised → probabilities [N, classes]. */
  readonly model: tf.LayersModel;
  readonly metadata: ModelMetadata;

  constructor(model: tf.LayersModel, metadata: ModelMetadata) {
    this.model = model;
    this.metadata = metadata;
  }

  get classes(): string[] {
    return this.metadata.classes;
  }

  /** fastai's predict: `{label, index, probs}` for one image, prepared as the training data was. */
  async predict(image: ImageInput): Promise<Prediction> {
    return (await this.predictBatch([image]))[0]!;
  }

  /** `predict` for many images, batched. */
  predictBatch(images: readonly ImageInput[]): Promise<Prediction[]> {
    return predictImages(this.model, this.metadata, images);
  }

  /** Writes the model again, e.g. files a learner dropped into indexeddb://name. */
  export(dest: ExportDestination): Promise<ModelMetadata> {
    return exportModel(this.model, this.metadata, dest);
  }

  /** The model as one .zip's bytes. */
  exportZip(): Promise<Uint8Array<ArrayBuffer>> {
    return exportZip(this.model, this.metadata);
  }

  dispose(): void {
    this.model.dispose();
  }
}

function isHandler(src: LearnerSource): src is tf.io.IOHandler {
  return typeof (src as tf.io.IOHandler).load === "function";
}

function named(error: unknown, source: string): Error {
  if (error instanceof ModelNotFound) return error;
  const message = (error as Error).message ?? String(error);
  return new Error(message.includes(source) ? message : `${source}: ${message}`);
}

/** How tfjs's IndexedDB handler rejects when nothing is saved under the name (tfjs-core io/indexed_db.ts). */
const NOT_IN_INDEXEDDB = /^Cannot find model with path '.*' in IndexedDB\.$/;

/** The artifacts a string names: a URL (absolute, or relative to the page), or what a tfjs router takes. */
async function loadString(src: string): Promise<tf.io.ModelArtifacts> {
  if (/^https?:\/\//i.test(src)) return artifactsFromUrl(src);
  const [handler] = tf.io.getLoadHandlers(src);
  if (handler?.load !== undefined) {
    try {
      return await handler.load();
    } catch (error) {
      if (/^indexeddb:\/\//i.test(src) && NOT_IN_INDEXEDDB.test((error as Error)?.message ?? "")) {
        throw new ModelNotFound(
          src,
          `${src}: no model is saved under this name in this browser's IndexedDB; export one there first (learn.export(${JSON.stringify(src)})), or check the name`,
        );
      }
      throw error;
    }
  }
  if ((globalThis as { location?: unknown }).location !== undefined) return artifactsFromUrl(src);
  throw new Error(
    `invalid model source: ${JSON.stringify(src)}; give the URL of a model.json or .zip, indexeddb://name in a browser, or a folder or .zip path in Node (once src/node/model-files.js is loaded, as the Node entry and the CLI do)`,
  );
}

async function readSource(src: LearnerSource): Promise<{ artifacts: tf.io.ModelArtifacts; source: string }> {
  if (typeof src === "string") {
    try {
      return { artifacts: await loadString(src), source: src };
    } catch (error) {
      throw named(error, src);
    }
  }
  if (isHandler(src)) return { artifacts: await src.load!(), source: "the model" };
  return artifactsFromFiles(src instanceof Blob ? [src] : src);
}

/**
 * The model in `artifacts`, checked before anything is built: a layers model, the course's metadata
 * (not newer than this library), weights of the size model.json describes and the shapes the layers
 * need, as many outputs as classes. Errors start with `source` and end with what to do.
 */
export async function learnerFromArtifacts(artifacts: tf.io.ModelArtifacts, source: string): Promise<LoadedLearner> {
  const topology = artifacts.modelTopology as
    { class_name?: string; model_config?: { class_name?: string } } | ArrayBuffer | undefined;
  if (
    topology === undefined ||
    topology instanceof ArrayBuffer ||
    (topology.class_name ?? topology.model_config?.class_name) === undefined
  ) {
    throw new Error(
      `${source}: not a model: no tfjs layers topology (a graph model or another file?); give what learn.export or \`dlcourse train --out\` wrote`,
    );
  }
  const metadata = readModelMetadata(artifacts.userDefinedMetadata, source);
  checkWeightBytes(artifacts, source);
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as tf.io.ModelJSON);
  } catch (error) {
    throw new Error(
      `${source}: not a model: its layers do not build (${(error as Error).message}); give what learn.export or \`dlcourse train --out\` wrote`,
    );
  }
  const weights = tf.io.decodeWeights(weightBuffer(artifacts), artifacts.weightSpecs ?? []);
  try {
    model.loadWeights(weights);
  } catch (error) {
    model.dispose();
    throw new Error(
      `${source}: the weights do not fit the model (${(error as Error).message}); model.json and the weight files come from different exports — give both from the same one`,
    );
  } finally {
    tf.dispose(Object.values(weights));
  }
  const outputs = model.outputs[0]!.shape[1];
  const inputs = model.inputs[0]!.shape;
  const problem =
    outputs !== metadata.classes.length
      ? `the model gives ${outputs} probabilities but its metadata lists ${metadata.classes.length} classes`
      : inputs[1] != null && (inputs[1] !== metadata.inputSize || inputs[2] !== metadata.inputSize)
        ? `the model takes ${inputs[1]}×${inputs[2]} images but its metadata says inputSize ${metadata.inputSize}`
        : undefined;
  if (problem !== undefined) {
    model.dispose();
    throw new Error(`${source}: ${problem}; the metadata belongs to another model — export the model again`);
  }
  return new LoadedLearner(model, metadata);
}

/**
 * fastai's load_learner: an exported model from `src` (see LearnerSource), ready to `predict`. No
 * model at all where `src` points (nothing under an indexeddb:// name, HTTP 404, no such folder or
 * file) rejects with a {@link ModelNotFound}; other errors say what is wrong — not a model, weights
 * missing or truncated, shapes that disagree, metadata missing or from a newer format version — and
 * what to do. The caller disposes the result.
 */
export async function loadLearner(src: LearnerSource): Promise<LoadedLearner> {
  const { artifacts, source } = await readSource(src);
  return learnerFromArtifacts(artifacts, source);
}
