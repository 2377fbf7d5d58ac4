import { beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../../src/node/backend.js";
import { loadBaseFrom } from "../../src/node/base.js";
import { visionLearner } from "../../src/model/learner.js";
import { lessonPets } from "../../bench/pets.js";

beforeAll(async () => {
  const choice = await initNodeBackend({ task: "train", order: ["wasm"] });
  expect(choice.backend).toBe("wasm");
});

describe("visionLearner(lesson 1's pets, {base: the course base}).fineTune(3)", () => {
  it("learns cats from dogs, and pretraining beats random weights by ≥ 15 points at the same budget", async () => {
    const base = await loadBaseFrom();
    const dls = lessonPets();
    const accuracy = async (pretrained: boolean) => {
      const learn = await visionLearner(dls, { base, pretrained });
      const epochs = await learn.fineTune(3);
      learn.dispose();
      return 1 - epochs.at(-1)!.metrics.errorRate!;
    };
    const [pre, scratch] = [await accuracy(true), await accuracy(false)];
    expect(pre).toBeGreaterThanOrEqual(0.65); // chance is 0.5; measured 0.717
    expect(pre - scratch).toBeGreaterThanOrEqual(0.15);
  }, 120_000);
});
