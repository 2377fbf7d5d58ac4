import { dataLoaders, type DataLoaders } from "../src/data/batches.js";
import type { Dataset } from "../src/data/dataset.js";
import { generatedDataset } from "../src/draw/generate.js";

let pets: Dataset | undefined;

/** Lesson 1's data: the bundled pets (seed 42, 150 per class, 96 px, drawn once), validPct 0.2, seed 42 (or `seed` for the split), 64 px. Node and browser. */
export function lessonPets(options: { augment?: false; seed?: number } = {}): DataLoaders {
  pets ??= generatedDataset({ set: "pets", perClass: 150, size: 96, seed: 42 });
  return dataLoaders(pets, { validPct: 0.2, seed: 42, size: 64, ...options });
}
