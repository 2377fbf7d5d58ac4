import * as tf from "@tensorflow/tfjs";
import { dataLoaders } from "../data/batches.js";
import type { Dataset } from "../data/dataset.js";
import type { Base } from "./base.js";
import { visionLearner, type LearnerOptions } from "./learner.js";
import { seededRandom } from "../random.js";

/** Measured costs on the current backend: one unfrozen, augmented training step, and the body's forward pass per image. */
export interface StepCosts {
  /** Seconds for one training step of `batchSize` images with the body unfrozen (from `unfreezeTo`'s group). */
  stepSeconds: number;
  /** Seconds per image to run the body (frozen epochs and their validation). */
  forwardSeconds: number;
  /**
   * Seconds per image of the validation after an unfrozen epoch: the whole body, or only the trained
   * part where the frozen part's outputs are kept (see LearnerOptions.split). Default forwardSeconds.
   */
  validSeconds?: number;
  /**
   * Seconds for one frozen step of `batchSize` images on cached features (the head's step alone).
   * Default 0: with a small head, almost free next to the body's pass.
   */
  headStepSeconds?: number;
  batchSize: number;
  backend: string;
}

/** What `fineTune` will do: its image counts and epochs. */
export interface FineTunePlan {
  trainImages: number;
  validImages: number;
  epochs: number;
  freezeEpochs: number;
  /** Whether frozen epochs train on cached features (one body pass for all of them): see LearnerOptions.cacheFeatures. */
  cached?: boolean;
}

/**
 * Seconds `fineTune` should take, from measured step costs: each frozen epoch runs the body forward
 * over the training images (no gradient through it) and the head's steps (`headStepSeconds`), and the
 * frozen body's validation features are computed once; each unfrozen epoch runs its full batches (the
 * last partial one is dropped, as the training loader does) and validates (`validSeconds` an image).
 * With `cached`, all frozen epochs together run the body over the training images once.
 */
export function fineTuneSeconds(
  costs: Pick<StepCosts, "stepSeconds" | "forwardSeconds" | "validSeconds" | "headStepSeconds" | "batchSize">,
  plan: FineTunePlan,
): number {
  const { stepSeconds, forwardSeconds, batchSize, validSeconds = forwardSeconds, headStepSeconds = 0 } = costs;
  const passes = plan.cached ? 1 : plan.freezeEpochs;
  const steps = Math.floor(plan.trainImages / batchSize);
  const frozen =
    plan.freezeEpochs > 0
      ? (passes * plan.trainImages + plan.validImages) * forwardSeconds + plan.freezeEpochs * steps * headStepSeconds
      : 0;
  return frozen + plan.epochs * (steps * stepSeconds + plan.validImages * validSeconds);
}

/**
 * Times, on the current backend, one unfrozen training step on `batchSize` seeded random images at the
 * base's input size (after one untimed warm-up step; with the groups before `unfreezeTo` frozen, as
 * fineTune's option, and the learner's `cacheFeatures`, `split` and `bodyBatchnorm` as training will have them), the
 * body's forward pass over as many images, and the validation after that step. Takes a second or two
 * on wasm for the course base; everything it makes is disposed.
 */
export async function measureStepCosts(
  base: Base,
  {
    batchSize = 32,
    seed = 0,
    unfreezeTo = 0,
    ...learnerOptions
  }: { batchSize?: number; seed?: number; unfreezeTo?: number } & Pick<
    LearnerOptions,
    "cacheFeatures" | "split" | "bodyBatchnorm"
  > = {},
): Promise<StepCosts> {
  const size = base.info.inputSize;
  const random = seededRandom(seed);
  const items = Array.from({ length: 2 * batchSize }, (_, i) => {
    const data = new Uint8Array(size * size * 3);
    for (let k = 0; k < data.length; k++) data[k] = Math.floor(random() * 256);
    return {
      file: `${i % 2 ? "b" : "a"}/${i}.png`,
      label: i % 2 ? "b" : "a",
      image: { width: size, height: size, data },
    };
  });
  const dataset: Dataset = { classes: ["a", "b"], items, skipped: [] };
  const dls = dataLoaders(dataset, {
    validPct: 0.5,
    seed,
    size,
    batchSize,
    normalization: base.info.normalization,
    augment: {},
  });
  const learn = await visionLearner(dls, { base, seed, ...learnerOptions });
  try {
    await learn.validate(); // warm-up: the first pass compiles and allocates
    learn.bodyChanged();
    let start = performance.now();
    await learn.validate();
    const forwardSeconds = (performance.now() - start) / 1000 / dls.valid.items.length;
    const [indices] = dls.train.batchIndices(0);
    const lrs = [1e-6, 1e-6, 1e-6];
    // where frozen epochs run on cached features, their head's step (the first computes the features)
    let headStepSeconds = 0;
    if (learn.usesCachedFeatures) {
      await learn.trainBatch(indices!, { epoch: 0, batch: 0, lrs });
      start = performance.now();
      await learn.trainBatch(indices!, { epoch: 0, batch: 1, lrs });
      headStepSeconds = (performance.now() - start) / 1000;
    }
    learn.freezeTo(unfreezeTo);
    await learn.trainBatch(indices!, { epoch: 0, batch: 2, lrs });
    start = performance.now();
    await learn.trainBatch(indices!, { epoch: 0, batch: 3, lrs });
    const stepSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    await learn.validate(); // the step changed the body: what an unfrozen epoch's validation runs
    const validSeconds = (performance.now() - start) / 1000 / dls.valid.items.length;
    return { stepSeconds, forwardSeconds, validSeconds, headStepSeconds, batchSize, backend: tf.getBackend() };
  } finally {
    learn.dispose();
  }
}
