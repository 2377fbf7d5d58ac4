import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../../src/backend/backend.js";
import { adamOnHost, columnSums, dropoutMask, softmaxCrossEntropy } from "../../../src/model/head-step/head-math.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("columnSums(x, n, d)", () => {
  it("sums each column of a row-major [n, d] array", () => {
    expect(Array.from(columnSums(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([5, 7, 9]);
  });
});

describe("softmaxCrossEntropy(logits, labels, classes)", () => {
  it("gives the mean loss and (softmax − y) / n (hand-derived: equal logits, then a confident right answer)", () => {
    const { loss, dLogits } = softmaxCrossEntropy(new Float32Array([0, 0, Math.log(3), 0]), [0, 0], 2);
    // row 1: ln 2, gradient (0.5 − 1, 0.5) / 2; row 2: softmax (3/4, 1/4), loss ln(4/3)
    expect(loss).toBeCloseTo((Math.log(2) + Math.log(4 / 3)) / 2, 6);
    Array.from(dLogits).forEach((g, i) => expect(g).toBeCloseTo([-0.25, 0.25, -0.125, 0.125][i]!, 6));
  });
});

describe("dropoutMask(shape, rate, seed)", () => {
  it("is the multiplier tf.dropout applies with the same seed", () => {
    const mask = dropoutMask([3, 8], 0.25, 17);
    const reference = tf.tidy(() => tf.dropout(tf.ones([3, 8]), 0.25, undefined, 17).dataSync());
    expect(Array.from(mask)).toEqual(Array.from(reference));
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
  });

  it("is all ones at rate 0", () => {
    expect(Array.from(dropoutMask([2, 2], 0, 1))).toEqual([1, 1, 1, 1]);
  });
});

describe("adamOnHost(variables, gradAvg, sqrAvg, options)", () => {
  it("takes GroupAdam's first step on a vector of two variables, decay on the first only (hand-derived)", () => {
    const a = { value: new Float32Array([1, -2]), grad: new Float32Array([0.5, 0.1]), decay: 1 - 0.1 * 0.01 };
    const b = { value: new Float32Array([3]), grad: new Float32Array([0]), decay: 1 };
    const out = adamOnHost([a, b], new Float32Array(3), new Float32Array(3), {
      lr: 0.1,
      mom: 0.9,
      sqrMom: 0.99,
      eps: 1e-5,
      debias1: 0.1,
      debias2: 0.01,
    });
    // debiased averages are g and g²: p·decay − lr · g / (|g| + eps)
    const want = [0.999 - (0.1 * 0.5) / (0.5 + 1e-5), -2 * 0.999 - (0.1 * 0.1) / (0.1 + 1e-5), 3];
    [...out.values[0]!, ...out.values[1]!].forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 6));
    expect(out.sum).toBeCloseTo(want[0]! + want[1]! + want[2]!, 5);
    Array.from(out.sqrAvg).forEach((x, i) => expect(x).toBeCloseTo([0.0025, 0.0001, 0][i]!, 8));
  });
});
