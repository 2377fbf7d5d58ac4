import * as tf from "@tensorflow/tfjs";
import { DataLoader, type DataLoaders } from "../data/batches.js";
import { batchImages } from "../data/batch-images.js";
import type { ImageItem } from "../data/dataset.js";
import type { RgbImage } from "../data/image.js";
import { RESIZE_MODES, resizeImage } from "../data/resize.js";
import { figure, grid } from "./image.js";

export interface ShowBatchOptions {
  /** How many images. Default 9 (at most one batch). */
  n?: number;
  /** Default "train": augmented, as the model sees it. */
  split?: "train" | "valid";
  /** Which epoch's batch (a different shuffle and augmentation each). Default 0. */
  epoch?: number;
  /** Display size of each image in pixels. Default 96. */
  display?: number;
}

/**
 * fastai's show_batch: `n` images as the model gets them, with their labels. Training: the first
 * batch of `epoch`, shuffled and augmented. Validation (kept in order, so one class would fill the
 * grid): `n` items evenly spaced through the set. Browser only.
 */
export function showBatch(
  dls: DataLoaders,
  { n = 9, split = "train", epoch = 0, display = 96 }: ShowBatchOptions = {},
): HTMLElement {
  const loader: DataLoader = split === "train" ? dls.train : dls.valid;
  if (split === "valid") {
    const count = Math.min(n, loader.items.length);
    const picks = Array.from({ length: count }, (_, i) => Math.floor((i * loader.items.length) / count));
    return grid(
      picks.map((i) => figure(loader.image(i), [loader.items[i]!.label], { scale: display / loader.size })),
      { className: "dl-show-batch" },
    );
  }
  const first = loader.batches(epoch).next();
  if (first.done) throw new Error(`showBatch: the ${split} set has no batch to show`);
  const { xs, ys, items } = first.value;
  try {
    const images = batchImages(xs, loader.options.normalization).slice(0, n);
    return grid(
      images.map((image, i) => figure(image, [items[i]!.label], { scale: display / image.width })),
      { className: "dl-show-batch" },
    );
  } finally {
    tf.dispose([xs, ys]);
  }
}

/** One image through each resize mode, side by side, as fastai's Resize(method=…) would give. */
export function showResizeModes(image: RgbImage, size: number, { display = 128 } = {}): HTMLElement {
  const original = figure(image, ["original", `${image.width} × ${image.height}`], {
    scale: display / Math.max(image.width, image.height),
  });
  const modes = RESIZE_MODES.map((mode) =>
    figure(resizeImage(image, size, { mode }), [mode, `${size} × ${size}`], { scale: display / size }),
  );
  return grid([original, ...modes], { className: "dl-resize-modes" });
}

/** The same training image augmented `n` times (different epochs), like fastai's show_batch(unique=True). */
export function showAugmentations(loader: DataLoader, index: number, { n = 8, display = 96 } = {}): HTMLElement {
  const item = loader.items[index];
  if (item === undefined) throw new Error(`showAugmentations: no item ${index}; the loader has ${loader.items.length}`);
  const single = new DataLoader([item], loader.classes, {
    ...loader.options,
    batchSize: 1,
    shuffle: false,
    dropLast: false,
  });
  const tiles: HTMLElement[] = [];
  for (let epoch = 0; epoch < n; epoch++) {
    const { xs, ys } = single.batches(epoch).next().value!;
    const [image] = batchImages(xs, single.options.normalization);
    tf.dispose([xs, ys]);
    tiles.push(figure(image!, [epoch === 0 ? item.label : ""], { scale: display / image!.width }));
  }
  return grid(tiles, { className: "dl-augmentations" });
}

/** Loaded items as they are (before any transform), captioned with their label, `n` of each class. */
export function showImages(
  items: readonly Pick<ImageItem, "file" | "label" | "image">[],
  { perClass = 6, display = 96 } = {},
): HTMLElement {
  const shown = new Map<string, number>();
  const tiles: HTMLElement[] = [];
  for (const item of items) {
    const count = shown.get(item.label) ?? 0;
    if (count >= perClass) continue;
    shown.set(item.label, count + 1);
    const tile = figure(item.image, [item.label], { scale: display / Math.max(item.image.width, item.image.height) });
    tile.title = item.file;
    tiles.push(tile);
  }
  return grid(tiles, { className: "dl-show-images" });
}
