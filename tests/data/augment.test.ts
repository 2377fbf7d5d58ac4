import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { augmentBatch, checkAugmentOptions, drawAugmentation } from "../../src/data/augment.js";
import { seededRandom } from "../../src/random.js";
import { expectNoLeakedTensors, expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** [2, 4, 5, 3] with distinct values in [0, 1]. */
const sample = () => tf.tidy(() => tf.range(0, 120).div(120).reshape([2, 4, 5, 3]) as tf.Tensor4D);
const identity = { box: [0, 0, 1, 1] as [number, number, number, number], brightness: 0, contrast: 1 };

describe("drawAugmentation(random, options)", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(drawAugmentation(seededRandom(3))).toEqual(drawAugmentation(seededRandom(3)));
    expect(drawAugmentation(seededRandom(3))).not.toEqual(drawAugmentation(seededRandom(4)));
  });

  it("keeps the crop's area within [minScale, 1] and the box inside the image", () => {
    const random = seededRandom(1);
    for (let i = 0; i < 200; i++) {
      const { box: [y1, x1, y2, x2] } = drawAugmentation(random, { minScale: 0.5 });
      const area = Math.abs(y2 - y1) * Math.abs(x2 - x1);
      expect(area).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(area).toBeLessThanOrEqual(1 + 1e-9);
      for (const v of [y1, x1, y2, x2]) expect(v >= -1e-9 && v <= 1 + 1e-9).toBe(true);
    }
  });

  it("mirrors about half of the images (x1 > x2)", () => {
    const random = seededRandom(5);
    const flips = Array.from({ length: 1000 }, () => drawAugmentation(random)).filter((d) => d.box[1] > d.box[3]).length;
    expect(flips).toBeGreaterThan(450);
    expect(flips).toBeLessThan(550);
  });

  it("draws the identity when everything is off", () => {
    expect(drawAugmentation(seededRandom(9), { minScale: 1, flip: false, brightness: 0, contrast: 0 })).toEqual(identity);
  });
});

describe("augmentBatch(x, draws)", () => {
  it("returns the batch unchanged for the identity draw", async () => {
    const x = sample();
    const out = await expectNoLeakedTensors(() => augmentBatch(x, [identity, identity]), 1);
    expectTensorsClose(out, x, { atol: 1e-6 });
    tf.dispose([x, out]);
  });

  it("mirrors left–right for a reversed box", () => {
    const x = sample();
    const out = augmentBatch(x, [{ ...identity, box: [0, 1, 1, 0] }, identity]);
    const expected = tf.tidy(() => tf.concat([tf.reverse(x.slice([0], [1]), 2), x.slice([1], [1])]));
    expectTensorsClose(out, expected, { atol: 1e-6 });
    tf.dispose([x, out, expected]);
  });

  it("applies (p − 0.5) × contrast + 0.5 + brightness, clipped to [0, 1]", () => {
    const x = tf.tensor4d([0, 0.25, 0.5, 0.75, 1, 0.9], [2, 1, 1, 3]);
    const out = augmentBatch(x, [{ ...identity, brightness: 0.1, contrast: 2 }, { ...identity, brightness: -0.2 }]);
    expectTensorsClose(out, tf.tensor4d([0, 0.1, 0.6, 0.55, 0.8, 0.7], [2, 1, 1, 3]), { atol: 1e-6 });
    tf.dispose([x, out]);
  });

  it("rejects a draw count that does not match the batch", () => {
    const x = sample();
    expect(() => augmentBatch(x, [identity])).toThrow(/^augmentBatch: 1 draws for a batch of 2$/);
    x.dispose();
  });
});

describe("checkAugmentOptions(options)", () => {
  it("names the bad setting, its value and the fix", () => {
    expect(() => checkAugmentOptions({ minScale: 0 })).toThrow(/^invalid minScale: 0; use a fraction in \(0, 1\]/);
    expect(() => checkAugmentOptions({ brightness: 1 })).toThrow(/^invalid brightness: 1; use a value in \[0, 1\)/);
    expect(() => checkAugmentOptions({ contrast: -0.1 })).toThrow(/^invalid contrast: -0.1; use a value in \[0, 1\)/);
  });
});
