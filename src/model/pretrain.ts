import { dataLoaders } from "../data/batches.js";
import { generatedDataset } from "../draw/generate.js";
import { pretrainStats } from "../data/normalize.js";
import type { TrainingControl } from "../train/events.js";
import type { EpochEvent } from "../train/recorder.js";
import { baseArchitecture, BODY_OUTPUT, type BaseArchitecture, type BaseInfo } from "./base.js";
import { visionLearner, type Learner } from "./learner.js";

export interface PretrainOptions extends TrainingControl {
  /** Seeds the images, the split, the init and the training. Default 0. */
  seed?: number;
  /** Generated images per pretrain class. Default 400. */
  perClass?: number;
  /** Default 24. */
  epochs?: number;
  /** One-cycle peak rate. Default 3e-3. */
  lr?: number;
  /** Held out (never trained on) to measure the base. Default 0.2. */
  validPct?: number;
  architecture?: Omit<BaseArchitecture, "seed">;
}

export interface Pretrained {
  /** The trained classifier over the pretrain classes; the caller disposes it. */
  learner: Learner;
  /** What goes into the saved base's metadata. */
  info: BaseInfo;
  epochs: EpochEvent[];
}

/**
 * Trains the course base from scratch on the generated pretrain classes (never cats or dogs):
 * generate → split → augmented one-cycle training of body + classifier head. Seeded throughout. Weight
 * decay applies to every weight (`wdBnBias: true`): the committed base was made that way, and its weights
 * must stay what this makes.
 */
export async function pretrainBase({
  seed = 0,
  perClass = 400,
  epochs = 24,
  lr = 3e-3,
  validPct = 0.2,
  architecture = {},
  signal,
  onEvent,
}: PretrainOptions = {}): Promise<Pretrained> {
  const inputSize = architecture.inputSize ?? 64;
  const dataset = generatedDataset({ set: "pretrain", perClass, size: Math.round(inputSize * 1.5), seed });
  const dls = dataLoaders(dataset, { validPct, seed, size: inputSize, normalization: pretrainStats });
  const learner = await visionLearner(dls, {
    base: baseArchitecture({ ...architecture, seed }),
    pretrained: false,
    seed,
    wdBnBias: true,
  });
  try {
    const events = await learner.fitOneCycle(epochs, lr, { signal, onEvent });
    const last = events.at(-1);
    const heldOutAccuracy = last ? 1 - last.metrics.errorRate! : NaN;
    const info: BaseInfo = {
      name: "course base",
      inputSize,
      normalization: pretrainStats,
      cut: BODY_OUTPUT,
      classes: dataset.classes,
      pretraining: {
        seed,
        perClass,
        epochs,
        lr,
        validPct,
        trainImages: dls.train.items.length,
        heldOutImages: dls.valid.items.length,
        heldOutAccuracy: Math.round(heldOutAccuracy * 10000) / 10000,
      },
    };
    return { learner, info, epochs: events };
  } catch (error) {
    learner.dispose();
    throw error;
  }
}
