import type { BaseInfo } from "./base.js";
import type { BodySplit } from "./learner.js";

/** How to fine-tune on a base: fineTune's epochs and options, and the learner's feature caching. */
export interface FineTuneDefaults {
  epochs: number;
  freezeEpochs: number;
  /** fineTune's `unfreezeTo`: 0 trains everything after the frozen epochs, -2 the body's second group and the head. */
  unfreezeTo: number;
  /** visionLearner's `cacheFeatures`. */
  cacheFeatures: boolean | "always";
  /** visionLearner's `split`: where the body's second group starts. */
  split: BodySplit;
  /** One sentence saying what they are and why, for a page or the CLI. */
  why: string;
}

/** The side from which a base counts as photo-sized: its first layers are wide, and their backward pass dominates a step. */
export const PHOTO_SIZE = 160;

/**
 * The defaults for fine-tuning on `base`: fastai's (1 frozen epoch, 3 unfrozen) for a small base like
 * the course's; for a photo-sized one (`inputSize` ≥ PHOTO_SIZE, e.g. MobileNet at 224), 12 frozen
 * epochs on features computed once (almost free, and the head needs the steps), then 2 epochs with only the body's last stage unfrozen (MobileNet
 * v1: its 7×7 blocks), which starts from the rest's outputs kept from that one pass and so skips the
 * backward pass through the wide early layers, and most of the forward (bench/README.md, the photo
 * suite, has the times).
 */
export function fineTuneDefaults(base: Pick<BaseInfo, "inputSize">): FineTuneDefaults {
  if (base.inputSize < PHOTO_SIZE)
    return {
      epochs: 3,
      freezeEpochs: 1,
      unfreezeTo: 0,
      cacheFeatures: true,
      split: "half",
      why: "fastai's fine_tune defaults: 1 frozen epoch, then 3 with everything unfrozen",
    };
  return {
    epochs: 2,
    freezeEpochs: 12,
    unfreezeTo: -2,
    cacheFeatures: "always",
    split: "last-stage",
    why: `a ${base.inputSize} px base: 12 frozen epochs on features computed once, then 2 with the body's last stage unfrozen`,
  };
}
