import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels } from "../../src/kernels/index.js";
import { expectNoLeakedTensors } from "../util/tensors.js";
import { expectClose, normal, onStockCpu, useBackend, worst, type KernelBackend, type Values } from "./helpers.js";
import { mobileNetLike } from "./mobilenet.js";

/** Weights of the small conv net, its input and target, seeded (drawn once a backend is up). */
let WEIGHTS: Record<string, Values>;
let INPUT: Values;
let TARGET: Values;

beforeAll(async () => {
  await useBackend("cpu");
  WEIGHTS = {
    conv: normal([3, 3, 3, 8], 501), // 3×3 stride 2, same
    depthwise: normal([3, 3, 8, 2], 502), // 3×3 stride 1, same, multiplier 2
    pointwise: normal([1, 1, 16, 8], 503), // 1×1
    depthwise2: normal([3, 3, 8, 1], 504), // 3×3 stride 2, valid
    dense: normal([8, 3], 505),
  };
  INPUT = normal([6, 15, 15, 3], 506);
  TARGET = normal([6, 3], 507);
});

/** loss(x) of a small conv net: conv s2 → relu → depthwise ×2 → relu → 1×1 → depthwise s2 valid → mean → dense. */
function smallNetLoss(v: Record<string, tf.Variable>, x: tf.Tensor4D, target: tf.Tensor2D): tf.Scalar {
  let h: tf.Tensor4D = tf.relu(tf.conv2d(x, v.conv as tf.Tensor4D, 2, "same"));
  h = tf.relu(tf.depthwiseConv2d(h, v.depthwise as tf.Tensor4D, 1, "same"));
  h = tf.conv2d(h, v.pointwise as tf.Tensor4D, 1, "same");
  h = tf.depthwiseConv2d(h, v.depthwise2 as tf.Tensor4D, 2, "valid");
  const logits = tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, v.dense as tf.Tensor2D);
  return tf.losses.meanSquaredError(target, logits) as tf.Scalar;
}

/** The loss and the gradient of every weight, as values, on the active backend. */
function smallNetGrads(): Record<string, Values> {
  const vars: Record<string, tf.Variable> = {};
  let k = 0;
  for (const [name, w] of Object.entries(WEIGHTS)) {
    const initial = tf.tensor(w.values, w.shape);
    vars[name] = tf.variable(
      initial,
      true,
      `small-net-${name}-${tf.getBackend()}-${++k}-${Math.floor(performance.now() * 1000)}`,
    );
    initial.dispose();
  }
  const x = tf.tensor4d(INPUT.values, INPUT.shape as [number, number, number, number]);
  const target = tf.tensor2d(TARGET.values, TARGET.shape as [number, number]);
  const { value, grads } = tf.variableGrads(() => smallNetLoss(vars, x, target), Object.values(vars));
  const out: Record<string, Values> = { loss: { shape: [], values: value.dataSync() as Float32Array } };
  for (const [name, v] of Object.entries(vars))
    out[name] = { shape: grads[v.name]!.shape, values: grads[v.name]!.dataSync() as Float32Array };
  tf.dispose([value, x, target, ...Object.values(grads), ...Object.values(vars)]);
  return out;
}

describe("tf.variableGrads of a small conv net", () => {
  let reference: Record<string, Values>;

  for (const backend of ["wasm", "cpu"] as KernelBackend[]) {
    it(`on ${backend} with the training kernels matches stock cpu within 1e-4`, async () => {
      reference ??= await onStockCpu(smallNetGrads);
      registerTrainingKernels();
      await useBackend(backend);
      const got = smallNetGrads();
      for (const name of Object.keys(reference)) expectClose(got[name]!, reference[name]!);
    });

    it(`on ${backend} leaves no tensor behind once the gradients are disposed`, async () => {
      registerTrainingKernels();
      await useBackend(backend);
      await expectNoLeakedTensors(() => {
        smallNetGrads();
      });
    });
  }
});

describe("tf.variableGrads of the MobileNet-like model (batchnorm in training mode)", () => {
  /** The loss and every trainable weight's gradient for one seeded batch of [4, 32, 32, 3] images. */
  function modelGrads(): Record<string, Values> {
    const model = mobileNetLike({ size: 32, classes: 3, widths: [8, 16, 32], seed: 9 });
    const x = normal([4, 32, 32, 3], 601);
    const out: Record<string, Values> = {};
    tf.tidy(() => {
      const xs = tf.tensor4d(x.values, x.shape as [number, number, number, number]);
      const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 1], "int32"), 3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        vars,
      );
      out.loss = { shape: [], values: value.dataSync() as Float32Array };
      // by position and layer kind (layer names get a fresh number in every model)
      vars.forEach((v, i) => {
        out[`${i} ${v.name.replace(/\d+/g, "")}`] = {
          shape: grads[v.name]!.shape,
          values: grads[v.name]!.dataSync() as Float32Array,
        };
      });
    });
    model.dispose();
    return out;
  }

  it("on wasm with the training kernels matches stock cpu within 1e-4", async () => {
    const reference = await onStockCpu(modelGrads);
    await useBackend("wasm");
    const got = modelGrads();
    expect(Object.keys(got).sort()).toEqual(Object.keys(reference).sort());
    for (const name of Object.keys(reference)) expectClose(got[name]!, reference[name]!);
  });
});

afterAll(() => {
  expect(worst.relativeError).toBeLessThan(1e-4);
});
