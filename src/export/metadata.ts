import { checkNormalization, type Normalization } from "../data/normalize.js";
import { RESIZE_MODES, type ResizeMode } from "../data/resize.js";
import type { DataLoaders } from "../data/batches.js";

/** The name of an exported dl-course model's format, in `userDefinedMetadata.dlcourse.format`. */
export const MODEL_FORMAT = "dl-course/image-classifier";
/** The format version this library writes, and the newest it reads. */
export const MODEL_FORMAT_VERSION = 1;
/** The key of the course's entry in a tfjs model's `userDefinedMetadata`. */
export const METADATA_KEY = "dlcourse";

/** One epoch of the training that made the model, as the recorder saw it (no timings: exports are byte-stable). */
export interface EpochSummary {
  phase: string;
  epoch: number;
  trainLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
}

/**
 * Everything needed to predict with an exported model, beside its weights (the README's "Exported
 * model format" states the contract, docs/export.md each step): probabilities come out in `classes` order for inputs prepared as
 * RGB → resized to `inputSize` by `resize` → (pixel / 255 − mean) / std per channel.
 */
export interface ModelMetadata {
  format: typeof MODEL_FORMAT;
  version: number;
  classes: string[];
  inputSize: number;
  resize: ResizeMode;
  normalization: Normalization;
  /** The base's name, and whether its pretrained weights were the start. */
  base: string;
  pretrained: boolean;
  training: { trainCount: number; validCount: number; epochs: EpochSummary[] };
}

/** What `modelMetadata` reads of a learner: the model part's Learner is one (export/ never imports model/). */
export interface MetadataSource {
  readonly classes: string[];
  readonly dls: DataLoaders;
  readonly baseInfo: { readonly name: string };
  readonly pretrained: boolean;
  readonly recorder: { readonly epochs: readonly EpochSummary[] };
}

/** What `learn.export` writes in `userDefinedMetadata.dlcourse`. */
export function modelMetadata(learn: MetadataSource): ModelMetadata {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    classes: learn.classes,
    inputSize: learn.dls.valid.size,
    resize: learn.dls.valid.options.resize,
    normalization: learn.dls.valid.options.normalization,
    base: learn.baseInfo.name,
    pretrained: learn.pretrained,
    training: {
      trainCount: learn.dls.train.items.length,
      validCount: learn.dls.valid.items.length,
      epochs: learn.recorder.epochs.map(({ phase, epoch, trainLoss, validLoss, metrics }) => ({
        phase,
        epoch,
        trainLoss,
        validLoss,
        metrics,
      })),
    },
  };
}

/**
 * The course's metadata in a model's `userDefinedMetadata`, checked: absent, another format, a newer
 * version or a bad field throws an error that names `source`, what is wrong and what to do.
 */
export function readModelMetadata(userDefinedMetadata: unknown, source: string): ModelMetadata {
  const meta = (userDefinedMetadata as Record<string, unknown> | undefined)?.[METADATA_KEY] as
    Partial<ModelMetadata> | undefined;
  if (meta === undefined || meta === null || typeof meta !== "object") {
    throw new Error(
      `${source} has no dl-course metadata (userDefinedMetadata.${METADATA_KEY} with classes, inputSize, resize, normalization); export the model with learn.export(...) or \`dlcourse train --out\``,
    );
  }
  if (meta.format !== MODEL_FORMAT)
    throw new Error(
      `${source} is not a dl-course image classifier (format ${JSON.stringify(meta.format)}, expected "${MODEL_FORMAT}"); export the model with learn.export(...)`,
    );
  const { version } = meta;
  if (!Number.isInteger(version) || version! < 1)
    throw new Error(
      `${source} has an invalid format version: ${JSON.stringify(version)}; export the model again with learn.export(...)`,
    );
  if (version! > MODEL_FORMAT_VERSION)
    throw new Error(
      `${source} is ${MODEL_FORMAT} version ${version}, newer than this library reads (version ${MODEL_FORMAT_VERSION}); update dl-course to load it`,
    );
  const bad = (field: string, value: unknown, want: string) =>
    new Error(
      `${source} has invalid metadata ${field}: ${JSON.stringify(value)}; ${want} (export the model again with learn.export(...))`,
    );
  const { classes, inputSize, resize, normalization } = meta;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === "string"))
    throw bad("classes", classes, "it must list two or more class names");
  if (!Number.isInteger(inputSize) || inputSize! < 1)
    throw bad("inputSize", inputSize, "it must be a positive integer, e.g. 64");
  if (!RESIZE_MODES.includes(resize!)) throw bad("resize", resize, 'it must be "squish", "crop" or "pad"');
  try {
    checkNormalization(normalization!);
  } catch {
    throw bad("normalization", normalization, "it must be {mean: [r, g, b], std: [r, g, b]} for pixels in [0, 1]");
  }
  return meta as ModelMetadata;
}
