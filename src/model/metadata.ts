import type { Normalization } from "../data/normalize.js";
import type { Learner } from "./learner.js";

/** What a saved learner carries beside its weights, so that it predicts anywhere (export issue completes it). */
export interface ModelMetadata {
  classes: string[];
  inputSize: number;
  normalization: Normalization;
  resize: string;
  base: string;
  pretrained: boolean;
  epochs: { phase: string; epoch: number; trainLoss: number; validLoss: number; metrics: Record<string, number> }[];
}

/** The metadata of `learn` as `{learner: ModelMetadata}` (the model's user-defined metadata). */
export function modelMetadata(learn: Learner): { learner: ModelMetadata } {
  return {
    learner: {
      classes: learn.classes,
      inputSize: learn.baseInfo.inputSize,
      normalization: learn.dls.train.options.normalization,
      resize: learn.dls.valid.options.resize,
      base: learn.baseInfo.name,
      pretrained: learn.pretrained,
      epochs: learn.recorder.epochs.map(({ phase, epoch, trainLoss, validLoss, metrics }) => ({ phase, epoch, trainLoss, validLoss, metrics })),
    },
  };
}
