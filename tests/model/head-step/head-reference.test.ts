import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../../src/backend/backend.js";
import { Head } from "../../../src/model/head.js";
import { gradsFromPooled } from "./head-reference.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** fastai's head (hidden 16, dropout 0.25 and 0.5) on 2×2×6 features: pooled [N, 12]. */
function head(): { head: Head; model: tf.LayersModel } {
  const input = tf.input({ shape: [2, 2, 6] });
  const head = new Head([2, 2, 6], 3, { hidden: 16, seed: 5 });
  return { head, model: tf.model({ inputs: input, outputs: head.apply(input) }) };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("gradsFromPooled(head, pooled, ys, dropoutSeed): the wasm step's reference", () => {
  it("gives the loss, gradients and batchnorm statistics that tfjs's autodiff of logitsFromPooled gives", () => {
    const a = head();
    const b = head();
    const pooled = tf.randomNormal([10, 12], 0.5, 2, "float32", 1) as tf.Tensor2D;
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 2, 1, 0, 0], "int32"), 3).toFloat() as tf.Tensor2D;
    // shift the batchnorm scales and offsets off 1 and 0 so their gradients are not a special case
    for (const h of [a.head, b.head])
      h.trainableVariables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, "float32", 10 + i))));
    for (let step = 0; step < 2; step++) {
      const seed = 77 + step;
      const reference = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(ys, a.head.logitsFromPooled(pooled, seed)) as tf.Scalar,
        a.head.trainableVariables,
      );
      const mine = gradsFromPooled(b.head, pooled, ys, seed);
      expect(mine.value.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0]!, 5);
      a.head.trainableVariables.forEach((v, i) => {
        const w = b.head.trainableVariables[i]!;
        const [want, got] = [values(reference.grads[v.name]!), values(mine.grads[w.name]!)];
        expect(got.length).toBe(want.length);
        const scale = Math.max(1e-3, ...want.map(Math.abs));
        got.forEach((g, j) => expect(Math.abs(g - want[j]!) / scale).toBeLessThan(1e-4));
      });
      // every weight of the head, moving statistics included, the same after the step
      a.head.variables.forEach((v, i) =>
        values(v).forEach((x, j) => expect(values(b.head.variables[i]!)[j]).toBeCloseTo(x, 5)),
      );
      expect(b.head.bnUpdates).toBe(a.head.bnUpdates);
      tf.dispose([reference.value, mine.value, ...Object.values(reference.grads), ...Object.values(mine.grads)]);
    }
    tf.dispose([pooled, ys]);
    a.model.dispose();
    b.model.dispose();
  });

  it("leaves no tensor behind but the loss and gradients it returns", () => {
    const { head: h, model } = head();
    const pooled = tf.ones([4, 12]) as tf.Tensor2D;
    const ys = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const before = tf.memory().numTensors;
    const { value, grads } = gradsFromPooled(h, pooled, ys, 3);
    expect(tf.memory().numTensors).toBe(before + 1 + Object.keys(grads).length);
    expect(Object.keys(grads).length).toBe(8);
    tf.dispose([value, ...Object.values(grads), pooled, ys]);
    model.dispose();
  });
});
