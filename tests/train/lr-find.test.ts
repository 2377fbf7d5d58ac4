import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { visionLearner } from "../../src/model/learner.js";
import { valley } from "../../src/train/lr-find.js";
import { tinyBase, tinyPets, weightValues } from "../model/helpers.js";
import * as tf from "@tensorflow/tfjs";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("valley(lrs, losses)", () => {
  it("picks a point down the longest falling stretch, skipping the first tenth and last five (hand-derived)", () => {
    const lrs = Array.from({ length: 20 }, (_, i) => 10 ** (i - 10));
    // flat for 2, falling for 12 (indices 2–13), then rising
    const losses = lrs.map((_, i) => (i < 2 ? 5 : i <= 13 ? 5 - (i - 1) * 0.3 : 1 + (i - 13)));
    // after skipping 2: falling run is x[0..11] (loss 4.7 … 1.4), lds[11] = 12, maxStart = 11 − 12 = −1,
    // sections = 12/3 = 4, index = −1 + 4 + 2 = 5 → lrs[2 + 5]
    expect(valley(lrs, losses)).toBe(lrs[7]);
  });
});

describe("learn.lrFind(options)", () => {
  it("sweeps rates exponentially, stops when the loss explodes, and restores every weight", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase(), pretrained: false });
    const before = weightValues(learn.weights);
    const tensors = tf.memory().numTensors;
    const { lrs, losses, suggestion } = await learn.lrFind({ startLr: 1e-6, endLr: 1e4, numIt: 60 });
    expect(lrs[0]).toBe(1e-6);
    expect(lrs[1]! / lrs[0]!).toBeCloseTo(10 ** (10 / 60), 10);
    expect(losses.length).toBe(lrs.length);
    expect(lrs.length).toBeLessThan(60); // rates of 1e2–1e4 blow Adam up before the end
    expect(losses.at(-1)).toBeGreaterThan(4 * Math.min(...losses));
    expect(suggestion).toBeGreaterThan(lrs[0]!);
    expect(suggestion).toBeLessThan(lrs.at(-1)!);
    expect(weightValues(learn.weights)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(learn.epochsDone).toBe(0);
    learn.dispose();
  });

  it("rejects a bad range, naming the settings and the fix", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    await expect(learn.lrFind({ startLr: 1, endLr: 1e-3 })).rejects.toThrow(
      "invalid startLr/endLr: 1/0.001; use 0 < startLr < endLr, e.g. 1e-7 and 10",
    );
    learn.dispose();
  });
});
