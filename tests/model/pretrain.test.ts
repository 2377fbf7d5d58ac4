import { PRETRAIN_CLASSES } from "../../src/draw/pretrain.js";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { pretrainBase } from "../../src/model/pretrain.js";
import { weightValues } from "./helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

const tiny = {
  perClass: 4,
  epochs: 1,
  architecture: { inputSize: 32, stem: 4, blocks: [[8, 2]] as [number, number][] },
};

describe("pretrainBase(options)", () => {
  it("trains a classifier over the 20 pretrain classes and describes it for the base's metadata", async () => {
    const { learner, info, epochs } = await pretrainBase({ ...tiny, seed: 3 });
    expect(info).toMatchObject({ name: "course base", inputSize: 32, cut: "body_out" });
    expect(info.classes).toEqual([...PRETRAIN_CLASSES]);
    expect(info.classes).toHaveLength(20);
    expect(info.classes).not.toContain("cat");
    expect(info.pretraining).toMatchObject({ seed: 3, perClass: 4, epochs: 1, trainImages: 60, heldOutImages: 20 });
    expect(info.pretraining!.heldOutAccuracy).toBeCloseTo(1 - epochs[0]!.metrics.errorRate!, 4);
    expect(learner.model.outputs[0]!.shape).toEqual([null, 20]);
    // the committed base decayed every weight (wdBnBias: true); its weights must stay what this makes
    expect(learner.paramGroups([1, 1, 1]).every((g) => (g.noDecay?.size ?? 0) === 0)).toBe(true);
    learner.dispose();
  });

  it("is reproducible: the same seed gives the same weights, bit for bit", async () => {
    const run = async () => {
      const { learner } = await pretrainBase({ ...tiny, seed: 5 });
      const weights = weightValues(learner.weights);
      learner.dispose();
      return weights;
    };
    expect(await run()).toEqual(await run());
  });
});
