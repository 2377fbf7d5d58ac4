import * as tf from "@tensorflow/tfjs";
import { DataLoader } from "../data/batches.js";
import { downscaleToFit } from "../data/downscale.js";
import type { RgbImage } from "../data/image.js";
import type { ModelMetadata } from "./metadata.js";
import { toRgbImage, type ImageInput } from "./input.js";

/** fastai's predict result: the most probable class, its index, and every class's probability in `classes` order. */
export interface Prediction {
  label: string;
  index: number;
  probs: number[];
}

/** The shorter side a dataset's images are shrunk to when loaded (the loaders' default maxSize). */
const LOADED_MAX_SIZE = 256;
/** Images per forward pass. */
const CHUNK = 64;

/**
 * `images` as the model's input [N, inputSize, inputSize, 3] float32, prepared exactly as a dataset's
 * unaugmented batch: shrunk as a load shrinks it, resized by `meta.resize`, normalised. The caller
 * disposes the result.
 */
export function preprocess(
  images: readonly RgbImage[],
  meta: Pick<ModelMetadata, "classes" | "inputSize" | "resize" | "normalization">,
): tf.Tensor4D {
  const items = images.map((image) => ({
    file: "",
    label: meta.classes[0]!,
    image: downscaleToFit(image, LOADED_MAX_SIZE),
  }));
  const loader = new DataLoader(items, meta.classes, {
    size: meta.inputSize,
    resize: meta.resize,
    normalization: meta.normalization,
    batchSize: Math.max(1, items.length),
  });
  const { xs, ys } = loader.batchAt(
    items.map((_, i) => i),
    0,
    0,
    { augment: false },
  );
  ys.dispose();
  return xs;
}

/**
 * Predicts every image with `model` (image [N, size, size, 3] normalised → probabilities [N, classes]),
 * `CHUNK` at a time. Leaves no tensor behind; tensors given as images are not disposed.
 */
export async function predictImages(
  model: tf.LayersModel,
  meta: ModelMetadata,
  inputs: readonly ImageInput[],
): Promise<Prediction[]> {
  const results: Prediction[] = [];
  for (let start = 0; start < inputs.length; start += CHUNK) {
    const images = await Promise.all(inputs.slice(start, start + CHUNK).map(toRgbImage));
    const probs = tf.tidy(() => {
      const xs = preprocess(images, meta);
      return model.predict(xs) as tf.Tensor2D;
    });
    const rows = (await probs.array()) as number[][];
    probs.dispose();
    for (const row of rows) {
      const index = row.indexOf(Math.max(...row));
      results.push({ label: meta.classes[index]!, index, probs: row });
    }
  }
  return results;
}
