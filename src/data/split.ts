import { hashString } from "../random.js";
import { DataError } from "./dataset.js";

/** Items divided into the set the model learns from and the set it is judged on. */
export interface Split<T> {
  train: T[];
  valid: T[];
}

export interface SplitOptions {
  /** Fraction of each class held out for validation, in [0, 1). Default 0.2 (fastai's valid_pct). */
  validPct?: number;
  /** Same seed, same split. Default 42. */
  seed?: number;
}

/**
 * fastai's RandomSplitter, made stable and fair: each item's side is decided by a hash of its file name
 * and the seed, so membership does not depend on the order of `items`; within each class the
 * round(n × validPct) lowest hashes go to validation — at least one when the class has ≥ 2 images and
 * at most n − 1, so every class is in both sets. `train` and `valid` keep the order of `items`.
 */
export function splitRandom<T extends { file: string; label: string }>(items: readonly T[], { validPct = 0.2, seed = 42 }: SplitOptions = {}): Split<T> {
  if (typeof validPct !== "number" || !(validPct >= 0 && validPct < 1)) {
    throw new DataError(`invalid validPct: ${validPct}; use a fraction in [0, 1), e.g. 0.2`);
  }
  const byClass = new Map<string, T[]>();
  for (const item of items) {
    const members = byClass.get(item.label);
    if (members) members.push(item);
    else byClass.set(item.label, [item]);
  }
  const valid = new Set<T>();
  for (const members of byClass.values()) {
    const n = members.length;
    const wanted = Math.round(n * validPct);
    const count = n < 2 || validPct === 0 ? 0 : Math.min(n - 1, Math.max(1, wanted));
    const ranked = members
      .map((item) => ({ item, key: hashString(item.file, seed) }))
      .sort((a, b) => a.key - b.key || (a.item.file < b.item.file ? -1 : a.item.file > b.item.file ? 1 : 0));
    for (const { item } of ranked.slice(0, count)) valid.add(item);
  }
  const split = { train: items.filter((item) => !valid.has(item)), valid: items.filter((item) => valid.has(item)) };
  if (split.valid.length === 0) {
    throw new DataError(
      `validPct ${validPct} leaves the validation set empty (${items.length} images, no class with 2 or more); ` +
        `use a validPct such as 0.2 and at least 2 images per class`,
    );
  }
  if (split.train.length === 0) {
    throw new DataError(`the split leaves the training set empty (${items.length} images); add images`);
  }
  return split;
}
