import * as tf from "@tensorflow/tfjs";
import { checkNormalization, type Normalization } from "../data/normalize.js";
import { checkBaseInfo, type Base, type BaseInfo } from "./base.js";
import { downloadBase, type DownloadOptions } from "./download-base.js";
import { describeRecognized, recognizeBase } from "./recognize.js";

/** A setting a base without the course's metadata must be given, when its layers do not say it. */
export type BaseSetting = "cut" | "inputSize" | "normalize";

/** Thrown when a base needs a setting it was not given and its layers do not say; `setting` names it. */
export class BaseSettingMissing extends Error {
  constructor(
    readonly setting: BaseSetting,
    message: string,
  ) {
    super(message);
    this.name = "BaseSettingMissing";
  }
}

/** What a learner may say about a base that does not carry the course's metadata (a hosted model). */
export interface BaseOverrides {
  /** Name of the layer whose output the head goes on. Default: the layer before the first global pooling or flatten. */
  cut?: string;
  /** Side of the square input images. Default: the model's input shape. */
  inputSize?: number;
  /** The statistics its inputs expect, e.g. Keras MobileNet's [-1, 1]: {mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]}. */
  normalize?: Normalization;
  name?: string;
}

/** A tfjs layers model anywhere fetch reaches: `model.json` with its weight files beside it. */
export interface UrlSource extends BaseOverrides, DownloadOptions {
  url: string;
}

/** A layers model already in memory: the parsed `model.json` and its weight files' bytes, in manifest order. */
export interface MemorySource extends BaseOverrides {
  modelJson: tf.io.ModelJSON;
  weights: ArrayBuffer | ArrayBuffer[];
}

const POOLING = new Set(["GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten", "AveragePooling2D"]);

/**
 * Loads a base from a URL (fetched only now, when the learner asks; failures are BaseDownloadFailed,
 * see downloadBase) or from memory. The course's own
 * base carries its `BaseInfo` in the model's user metadata; anything else is described by the overrides.
 */
export async function loadBase(source: UrlSource | MemorySource): Promise<Base> {
  if ("url" in source) {
    return baseFromArtifacts(await downloadBase(source.url, source), source);
  }
  const { modelJson, weights } = source;
  const weightSpecs = modelJson.weightsManifest?.flatMap((group) => group.weights) ?? [];
  const weightData = Array.isArray(weights) ? tf.io.concatenateArrayBuffers(weights) : weights;
  const artifacts: tf.io.ModelArtifacts = { ...tf.io.getModelArtifactsForJSONSync(modelJson, weightSpecs, weightData) };
  return baseFromArtifacts(artifacts, source);
}

/**
 * Describes `artifacts`: `overrides` first, then the course's metadata, then what its layer names say
 * (Keras MobileNet v1/v2, see recognizeBase), checking that the model builds and the cut exists.
 */
export async function baseFromArtifacts(artifacts: tf.io.ModelArtifacts, overrides: BaseOverrides = {}): Promise<Base> {
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error(
      "the base model has no layers topology; give a tfjs layers model (model.json with modelTopology), not a graph model",
    );
  }
  const stored = (artifacts.userDefinedMetadata?.base ?? {}) as Partial<BaseInfo>;
  const model = await tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as tf.io.ModelJSON);
  try {
    const names = model.layers.map((l) => l.name);
    const recognized = stored.cut === undefined ? recognizeBase(model) : null;
    const cut = overrides.cut ?? stored.cut ?? recognized?.cut ?? defaultCut(model);
    if (!names.includes(cut))
      throw new Error(
        `invalid cut: ${JSON.stringify(cut)}; the base has no such layer (its last layers are ${names.slice(-4).join(", ")})`,
      );
    const inputShape = model.inputs[0]!.shape;
    const inputSize = overrides.inputSize ?? stored.inputSize ?? recognized?.inputSize ?? inputShape[1];
    if (inputSize == null)
      throw new BaseSettingMissing("inputSize", "the base accepts any input size; give inputSize, e.g. 224");
    if (inputShape[1] != null && inputShape[1] !== inputSize)
      throw new Error(`invalid inputSize: ${inputSize}; the base's input is ${inputShape[1]}×${inputShape[2]}`);
    const normalization = overrides.normalize ?? stored.normalization ?? recognized?.normalization;
    if (normalization === undefined)
      throw new BaseSettingMissing(
        "normalize",
        "the base does not say how its inputs are normalised; give normalize: {mean, std}, e.g. {mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]} for Keras MobileNet",
      );
    checkNormalization(normalization);
    const info: BaseInfo = {
      ...stored,
      name: overrides.name ?? stored.name ?? recognized?.family ?? model.name,
      inputSize,
      normalization,
      cut,
      ...(recognized?.classes && stored.classes === undefined ? { classes: recognized.classes } : {}),
      ...(recognized ? { recognized: describeRecognized(recognized) } : {}),
    };
    checkBaseInfo(info);
    return { artifacts, info };
  } finally {
    model.dispose();
  }
}

function defaultCut(model: tf.LayersModel): string {
  const index = model.layers.findIndex((l) => POOLING.has(l.getClassName()));
  if (index < 1)
    throw new BaseSettingMissing(
      "cut",
      "could not find where the base's body ends (no pooling or flatten layer); give cut: the name of the body's last layer",
    );
  return model.layers[index - 1]!.name;
}
