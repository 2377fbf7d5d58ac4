import * as tf from "@tensorflow/tfjs";
import { createImage, type RgbImage } from "./image.js";
import type { Normalization } from "./normalize.js";

/**
 * Undoes normalisation to get back viewable images: xs [batch, h, w, 3] normalised float32 →
 * one RgbImage per row. Reads `xs` without disposing it.
 */
export function batchImages(xs: tf.Tensor4D, { mean, std }: Normalization): RgbImage[] {
  const [batch, h, w] = xs.shape;
  const bytes = tf.tidy(() => xs.mul(tf.tensor1d(std)).add(tf.tensor1d(mean)).mul(255).round().clipByValue(0, 255).dataSync());
  return Array.from({ length: batch }, (_, i) => {
    const image = createImage(w, h);
    image.data.set(bytes.subarray(i * h * w * 3, (i + 1) * h * w * 3));
    return image;
  });
}
