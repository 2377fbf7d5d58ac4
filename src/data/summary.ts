import type { Dataset, ImageItem } from "./dataset.js";

/** Images per class, in class order: `{cat: 150, dog: 150}`. */
export function classCounts(items: readonly Pick<ImageItem, "label">[], classes: readonly string[]): Record<string, number> {
  const counts = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const { label } of items) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** One row per class: how many images it has in all, in training and in validation. */
export function splitTable(dataset: Dataset, split: { train: readonly ImageItem[]; valid: readonly ImageItem[] }): { class: string; images: number; train: number; valid: number }[] {
  const [all, train, valid] = [dataset.items, split.train, split.valid].map((items) => classCounts(items, dataset.classes));
  return dataset.classes.map((c) => ({ class: c, images: all![c]!, train: train![c]!, valid: valid![c]! }));
}
