import type { BaseInfo } from "./base.js";

/** How to fine-tune on a base: fineTune's epochs and options, and the learner's feature caching. */
export interface FineTuneDefaults {
  epochs: number;
  freezeEpochs: number;
  /** fineTune's `unfreezeTo`: 0 trains everything after the frozen epochs, -2 the second body half and the head. */
  unfreezeTo: number;
  /** visionLearner's `cacheFeatures`. */
  cacheFeatures: boolean | "always";
  /** One sentence saying what they are and why, for a page or the CLI. */
  why: string;
}

/** The side from which a base counts as photo-sized: its first layers are wide, and their backward pass dominates a step. */
export const PHOTO_SIZE = 160;

/**
 * The defaults for fine-tuning on `base`: fastai's (1 frozen epoch, 3 unfrozen) for a small base like
 * the course's; for a photo-sized one (`inputSize` ≥ PHOTO_SIZE, e.g. MobileNet at 224), 4 frozen
 * epochs on features computed once, then 1 epoch with only the second half of the body unfrozen, which
 * skips most of the backward pass (bench/README.md, the photo suite, has the times).
 */
export function fineTuneDefaults(base: Pick<BaseInfo, "inputSize">): FineTuneDefaults {
  if (base.inputSize < PHOTO_SIZE)
    return {
      epochs: 3,
      freezeEpochs: 1,
      unfreezeTo: 0,
      cacheFeatures: true,
      why: "fastai's fine_tune defaults: 1 frozen epoch, then 3 with everything unfrozen",
    };
  return {
    epochs: 1,
    freezeEpochs: 4,
    unfreezeTo: -2,
    cacheFeatures: "always",
    why: `a ${base.inputSize} px base: 4 frozen epochs on features computed once, then 1 with the second half of the body unfrozen`,
  };
}
