import { dataLoaders, type DataLoaders } from "../src/data/batches.js";
import { generatedDataset } from "../src/data/generate.js";

/** Lesson 1's data: the bundled pets (seed 42, 150 per class, 96 px), validPct 0.2, seed 42 (or `seed` for the split), 64 px. Node and browser. */
export function lessonPets(options: { augment?: false; seed?: number } = {}): DataLoaders {
  return dataLoaders(generatedDataset({ set: "pets", perClass: 150, size: 96, seed: 42 }), { validPct: 0.2, seed: 42, size: 64, ...options });
}
