import * as tf from "@tensorflow/tfjs";
import { uniform, type Random } from "../random.js";

/** fastai's aug_transforms, the parts that suit small images. Each can be turned off with 0/false. */
export interface AugmentOptions {
  /** Random resized crop: keep between `minScale` and all of the image's area (aspect 3/4–4/3). Default 0.75; 1 = off. */
  minScale?: number;
  /** Mirror half of the images left–right. Default true. */
  flip?: boolean;
  /** Shift brightness by up to ± this (pixels in [0, 1]). Default 0.2. */
  brightness?: number;
  /** Scale contrast around 0.5 by a factor in [1 − c, 1 + c]. Default 0.2. */
  contrast?: number;
}

/** The random draws for one image: crop box (normalised y1, x1, y2, x2; x1 > x2 means flipped), light. */
export interface AugmentDraw {
  box: [number, number, number, number];
  brightness: number;
  contrast: number;
}

export function checkAugmentOptions({ minScale = 0.75, brightness = 0.2, contrast = 0.2 }: AugmentOptions): void {
  if (!(minScale > 0 && minScale <= 1)) throw new Error(`invalid minScale: ${minScale}; use a fraction in (0, 1], e.g. 0.75 (1 turns cropping off)`);
  if (!(brightness >= 0 && brightness < 1)) throw new Error(`invalid brightness: ${brightness}; use a value in [0, 1), e.g. 0.2 (0 turns it off)`);
  if (!(contrast >= 0 && contrast < 1)) throw new Error(`invalid contrast: ${contrast}; use a value in [0, 1), e.g. 0.2 (0 turns it off)`);
}

/** Draws one image's augmentation from `random` (so the same seed gives the same augmented batch). */
export function drawAugmentation(random: Random, { minScale = 0.75, flip = true, brightness = 0.2, contrast = 0.2 }: AugmentOptions = {}): AugmentDraw {
  const area = uniform(random, minScale, 1);
  // aspect ratios in [3/4, 4/3] whose crop of this area still fits in the image
  const logRatio = uniform(random, Math.max(Math.log(3 / 4), Math.log(area)), Math.min(Math.log(4 / 3), -Math.log(area)));
  const w = Math.min(1, Math.sqrt(area * Math.exp(logRatio)));
  const h = Math.min(1, Math.sqrt(area / Math.exp(logRatio)));
  const [y1, x1] = [uniform(random, 0, 1 - h), uniform(random, 0, 1 - w)];
  const mirrored = flip && random() < 0.5;
  return {
    box: mirrored ? [y1, x1 + w, y1 + h, x1] : [y1, x1, y1 + h, x1 + w],
    brightness: uniform(random, -brightness, brightness),
    contrast: uniform(random, 1 - contrast, 1 + contrast),
  };
}

/**
 * Applies `draws[i]` to image i of `x` ([batch, h, w, 3] float32 in [0, 1]): crop-and-resize back to
 * h × w (bilinear; a reversed box mirrors), then (p − 0.5) × contrast + 0.5 + brightness, clipped
 * to [0, 1]. Returns a new tensor of the same shape; the caller disposes it (and still owns `x`).
 */
export function augmentBatch(x: tf.Tensor4D, draws: AugmentDraw[]): tf.Tensor4D {
  const [batch, h, w] = x.shape;
  if (draws.length !== batch) throw new Error(`augmentBatch: ${draws.length} draws for a batch of ${batch}`);
  return tf.tidy(() => {
    const boxes = tf.tensor2d(draws.map((d) => d.box), [batch, 4]);
    const indices = tf.tensor1d(draws.map((_, i) => i), "int32");
    const cropped = tf.image.cropAndResize(x, boxes, indices, [h, w], "bilinear");
    const contrast = tf.tensor4d(draws.map((d) => d.contrast), [batch, 1, 1, 1]);
    const brightness = tf.tensor4d(draws.map((d) => d.brightness), [batch, 1, 1, 1]);
    return cropped.sub(0.5).mul(contrast).add(0.5).add(brightness).clipByValue(0, 1) as tf.Tensor4D;
  });
}
