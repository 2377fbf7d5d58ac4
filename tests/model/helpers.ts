import * as tf from "@tensorflow/tfjs";
import { dataLoaders, type DataLoaderOptions, type DataLoaders } from "../../src/data/batches.js";
import { generatedDataset } from "../../src/draw/generate.js";
import { baseArchitecture, type Base } from "../../src/model/base.js";
import { baseFromArtifacts } from "../../src/model/load-base.js";
import { modelArtifacts } from "../../src/export/artifacts.js";

/** A tiny course-style architecture (32 px, two blocks) so learner tests run in seconds on cpu. */
export const TINY = {
  inputSize: 32,
  stem: 4,
  blocks: [
    [8, 2],
    [16, 2],
  ] as [number, number][],
};

/** Generated pets at 48 px, split 80/20, loaders at 32 px. */
export function tinyPets({ perClass = 16, ...options }: { perClass?: number } & DataLoaderOptions = {}): DataLoaders {
  return dataLoaders(generatedDataset({ set: "pets", perClass, size: 48, seed: 7 }), {
    validPct: 0.25,
    seed: 7,
    size: 32,
    batchSize: 8,
    ...options,
  });
}

/** The tiny architecture with seeded random weights, as if pretrained (weights included). */
export async function tinyBase(seed = 3): Promise<Base> {
  const { artifacts } = baseArchitecture({ ...TINY, seed });
  const model = await tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as tf.io.ModelJSON);
  const saved = await modelArtifacts(model);
  model.dispose();
  return baseFromArtifacts(saved, {
    normalize: { mean: [0.578, 0.583, 0.547], std: [0.22, 0.22, 0.252] },
    cut: "body_out",
  });
}

/** Copies of every weight's values, for comparing before and after. */
export function weightValues(weights: tf.Tensor[]): Float32Array[] {
  return weights.map((w) => w.dataSync() as Float32Array).map((d) => d.slice());
}
