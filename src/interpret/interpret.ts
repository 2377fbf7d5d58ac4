import type { ImageItem } from "../data/dataset.js";
import type { Learner } from "../model/learner.js";

export type InterpretSplit = "valid" | "train" | "all";

/** What the model made of one item. */
export interface ItemResult {
  file: string;
  label: string;
  predicted: string;
  /** Probability of each class, in `classes` order. */
  probs: number[];
  /** Cross-entropy: −ln(probability of the label). */
  loss: number;
  split: "train" | "valid";
  item: ImageItem;
}

/** fastai's ClassificationInterpretation: every item of a split, as the model sees it now. */
export interface Interpretation {
  classes: string[];
  items: ItemResult[];
}

/**
 * Runs the learner over the items of `split` (training items unaugmented) and scores each one:
 * what fastai's `ClassificationInterpretation.from_learner` collects. Leaves no tensor behind.
 */
export async function interpret(
  learn: Learner,
  { split = "valid", signal }: { split?: InterpretSplit; signal?: AbortSignal } = {},
): Promise<Interpretation> {
  if (!["valid", "train", "all"].includes(split))
    throw new Error(`invalid split: ${JSON.stringify(split)}; use "valid", "train" or "all"`);
  const parts = split === "all" ? (["train", "valid"] as const) : ([split] as const);
  const items: ItemResult[] = [];
  for (const part of parts) {
    const loader = learn.dls[part];
    const { probs, targets } = await learn.predictions(loader, signal);
    const [p, t] = [(await probs.array()) as number[][], (await targets.array()) as number[][]];
    probs.dispose();
    targets.dispose();
    loader.items.forEach((item, i) => items.push(scoreItem(item, p[i]!, t[i]!.indexOf(1), learn.classes, part)));
  }
  return { classes: learn.classes, items };
}

/** One item's result from its probabilities and label index. */
export function scoreItem(
  item: ImageItem,
  probs: number[],
  label: number,
  classes: readonly string[],
  split: "train" | "valid",
): ItemResult {
  const predicted = probs.indexOf(Math.max(...probs));
  return {
    file: item.file,
    label: classes[label]!,
    predicted: classes[predicted]!,
    probs,
    loss: -Math.log(Math.max(probs[label]!, 1e-12)),
    split,
    item,
  };
}

/** fastai's top_losses: the `k` items with the highest loss, highest first (optionally one label or split). */
export function topLosses(
  interp: Interpretation,
  k: number,
  { label, split }: { label?: string; split?: "train" | "valid" } = {},
): ItemResult[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`invalid k: ${k}; use a whole number of items, e.g. 9`);
  if (label !== undefined && !interp.classes.includes(label))
    throw new Error(`invalid label: ${JSON.stringify(label)}; use one of ${interp.classes.join(", ")}`);
  return interp.items
    .filter((r) => (label === undefined || r.label === label) && (split === undefined || r.split === split))
    .sort((a, b) => b.loss - a.loss || (a.file < b.file ? -1 : 1))
    .slice(0, k);
}

/** Counts [actual][predicted] and the items in each cell, classes in `interp.classes` order. */
export function confusionMatrix(interp: Interpretation): {
  classes: string[];
  counts: number[][];
  items: ItemResult[][][];
} {
  const n = interp.classes.length;
  const items = Array.from({ length: n }, () => Array.from({ length: n }, () => [] as ItemResult[]));
  for (const r of interp.items) items[interp.classes.indexOf(r.label)]![interp.classes.indexOf(r.predicted)]!.push(r);
  return { classes: interp.classes, counts: items.map((row) => row.map((cell) => cell.length)), items };
}

/** fastai's most_confused: off-diagonal cells with at least `minCount` items, as [actual, predicted, count], most first. */
export function mostConfused(interp: Interpretation, minCount = 1): [string, string, number][] {
  const { classes, counts } = confusionMatrix(interp);
  const pairs: [string, string, number][] = [];
  counts.forEach((row, a) =>
    row.forEach((count, p) => a !== p && count >= minCount && pairs.push([classes[a]!, classes[p]!, count])),
  );
  return pairs.sort((x, y) => y[2] - x[2] || (x[0] + x[1] < y[0] + y[1] ? -1 : 1));
}
