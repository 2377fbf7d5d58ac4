import * as tf from "@tensorflow/tfjs";
import { toRgbImage, type ImageInput } from "../export/input.js";
import { preprocess } from "../export/predict.js";
import type { Base } from "./base.js";
import { shortName } from "./imagenet-classes.js";

/** One of a base's own classes for an image: its index in `base.info.classes`, its name and probability. */
export interface BaseGuess {
  index: number;
  label: string;
  prob: number;
}

/**
 * What the base itself sees in each image, before any fine-tuning: the `k` most probable of its own
 * classes (ImageNet's for a Keras MobileNet with its top), most probable first. Images are prepared as
 * the base's inputs are (centre crop to `inputSize`, its normalisation). ImageNet labels are shortened to
 * their first word form. Builds the base's whole model for the call and disposes it; leaves no tensor.
 */
export async function classifyWithBase(base: Base, images: readonly ImageInput[], k = 5): Promise<BaseGuess[][]> {
  const { classes, inputSize, normalization, name } = base.info;
  if (classes === undefined || classes.length === 0)
    throw new Error(
      `the base "${name}" does not say what its own classes are; classifyWithBase needs a base with its classifier (e.g. Keras MobileNet with its ImageNet top)`,
    );
  if (base.artifacts.weightData === undefined)
    throw new Error(`the base "${name}" has no weights; classifyWithBase needs a pretrained base`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`invalid k: ${k}; give how many classes to list, e.g. 5`);
  const model = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
  try {
    const units = model.outputs[0]!.shape.at(-1);
    if (model.outputs[0]!.shape.length !== 2 || units !== classes.length)
      throw new Error(
        `the base "${name}" outputs ${JSON.stringify(model.outputs[0]!.shape.slice(1))} but names ${classes.length} classes; classifyWithBase needs its classifier's probabilities`,
      );
    const rgb = await Promise.all(images.map(toRgbImage));
    const probs = tf.tidy(() =>
      model.predict(preprocess(rgb, { classes, inputSize, resize: "crop", normalization })),
    ) as tf.Tensor2D;
    const rows = (await probs.array()) as number[][];
    probs.dispose();
    return rows.map((row) =>
      row
        .map((prob, index) => ({ index, prob }))
        .sort((a, b) => b.prob - a.prob)
        .slice(0, k)
        .map(({ index, prob }) => ({ index, label: shortName(classes[index]!), prob })),
    );
  } finally {
    model.dispose();
  }
}
