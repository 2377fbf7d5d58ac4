import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels, unregisterTrainingKernels } from "../../src/kernels/index.js";
import { expectNoLeakedTensors } from "../util/tensors.js";
import { normal, useBackend } from "./helpers.js";

const OPS = {
  Multiply: tf.mul,
  Sub: tf.sub,
  Add: tf.add,
  RealDiv: tf.div,
  SquaredDifference: tf.squaredDifference,
} as const;

const SHAPES: { a: number[]; b: number[]; why: string }[] = [
  { a: [4, 5, 6, 3], b: [1, 1, 1, 3], why: "a batchnorm statistic [1, 1, 1, C] on the right" },
  { a: [1, 1, 1, 3], b: [4, 5, 6, 3], why: "a batchnorm statistic [1, 1, 1, C] on the left" },
  { a: [4, 5, 6, 3], b: [1, 1, 6, 3], why: "a [1, 1, W, C] suffix" },
  { a: [4, 5, 6, 3], b: [1, 1, 1, 1], why: "a scalar-like [1, 1, 1, 1]" },
  { a: [4, 5, 6, 3], b: [4, 1, 1, 3], why: "a broadcast that is not a suffix (stock path)" },
  { a: [4, 1, 6, 1], b: [1, 5, 1, 3], why: "both operands broadcast (stock path)" },
  { a: [4, 5, 6, 3], b: [4, 5, 6, 3], why: "the same shape" },
  { a: [1, 1, 2, 3], b: [], why: "leading 1s and a scalar (the output keeps its rank)" },
  { a: [1, 1, 2, 3], b: [1, 1, 1, 3], why: "leading 1s on both sides (the output keeps its rank)" },
];

describe("binary ops on cpu with the training kernels", () => {
  beforeAll(async () => {
    registerTrainingKernels();
    await useBackend("cpu");
  });

  for (const [name, op] of Object.entries(OPS)) {
    SHAPES.forEach((s, i) => {
      it(`${name} matches the stock kernel exactly for ${s.why}: [${s.a}] and [${s.b}]`, async () => {
        const [av, bv] = [normal(s.a, 700 + i), normal(s.b, 800 + i)];
        const a = tf.tensor(av.values, s.a);
        const b = name === "RealDiv" ? tf.add(tf.abs(tf.tensor(bv.values, s.b)), 0.5) : tf.tensor(bv.values, s.b);
        unregisterTrainingKernels();
        const want = op(a, b);
        registerTrainingKernels();
        const got = await expectNoLeakedTensors(() => op(a, b), 1);
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([a, b, want, got]);
      });
    });
  }

  it("keeps int32 arithmetic int32", () => {
    const y = tf.mul(
      tf.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        "int32",
      ),
      tf.tensor([[3, -1]], [1, 2], "int32"),
    );
    expect(y.dtype).toBe("int32");
    expect(Array.from(y.dataSync())).toEqual([3, -2, 9, -4]);
    y.dispose();
  });
});
