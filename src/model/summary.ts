import type { Learner } from "./learner.js";

/** One layer of a learner's model, as fastai's `learn.summary()` lists it. */
export interface LayerRow {
  name: string;
  /** The layer's class, e.g. "Conv2D", "BatchNormalization", "Dense". */
  type: string;
  /** Output shape without the batch axis, e.g. [32, 32, 16]. */
  outputShape: number[];
  /** Trainable weights (kernels, biases, batchnorm scales and offsets). */
  params: number;
  /** Batchnorm's moving statistics: weights that change but are not trained. */
  nonTrainable: number;
  part: "body" | "head";
  /** Its parameter group: 0 and 1 are the body's parts (see LearnerOptions.split), 2 the head; null for layers without trainable weights. */
  group: 0 | 1 | 2 | null;
  /** Whether its weights train now (the head always; a body group once unfrozen, see freezeTo). */
  trains: boolean;
}

export interface ModelSummary {
  layers: LayerRow[];
  totalParams: number;
  trainableParams: number;
  frozen: boolean;
}

const size = (shape: readonly (number | null)[]): number => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

/**
 * fastai's `learn.summary()`: every layer of the learner's model (input excluded) with its output shape,
 * parameters, whether it is body or head, its parameter group, and whether it trains now; the totals
 * count trainable weights only, and "trainable" follows freeze/unfreeze.
 */
export function modelSummary(learn: Learner): ModelSummary {
  const bodyNames = new Set(learn.body.layers.map((l) => l.name));
  const layers = learn.model.layers
    .filter((layer) => layer.getClassName() !== "InputLayer")
    .map((layer): LayerRow => {
      const part = bodyNames.has(layer.name) ? "body" : "head";
      const params = layer.trainableWeights.reduce((n, w) => n + size(w.shape), 0);
      const nonTrainable = layer.nonTrainableWeights.reduce((n, w) => n + size(w.shape), 0);
      const group = params === 0 ? null : part === "head" ? 2 : learn.bodyGroupOf(layer);
      const output = layer.outputShape as (number | null)[];
      return {
        name: layer.name,
        type: layer.getClassName(),
        outputShape: output.slice(1).map((d) => d ?? 0),
        params,
        nonTrainable,
        part,
        group,
        trains: group !== null && group >= learn.trainsFrom,
      };
    });
  const totalParams = layers.reduce((n, l) => n + l.params, 0);
  const trainableParams = layers.filter((l) => l.trains).reduce((n, l) => n + l.params, 0);
  return { layers, totalParams, trainableParams, frozen: learn.frozen };
}
