import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels, unregisterTrainingKernels } from "../../src/kernels/index.js";
import { expectNoLeakedTensors } from "../util/tensors.js";
import { normal, useBackend } from "./helpers.js";

/**
 * op(a, b) with the training kernels has the stock kernels' dtype, shape and values exactly, and
 * leaves only its output. Disposes a and b.
 */
async function expectMatchesStock(op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, a: tf.Tensor, b: tf.Tensor) {
  unregisterTrainingKernels();
  const want = op(a, b);
  registerTrainingKernels();
  const got = await expectNoLeakedTensors(() => op(a, b), 1);
  expect(got.dtype).toBe(want.dtype);
  expect(got.shape).toEqual(want.shape);
  expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
  tf.dispose([a, b, want, got]);
}

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
        await expectMatchesStock(op, a, b);
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

const COMPARISONS = {
  Equal: tf.equal,
  NotEqual: tf.notEqual,
  Greater: tf.greater,
  GreaterEqual: tf.greaterEqual,
  Less: tf.less,
  LessEqual: tf.lessEqual,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
} as const;

const TILED: { a: number[]; b: number[]; why: string }[] = [
  { a: [4, 5, 6, 3], b: [4, 1, 1, 3], why: "a global max pool's [N, 1, 1, C] (tiled)" },
  { a: [1, 1, 1, 3], b: [4, 5, 6, 3], why: "a [1, 1, 1, C] statistic on the left (tiled)" },
  { a: [4, 1, 6, 1], b: [1, 5, 1, 3], why: "both operands broadcast (both tiled)" },
  { a: [6, 3], b: [4, 5, 6, 3], why: "a lower-rank operand (tiled with leading 1s)" },
  { a: [4, 5, 6, 3], b: [], why: "a scalar (stock path)" },
  { a: [4, 5, 6, 3], b: [4, 5, 6, 3], why: "the same shape (stock path)" },
];

/**
 * Values with ties between the operands (what Equal in a max pool's gradient looks for), ±0, NaN
 * and ±Infinity, so that a comparison that is not exact shows.
 */
function withTies(shape: number[], seed: number): number[] {
  const special = [0, -0, NaN, Infinity, -Infinity, 1.5];
  return Array.from(normal(shape, seed).values, (v, i) =>
    i % 5 === 0 ? special[(i / 5) % special.length]! : Math.round(v),
  );
}

describe("comparisons and Maximum/Minimum on wasm with the training kernels", () => {
  beforeAll(async () => {
    registerTrainingKernels();
    await useBackend("wasm");
  });

  for (const [name, op] of Object.entries(COMPARISONS)) {
    TILED.forEach((s, i) => {
      it(`${name} matches the stock kernel exactly for ${s.why}: [${s.a}] and [${s.b}]`, async () => {
        const a = tf.tensor(withTies(s.a, 900 + i), s.a);
        const b = tf.tensor(withTies(s.b, 950 + i), s.b);
        await expectMatchesStock(op, a, b);
      });
    });
  }

  it("Equal compares int32 operands after tiling and leaves bool operands to the stock kernel", () => {
    const ints = tf.equal(tf.tensor([[1, 2, 3, 2]], [1, 4], "int32"), tf.tensor([[2], [3]], [2, 1], "int32"));
    expect(ints.shape).toEqual([2, 4]);
    expect(Array.from(ints.dataSync())).toEqual([0, 1, 0, 1, 0, 0, 1, 0]);
    const bools = tf.equal(tf.tensor([[true, false]], [1, 2], "bool"), tf.tensor([[true], [false]], [2, 1], "bool"));
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 0, 1]);
    tf.dispose([ints, bools]);
  });

  it("a global max pool's gradient matches the stock kernels: dy to the maximum of each channel, ties to each", () => {
    // [1, 2, 2, 2]: channel 0 has its maximum 5 twice (both get dy), channel 1 once
    const x = tf.tensor([5, 1, 2, 7, 5, 3, 0, 4], [1, 2, 2, 2]);
    const grad = tf.grad((v: tf.Tensor) => tf.mul(tf.max(v, [1, 2]), tf.tensor([[2, 3]])).sum());
    const got = grad(x);
    expect(Array.from(got.dataSync())).toEqual([2, 0, 0, 3, 2, 0, 0, 0]);
    tf.dispose([x, got]);
  });
});
