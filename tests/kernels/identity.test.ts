import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels } from "../../src/kernels/index.js";
import { useBackend } from "./helpers.js";

describe("Identity on wasm", () => {
  beforeAll(async () => {
    registerTrainingKernels();
    await useBackend("wasm");
  });

  it("clones without copying: no new data buffer, the same values", () => {
    const x = tf.tensor([
      [1.5, -2],
      [3, 4],
    ]);
    const buffers = tf.backend().numDataIds();
    const y = tf.clone(x);
    expect(tf.backend().numDataIds()).toBe(buffers);
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, 4]);
    tf.dispose([x, y]);
  });

  it("keeps the clone readable after the original is disposed, and frees the data with the last one", () => {
    const buffers = tf.backend().numDataIds();
    const x = tf.tensor([1, 2, 3], [3], "int32");
    const y = tf.clone(x);
    x.dispose();
    expect(y.dtype).toBe("int32");
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it("leaves a variable's saved input intact when the variable is assigned a new value", () => {
    const v = tf.variable(tf.tensor([1, 2]));
    const saved = tf.clone(v);
    v.assign(tf.tensor([5, 6]));
    expect(Array.from(saved.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    tf.dispose([v, saved]);
  });

  it("clones strings with the stock kernel", () => {
    const s = tf.tensor(["a", "bc"]);
    const t = tf.clone(s);
    expect(t.dataSync()).toEqual(["a", "bc"]);
    tf.dispose([s, t]);
  });
});
