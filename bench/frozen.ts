import type { DataLoaders } from "../src/data/batches.js";
import type { Base } from "../src/model/base.js";
import { visionLearner } from "../src/model/learner.js";

/**
 * Median seconds of a frozen epoch with cached features and of the same epoch recomputing the body, each
 * after a first epoch (which fills the cache), measured in turn `rounds` times: the machine is shared.
 * Node and browser.
 */
export async function frozenEpochs(
  dls: DataLoaders,
  base: Base,
  { hidden = 512, rounds = 5 }: { hidden?: number; rounds?: number } = {},
): Promise<{ cached: number; recomputed: number }> {
  const learners = await Promise.all(
    [true, false].map((cacheFeatures) => visionLearner(dls, { base, cacheFeatures, hidden })),
  );
  try {
    for (const learn of learners) await learn.fit(1, 1e-3);
    const seconds: number[][] = [[], []];
    for (let i = 0; i < rounds; i++)
      for (const [k, learn] of learners.entries()) seconds[k]!.push((await learn.fit(1, 1e-3))[0]!.seconds);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { cached: median(seconds[0]!), recomputed: median(seconds[1]!) };
  } finally {
    for (const learn of learners) learn.dispose();
  }
}
