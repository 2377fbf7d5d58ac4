import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { accuracy, errorRate } from "../../src/train/metrics.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

const predictions = () =>
  tf.tensor2d([
    [0.9, 0.1],
    [0.4, 0.6],
    [0.3, 0.7],
    [0.8, 0.2],
  ]);
const targets = () =>
  tf.tensor2d([
    [1, 0],
    [1, 0],
    [0, 1],
    [0, 1],
  ]);

describe("accuracy.compute(predictions, targets)", () => {
  it("is the fraction whose top prediction is the target (2 of 4) and leaks nothing", async () => {
    const [p, t] = [predictions(), targets()];
    expect(await expectNoLeakedTensors(() => accuracy.compute(p, t))).toBe(0.5);
    tf.dispose([p, t]);
  });
  it("rejects mismatched shapes, naming both", () => {
    const [p, t] = [predictions(), tf.tensor2d([[1, 0]])];
    expect(() => accuracy.compute(p, t)).toThrow(
      /^metric: predictions have shape \[4,2\] but targets \[1,2\]; they must match$/,
    );
    tf.dispose([p, t]);
  });
});

describe("errorRate.compute(predictions, targets)", () => {
  it("is 1 − accuracy (fastai's error_rate)", () => {
    const [p, t] = [
      predictions(),
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [0, 1],
        [0, 1],
      ]),
    ];
    expect(errorRate.compute(p, t)).toBe(0.25);
    tf.dispose([p, t]);
  });
});
