import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { fineTuneSeconds, measureStepCosts } from "../../src/model/estimate.js";
import { tinyBase } from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("fineTuneSeconds(costs, plan)", () => {
  it("adds the frozen epochs' forward passes and the unfrozen epochs' full batches (hand-derived)", () => {
    const costs = { stepSeconds: 0.5, forwardSeconds: 0.01, batchSize: 32 };
    // frozen: (1 × 240 + 60) × 0.01 = 3; unfrozen: 3 × (7 steps × 0.5 + 60 × 0.01) = 3 × 4.1 = 12.3
    expect(fineTuneSeconds(costs, { trainImages: 240, validImages: 60, epochs: 3, freezeEpochs: 1 })).toBeCloseTo(
      15.3,
      10,
    );
    // two frozen epochs run the training images twice but validate the frozen body once
    expect(fineTuneSeconds(costs, { trainImages: 240, validImages: 60, epochs: 0, freezeEpochs: 2 })).toBeCloseTo(
      5.4,
      10,
    );
    expect(fineTuneSeconds(costs, { trainImages: 240, validImages: 60, epochs: 1, freezeEpochs: 0 })).toBeCloseTo(
      4.1,
      10,
    );
    // cached: four frozen epochs run the body over the training images once, (240 + 60) × 0.01 = 3
    expect(
      fineTuneSeconds(costs, { trainImages: 240, validImages: 60, epochs: 0, freezeEpochs: 4, cached: true }),
    ).toBeCloseTo(3, 10);
    // and the head's own steps: 4 epochs × 7 steps × 0.05 = 1.4 more
    expect(
      fineTuneSeconds(
        { ...costs, headStepSeconds: 0.05 },
        { trainImages: 240, validImages: 60, epochs: 0, freezeEpochs: 4, cached: true },
      ),
    ).toBeCloseTo(4.4, 10);
    // validation after an unfrozen epoch at its own cost: 3 × (7 × 0.5 + 60 × 0.002) = 10.86
    const kept = { ...costs, validSeconds: 0.002 };
    expect(fineTuneSeconds(kept, { trainImages: 240, validImages: 60, epochs: 3, freezeEpochs: 0 })).toBeCloseTo(
      10.86,
      10,
    );
  });
});

describe("measureStepCosts(base)", () => {
  it("times a real training step and forward pass on the current backend, leaving no tensor behind", async () => {
    const base = await tinyBase();
    const before = tf.memory().numTensors;
    const costs = await measureStepCosts(base, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(costs.backend).toBe("cpu");
    expect(costs.batchSize).toBe(4);
    expect(costs.stepSeconds).toBeGreaterThan(0);
    expect(costs.forwardSeconds).toBeGreaterThan(0);
    // a training step (forward, backward, update) of 4 images costs more than one image's forward pass
    expect(costs.stepSeconds).toBeGreaterThan(costs.forwardSeconds);
    expect(costs.validSeconds).toBeGreaterThan(0);
    // augmented images are not cached by default: a frozen epoch's cost is its body pass
    expect(costs.headStepSeconds).toBe(0);
    // with cacheFeatures "always", the head's step on cached features, below a whole step's cost
    const cached = await measureStepCosts(base, { batchSize: 4, cacheFeatures: "always" });
    expect(cached.headStepSeconds).toBeGreaterThan(0);
    expect(cached.headStepSeconds).toBeLessThan(cached.stepSeconds);
    expect(tf.memory().numTensors).toBe(before);
  });
});
