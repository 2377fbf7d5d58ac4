import * as tf from "@tensorflow/tfjs";
import { hashString, seededRandom, shuffled } from "../random.js";
import { augmentBatch, checkAugmentOptions, drawAugmentation, type AugmentOptions } from "./augment.js";
import type { Dataset, ImageItem } from "./dataset.js";
import type { RgbImage } from "./image.js";
import { checkNormalization, normalizeTensor, pretrainStats, type Normalization } from "./normalize.js";
import { RESIZE_MODES, resizeImage, type ResizeMode } from "./resize.js";
import { splitRandom, type Split, type SplitOptions } from "./split.js";

export interface DataLoaderOptions {
  /** Side of the square images the model sees. Default 64. */
  size?: number;
  /** Item transform. Default "crop" (fastai's Resize default). */
  resize?: ResizeMode;
  /** Default 32. */
  batchSize?: number;
  /** New order every epoch (seeded). Default false; dataLoaders() turns it on for training. */
  shuffle?: boolean;
  /** Drop a last, smaller batch (fastai does for training). Default: same as shuffle. */
  dropLast?: boolean;
  /** Batch augmentation, or false. Default false; dataLoaders() gives the training set fastai-like defaults. */
  augment?: AugmentOptions | false;
  normalization?: Normalization;
  seed?: number;
}

/** One batch. The caller disposes `xs` and `ys`. */
export interface Batch {
  /** [batch, size, size, 3] float32, normalised. */
  xs: tf.Tensor4D;
  /** [batch, classes] float32 one-hot. */
  ys: tf.Tensor2D;
  /** The items in this batch, in order. */
  items: ImageItem[];
}

function checkOptions({ size = 64, batchSize = 32, resize = "crop" }: DataLoaderOptions): void {
  if (!Number.isInteger(size) || size < 8 || size > 512) throw new Error(`invalid size: ${size}; use an integer from 8 to 512, e.g. 64`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`invalid batchSize: ${batchSize}; use a positive integer, e.g. 32`);
  if (!RESIZE_MODES.includes(resize)) throw new Error(`invalid resize: ${JSON.stringify(resize)}; use "squish", "crop" or "pad"`);
}

/**
 * fastai's DataLoader for images: resizes every item once (the item transform), then serves
 * batches — shuffled per epoch with the seed, augmented if asked, normalised. An item is resized the
 * first time a batch or `image(i)` needs it, not when the loader is made: making loaders for 5,000
 * images costs no time, and the resizing is spread over the first epoch's batches, between which
 * training lets the page draw (at once, it held a page 1.25 s without a frame). The same work in all.
 */
export class DataLoader {
  readonly items: ImageItem[];
  readonly classes: string[];
  readonly size: number;
  readonly batchSize: number;
  readonly options: Readonly<Required<Omit<DataLoaderOptions, "augment">>> & { augment: AugmentOptions | false };
  /** Resized pixels, [items, size, size, 3] uint8; item i's are made by `resized(i)`. */
  private readonly pixels: Uint8Array;
  /** 1 where an item's resized pixels are made. */
  private readonly made: Uint8Array;

  constructor(items: ImageItem[], classes: string[], options: DataLoaderOptions = {}) {
    checkOptions(options);
    const { size = 64, resize = "crop", batchSize = 32, shuffle = false, augment = false, seed = 42 } = options;
    const { normalization = pretrainStats, dropLast = shuffle } = options;
    checkNormalization(normalization);
    if (augment !== false) checkAugmentOptions(augment);
    for (const item of items) {
      if (!classes.includes(item.label)) throw new Error(`item ${item.file} has label ${JSON.stringify(item.label)}, not one of the classes ${classes.join(", ")}`);
    }
    this.items = items;
    this.classes = classes;
    this.size = size;
    this.batchSize = batchSize;
    this.options = { size, resize, batchSize, shuffle, dropLast, augment, normalization, seed };
    this.pixels = new Uint8Array(items.length * size * size * 3);
    this.made = new Uint8Array(items.length);
  }

  /** Item `i`'s resized pixels (a view), resizing it the first time. */
  private resized(i: number): Uint8Array {
    const n = this.size * this.size * 3;
    const pixels = this.pixels.subarray(i * n, (i + 1) * n);
    if (this.made[i] === 0) {
      pixels.set(resizeImage(this.items[i]!.image, this.size, { mode: this.options.resize }).data);
      this.made[i] = 1;
    }
    return pixels;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const full = Math.floor(this.items.length / this.batchSize);
    return this.options.dropLast && full > 0 ? full : Math.ceil(this.items.length / this.batchSize);
  }

  /** Item `i` after the item transform (a view, not a copy). */
  image(i: number): RgbImage {
    return { width: this.size, height: this.size, data: this.resized(i) };
  }

  /** The order items are served in for `epoch` (indices into `items`). */
  order(epoch = 0): number[] {
    const indices = this.items.map((_, i) => i);
    return this.options.shuffle ? shuffled(indices, seededRandom(hashString(`shuffle:${epoch}`, this.options.seed))) : indices;
  }

  /** The item indices of each batch of `epoch`, in order. */
  batchIndices(epoch = 0): number[][] {
    const order = this.order(epoch);
    return Array.from({ length: this.length }, (_, b) => order.slice(b * this.batchSize, (b + 1) * this.batchSize));
  }

  /** The batches of one epoch, made lazily: stopping early leaks nothing. */
  *batches(epoch = 0): Generator<Batch> {
    const indices = this.batchIndices(epoch);
    for (let b = 0; b < indices.length; b++) yield this.batchAt(indices[b]!, epoch, b);
  }

  /**
   * The batch of items `indices`, augmented (if this loader augments and `augment` is not false) as
   * batch `b` of `epoch`.
   */
  batchAt(indices: number[], epoch = 0, b = 0, options: { augment?: boolean } = {}): Batch {
    const { size } = this;
    const { normalization, seed } = this.options;
    const augment = options.augment === false ? false : this.options.augment;
    const n = size * size * 3;
    const floats = new Float32Array(indices.length * n);
    if (augment === false) {
      // normalise while converting: (v / 255 − mean) / std, with no tensor op
      const scale = normalization.std.map((s) => 1 / (255 * s));
      const shift = normalization.mean.map((m, c) => m / normalization.std[c]!);
      indices.forEach((index, row) => {
        const source = this.resized(index);
        const offset = row * n;
        for (let k = 0; k < n; k += 3) {
          floats[offset + k] = source[k]! * scale[0]! - shift[0]!;
          floats[offset + k + 1] = source[k + 1]! * scale[1]! - shift[1]!;
          floats[offset + k + 2] = source[k + 2]! * scale[2]! - shift[2]!;
        }
      });
      return { xs: tf.tensor4d(floats, [indices.length, size, size, 3]), ys: this.targets(indices), items: indices.map((i) => this.items[i]!) };
    }
    indices.forEach((index, row) => {
      const source = this.resized(index);
      for (let k = 0; k < n; k++) floats[row * n + k] = source[k]! / 255;
    });
    const xs = tf.tidy(() => {
      let x = tf.tensor4d(floats, [indices.length, size, size, 3]);
      const random = seededRandom(hashString(`augment:${epoch}:${b}`, seed));
      x = augmentBatch(x, indices.map(() => drawAugmentation(random, augment)));
      return normalizeTensor(x, normalization);
    });
    return { xs, ys: this.targets(indices), items: indices.map((i) => this.items[i]!) };
  }

  /** The class index of each of items `indices`. */
  labels(indices: readonly number[]): number[] {
    return indices.map((i) => this.classes.indexOf(this.items[i]!.label));
  }

  /** [indices, classes] float32 one-hot labels of items `indices`; the caller disposes it. */
  targets(indices: number[]): tf.Tensor2D {
    const labels = this.labels(indices);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), this.classes.length).toFloat() as tf.Tensor2D);
  }
}

/** Both loaders and the split behind them: what fastai's ImageDataLoaders.from_folder returns. */
export interface DataLoaders {
  classes: string[];
  split: Split<ImageItem>;
  train: DataLoader;
  valid: DataLoader;
}

/**
 * fastai's `ImageDataLoaders.from_folder(path, valid_pct, seed, item_tfms, batch_tfms)`: splits the
 * dataset (splitRandom), then makes a shuffled, augmented training loader and a plain, ordered
 * validation loader with the same size, resize and normalisation.
 */
export function dataLoaders(dataset: Dataset, options: SplitOptions & DataLoaderOptions = {}): DataLoaders {
  const { validPct, seed = 42, augment = {}, ...rest } = options;
  const split = splitRandom(dataset.items, { validPct, seed });
  return {
    classes: dataset.classes,
    split,
    train: new DataLoader(split.train, dataset.classes, { shuffle: true, ...rest, augment, seed }),
    valid: new DataLoader(split.valid, dataset.classes, { ...rest, shuffle: false, dropLast: false, augment: false, seed }),
  };
}

/**
 * The same loaders with a small training set: the first `perClass` training items of each class (in
 * split order), not augmented, in batches of `batchSize`; the validation loader is the very same. For
 * showing overfitting: few images, many epochs.
 */
export function trainSubset(dls: DataLoaders, perClass: number, { batchSize = 16 } = {}): DataLoaders {
  if (!(Number.isInteger(perClass) && perClass > 0)) throw new Error(`invalid perClass: ${perClass}; use a positive whole number of training images per class, e.g. 8`);
  const items = dls.classes.flatMap((c) => dls.split.train.filter((item) => item.label === c).slice(0, perClass));
  return {
    classes: dls.classes,
    split: { train: items, valid: dls.split.valid },
    train: new DataLoader(items, dls.classes, { ...dls.train.options, batchSize: Math.min(batchSize, items.length), augment: false, dropLast: false }),
    valid: dls.valid,
  };
}
