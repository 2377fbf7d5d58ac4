import type { DataLoaders } from "../data/batches.js";
import type { GroupAdam } from "./optimizer.js";
import type { Recorder } from "./recorder.js";

/** One training step's place in the run, as the training loops give it to `trainBatch`. */
export interface TrainBatchStep {
  epoch: number;
  batch: number;
  /** A rate for each parameter group. */
  lrs: readonly number[];
  mom?: number;
  phase?: string;
}

/**
 * What the training loops (fit, fitOneCycle, fineTune, lrFind) drive: fastai's generic Learner as the
 * training layer sees it. The model part's Learner (what visionLearner makes) is one; train/ never
 * imports model/, so the arrow points one way (see docs/architecture.md).
 */
export interface Trainable {
  readonly dls: DataLoaders;
  readonly recorder: Recorder;
  optimizer: GroupAdam;
  /** Epochs trained so far (seeds each epoch's shuffle and augmentation). */
  epochsDone: number;
  /** One optimiser step on the training items `indices`; resolves to the loss, throws TrainingDiverged. */
  trainBatch(indices: number[], step: TrainBatchStep): Promise<number>;
  /** Loss and metrics on the validation set. */
  validate(signal?: AbortSignal): Promise<{ validLoss: number; metrics: Record<string, number> }>;
  freeze(): void;
  unfreeze(): void;
  /** fastai's freeze_to: the parameter groups before `n` frozen (negative counts from the end). */
  freezeTo(n: number): void;
  /** A copy of every weight, to put back after an lrFind sweep or a run whose loss exploded (see fit.ts). */
  snapshot(): { restore(): void; dispose(): void };
  /** Marks the body's weights as changed (cached features are stale). */
  bodyChanged(): void;
}
