import type { FineTuneOptions } from "../train/fit.js";
import type { BaseInfo } from "./base.js";
import type { LearnerOptions } from "./learner.js";

/** How to fine-tune on a base: fineTune's epochs and options, and the learner options that go with them. */
export interface FineTuneDefaults {
  /** fineTune's `epochs` (after the frozen ones). */
  epochs: number;
  /** fineTune's options: `learn.fineTune(epochs, {...fineTune, signal, onEvent})`. */
  fineTune: Required<Pick<FineTuneOptions, "freezeEpochs" | "unfreezeTo" | "baseLr" | "freezePctStart">>;
  /** visionLearner's options: `visionLearner(dls, {base, ...learner})`. */
  learner: Required<Pick<LearnerOptions, "cacheFeatures" | "split" | "bodyBatchnorm">>;
  /** One sentence saying what they are and why, for a page or the CLI. */
  why: string;
}

/** The side from which a base counts as photo-sized: its first layers are wide, and their backward pass dominates a step. */
export const PHOTO_SIZE = 160;

/**
 * The defaults for fine-tuning on `base`: fastai's fine_tune (1 frozen epoch, 3 unfrozen) for a small
 * base like the course's. For a photo-sized one (`inputSize` ≥ PHOTO_SIZE, e.g. MobileNet at 224):
 * - 30 frozen epochs on features computed once (almost free, and the head needs the steps), as one
 *   whole cycle (`freezePctStart` 0.25: the rate falls again, where fastai's 0.99, made for one frozen
 *   epoch, would keep most of them at its peak) at `baseLr` 5e-4;
 * - then 1 epoch with only the body's last stage unfrozen (MobileNet v1: its 7×7 blocks), which starts
 *   from the rest's outputs kept from that one pass, and so skips the backward pass through the wide
 *   early layers and most of the forward. That stage normalises with its pretrained batchnorm
 *   statistics (`bodyBatchnorm: "moving"`), so the features the head was trained on do not shift.
 * docs/photo-base.md has the runs on real photos behind them; bench/README.md (the photo suite) the times.
 */
export function fineTuneDefaults(base: Pick<BaseInfo, "inputSize">): FineTuneDefaults {
  if (base.inputSize < PHOTO_SIZE)
    return {
      epochs: 3,
      fineTune: { freezeEpochs: 1, unfreezeTo: 0, baseLr: 2e-3, freezePctStart: 0.99 },
      learner: { cacheFeatures: true, split: "half", bodyBatchnorm: "batch" },
      why: "fastai's fine_tune defaults: 1 frozen epoch, then 3 with everything unfrozen",
    };
  // frozen epochs on features computed once, then unfrozen ones with the last stage
  const [freezeEpochs, epochs] = [30, 1];
  return {
    epochs,
    fineTune: { freezeEpochs, unfreezeTo: -2, baseLr: 5e-4, freezePctStart: 0.25 },
    learner: { cacheFeatures: "always", split: "last-stage", bodyBatchnorm: "moving" },
    why: `a ${base.inputSize} px base: ${freezeEpochs} frozen epochs on features computed once, then ${epochs} with the body's last stage unfrozen`,
  };
}
