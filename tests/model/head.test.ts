import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { Head } from "../../src/model/head.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** A head on 1×1×2 features with no hidden layer: pooled [N, 4] (average and max of each channel, which agree) → batchnorm → dense. */
function smallHead(): { head: Head; model: tf.LayersModel } {
  const input = tf.input({ shape: [1, 1, 2] });
  const head = new Head([1, 1, 2], 2, { hidden: 0, dropout: 0 });
  return { head, model: tf.model({ inputs: input, outputs: head.apply(input) }) };
}

describe("head.logitsFromPooled(pooled, dropoutSeed)", () => {
  it("averages the batchnorm statistics plainly over the first batches, then moves them with momentum 0.9 (hand-derived)", () => {
    const { head, model } = smallHead();
    const movingMean = () => Array.from(head.variables[2]!.dataSync());
    const step = (rows: number[][]) => tf.tidy(() => void head.logitsFromPooled(tf.tensor2d(rows), 1));
    step([
      [1, 1, 1, 1],
      [3, 3, 3, 3],
    ]); // batch mean 2: the first batch sets it outright, not 0.9·0 + 0.1·2
    movingMean().forEach((m) => expect(m).toBeCloseTo(2, 6));
    step([
      [4, 4, 4, 4],
      [4, 4, 4, 4],
    ]); // batch mean 4: (2 + 4) / 2
    movingMean().forEach((m) => expect(m).toBeCloseTo(3, 6));
    for (let i = 3; i <= 10; i++)
      step([
        [6, 6, 6, 6],
        [6, 6, 6, 6],
      ]); // a plain average of 10 batches: (2 + 4 + 8·6) / 10
    movingMean().forEach((m) => expect(m).toBeCloseTo(5.4, 5));
    step([
      [16, 16, 16, 16],
      [16, 16, 16, 16],
    ]); // now the moving average: 0.9·5.4 + 0.1·16
    movingMean().forEach((m) => expect(m).toBeCloseTo(6.46, 5));
    expect(head.bnUpdates).toBe(11);
    // inference leaves the statistics alone, and the saved layer keeps fastai's momentum
    tf.tidy(() => void head.logitsFromPooled(tf.tensor2d([[0, 0, 0, 0]])));
    movingMean().forEach((m) => expect(m).toBeCloseTo(6.46, 5));
    const bn = model.layers.find((l) => l.name === "head_bn1")!;
    expect(bn.getConfig().momentum).toBe(0.9);
    model.dispose();
  });
});
