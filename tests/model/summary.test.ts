import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { visionLearner } from "../../src/model/learner.js";
import { modelSummary } from "../../src/model/summary.js";
import { tinyBase, tinyPets } from "./helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("modelSummary(learn)", () => {
  it("lists each layer's shape, parameters, part and group, and counts what trains frozen and unfrozen (hand-derived)", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase(), hidden: 0 });
    const summary = modelSummary(learn);
    const row = (name: string) => summary.layers.find((l) => l.name === name)!;
    // TINY: conv 3×3×3→4 s2, then depthwise 3×3 + pointwise to 8 (s2), to 16 (s2): 32 → 16 → 8 → 4
    expect(row("stem_conv")).toEqual({
      name: "stem_conv",
      type: "Conv2D",
      outputShape: [16, 16, 4],
      params: 108,
      nonTrainable: 0,
      part: "body",
      group: 0,
      trains: false,
    });
    expect(row("stem_bn")).toMatchObject({ params: 8, nonTrainable: 8, group: 0 });
    expect(row("block1_pw")).toMatchObject({ params: 32, group: 0, outputShape: [8, 8, 8] });
    expect(row("block1_pw_bn")).toMatchObject({ params: 16, group: 1 });
    expect(row("block2_pw")).toMatchObject({ params: 128, group: 1, outputShape: [4, 4, 16] });
    expect(row("stem_relu")).toMatchObject({ params: 0, group: null, trains: false });
    // the head: pooled average + max (32) → batchnorm → dense to the 2 classes
    expect(row("head_pool")).toMatchObject({ part: "head", outputShape: [32], params: 0 });
    expect(row("head_bn1")).toMatchObject({ part: "head", params: 64, nonTrainable: 64, group: 2, trains: true });
    expect(row("head_dense")).toMatchObject({ part: "head", params: 66, group: 2, trains: true, outputShape: [2] });
    // body 108+8+36+8+32+16+72+16+128+32 = 456; head 64+66 = 130
    expect(summary).toMatchObject({ totalParams: 586, trainableParams: 130, frozen: true });
    learn.unfreeze();
    expect(modelSummary(learn)).toMatchObject({ totalParams: 586, trainableParams: 586, frozen: false });
    learn.dispose();
  });
});
