import type { Dataset } from "../data/dataset.js";
import { comparePaths } from "../data/files.js";
import type { RgbImage } from "../data/image.js";
import { hashString, seededRandom, shuffled, type Random } from "../random.js";
import { drawPet, PET_CLASSES } from "./pets.js";
import { drawPretrain, PRETRAIN_CLASSES } from "./pretrain.js";

/**
 * Seeded synthetic datasets: "pets" (cat vs dog, lesson 1) and "pretrain" (20 other classes, the
 * stand-in for ImageNet). Image k of class c is drawn from its own generator, seeded by
 * hash(set, seed, c, k), so its pixels depend only on (set, seed, c, k, size): never on `perClass` or
 * `noise`. Label noise then relabels a seeded choice of exactly round(noise × total) items.
 */
export type ImageSet = "pets" | "pretrain";

export interface GeneratedItem {
  /** `<label>/<set>_<5-digit id>.png`; ids are a seeded shuffle of 0…total−1, so they do not reveal what was drawn. */
  file: string;
  /** The label given (after label noise). */
  label: string;
  /** What was drawn. */
  trueLabel: string;
  /** A pet with mixed cat and dog cues (about 2 % of pets; always false for pretrain). */
  ambiguous: boolean;
  image: RgbImage;
}

export interface GenerateOptions {
  /** Which image set (default "pets"). */
  set?: ImageSet;
  /** Any integer (default 42). */
  seed?: number;
  /** Images per class, a positive integer (default 100). */
  perClass?: number;
  /** Side of the square images in pixels, 16–512 (default 96). */
  size?: number;
  /** Fraction of labels to flip, in [0, 0.5) (default 0). */
  noise?: number;
}

/** Share of pets drawn with mixed cues. */
export const AMBIGUOUS_RATE = 0.02;

const CLASSES: Record<ImageSet, readonly string[]> = { pets: PET_CLASSES, pretrain: PRETRAIN_CLASSES };

interface Resolved {
  set: ImageSet;
  seed: number;
  perClass: number;
  size: number;
  noise: number;
}

function resolve(options: GenerateOptions): Resolved {
  const { set = "pets", seed = 42, perClass = 100, size = 96, noise = 0 } = options;
  if (set !== "pets" && set !== "pretrain")
    throw new Error(`invalid set: ${JSON.stringify(set)}; use "pets" or "pretrain"`);
  if (!Number.isSafeInteger(seed)) throw new Error(`invalid seed: ${String(seed)}; use an integer`);
  if (!(Number.isInteger(perClass) && perClass > 0 && perClass <= 100_000))
    throw new Error(`invalid perClass: ${String(perClass)}; use a positive integer (at most 100000)`);
  if (!(Number.isInteger(size) && size >= 16 && size <= 512))
    throw new Error(`invalid size: ${String(size)}; use an integer from 16 to 512`);
  if (!(typeof noise === "number" && noise >= 0 && noise < 0.5))
    throw new Error(`invalid noise: ${String(noise)}; use a fraction in [0, 0.5)`);
  return { set, seed, perClass, size, noise };
}

/** The generator for image `index` of class `label`: the only source of its pixels. */
export function imageRandom(set: ImageSet, seed: number, label: string, index: number): Random {
  return seededRandom(hashString(`${set}:${seed}:${label}:${index}`));
}

/**
 * The items one by one, lazily (one image in memory at a time), in the order of `generateDataset`:
 * by drawn class (sorted), then index. Bad options throw at the call, before any item.
 */
export function generateItems(options: GenerateOptions = {}): Generator<GeneratedItem> {
  return itemsOf(resolve(options));
}

function* itemsOf({ set, seed, perClass, size, noise }: Resolved): Generator<GeneratedItem> {
  const classes = CLASSES[set];
  const total = classes.length * perClass;
  const ids = shuffled(
    Array.from({ length: total }, (_, i) => i),
    seededRandom(hashString(`${set}:${seed}:ids:${perClass}`)),
  );
  const flips = new Map<number, string>();
  const order = shuffled(
    Array.from({ length: total }, (_, i) => i),
    seededRandom(hashString(`${set}:${seed}:noise:${perClass}`)),
  );
  for (const n of order.slice(0, Math.round(noise * total))) {
    const drawn = classes[Math.floor(n / perClass)]!;
    const others = classes.filter((c) => c !== drawn);
    flips.set(n, others[Math.floor(seededRandom(hashString(`${set}:${seed}:flip:${n}`))() * others.length)]!);
  }
  for (let c = 0; c < classes.length; c++) {
    const trueLabel = classes[c]!;
    for (let k = 0; k < perClass; k++) {
      const n = c * perClass + k;
      const random = imageRandom(set, seed, trueLabel, k);
      let ambiguous = false;
      let image: RgbImage;
      if (set === "pets") {
        ambiguous = random() < AMBIGUOUS_RATE;
        image = drawPet(random, { species: trueLabel as "cat" | "dog", size, ambiguous });
      } else {
        image = drawPretrain(random, { label: trueLabel, size });
      }
      const label = flips.get(n) ?? trueLabel;
      yield { file: `${label}/${set}_${String(ids[n]).padStart(5, "0")}.png`, label, trueLabel, ambiguous, image };
    }
  }
}

/** Every item at once, with the sorted class names. Throws on a bad option, naming it and the fix. */
export function generateDataset(options: GenerateOptions = {}): { classes: string[]; items: GeneratedItem[] } {
  const opts = resolve(options);
  return { classes: [...CLASSES[opts.set]], items: [...itemsOf(opts)] };
}

/**
 * The generated images as a `Dataset`, as loading them from a folder would give (file, label and pixels
 * only: what was drawn stays in `generateDataset`'s items).
 */
export function generatedDataset(options: GenerateOptions = {}): Dataset {
  return asDataset(generateDataset(options));
}

/**
 * `generateDataset`'s result as a `Dataset` (file, label and pixels of each item), in path order as a
 * folder or zip of them loads: the same data trains the same way however it arrived.
 */
export function asDataset({ classes, items }: { classes: string[]; items: readonly GeneratedItem[] }): Dataset {
  const sorted = items
    .map(({ file, label, image }) => ({ file, label, image }))
    .sort((a, b) => comparePaths(a.file, b.file));
  return { classes, items: sorted, skipped: [] };
}
