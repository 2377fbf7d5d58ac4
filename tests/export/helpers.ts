import { initBackend } from "../../src/backend/backend.js";
import type { DataLoaders } from "../../src/data/batches.js";
import { visionLearner, type Learner } from "../../src/model/learner.js";
import { tinyBase, tinyPets } from "../model/helpers.js";

/** The tiny learner (32 px, a 16-unit head) after one epoch on the cpu backend: weights worth exporting, and a training summary. */
export async function trainedLearner(dls: DataLoaders = tinyPets({ augment: false })): Promise<Learner> {
  await initBackend({ order: ["cpu"] });
  const learn = await visionLearner(dls, { base: await tinyBase(), hidden: 16 });
  await learn.fit(1, 1e-2);
  return learn;
}

/** The largest absolute difference between two equally long lists of rows. */
export function maxAbsDiff(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: ${a.length} rows vs ${b.length}`);
  return Math.max(...a.map((row, i) => Math.max(...row.map((v, j) => Math.abs(v - b[i]![j]!)))));
}
