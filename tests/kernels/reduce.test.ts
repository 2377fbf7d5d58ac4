import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { leadingReduction } from "../../src/kernels/reduce.js";
import { registerTrainingKernels, unregisterTrainingKernels } from "../../src/kernels/index.js";
import { expectClose, normal, useBackend, type KernelBackend, type Values } from "./helpers.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

describe("leadingReduction(shape, axis, keepDims)", () => {
  it("sees [0, 1, 2] of an NHWC tensor as a [N·H·W, C] matrix", () => {
    expect(leadingReduction([32, 8, 8, 16], [0, 1, 2], false)).toEqual({ p: 2048, q: 16, outShape: [16] });
    expect(leadingReduction([32, 8, 8, 16], [2, 0, 1], true)).toEqual({ p: 2048, q: 16, outShape: [1, 1, 1, 16] });
  });
  it("takes a single axis and negative axes", () => {
    expect(leadingReduction([4, 5], 0, false)).toEqual({ p: 4, q: 5, outShape: [5] });
    expect(leadingReduction([4, 5, 6], [-3, -2], false)).toEqual({ p: 20, q: 6, outShape: [6] });
  });
  it("is undefined for reductions that are not of the leading axes", () => {
    expect(leadingReduction([4, 5, 6], [1, 2], false)).toBeUndefined();
    expect(leadingReduction([4, 5, 6], [0, 2], false)).toBeUndefined();
  });
});

/** Sum (or mean) over `axes` in float64, keepDims false. */
function reference(x: Values, axes: number[], mean: boolean): Values {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => x.shape[i]!);
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let flat = 0; flat < x.values.length; flat++) {
    let o = 0;
    for (const i of kept) o = o * x.shape[i]! + (Math.floor(flat / strides[i]!) % x.shape[i]!);
    out[o] += x.values[flat]!;
  }
  const count = axes.reduce((a, i) => a * x.shape[i]!, 1);
  return { shape: outShape, values: Float32Array.from(out, (v) => (mean ? v / count : v)) };
}

const CASES: { shape: number[]; axis: number | number[]; keepDims: boolean; why: string }[] = [
  { shape: [32, 16, 16, 8], axis: [0, 1, 2], keepDims: false, why: "batchnorm's statistics over N, H, W" },
  { shape: [5, 9, 7, 3], axis: [0, 1, 2], keepDims: true, why: "keepDims" },
  { shape: [6, 4], axis: 0, keepDims: false, why: "one axis" },
  { shape: [3, 5, 7], axis: [-2, -3], keepDims: false, why: "negative axes in any order" },
  { shape: [4, 3, 2], axis: [0, 1, 2], keepDims: false, why: "every axis" },
  { shape: [1, 7, 3], axis: 0, keepDims: false, why: "a size-1 axis" },
  { shape: [4, 5, 6], axis: [1, 2], keepDims: false, why: "trailing axes (stock kernel)" },
  { shape: [4, 5, 6], axis: [0, 2], keepDims: true, why: "non-adjacent axes (stock kernel)" },
];

for (const backend of ["wasm", "cpu"] as KernelBackend[]) {
  for (const op of ["Sum", "Mean"] as const) {
    describe(`${op} on ${backend}`, () => {
      beforeAll(async () => {
        registerTrainingKernels();
        await useBackend(backend);
      });

      CASES.forEach((c, i) => {
        it(`matches a float64 ${op.toLowerCase()} for ${c.why}: [${c.shape}] over ${JSON.stringify(c.axis)}`, async () => {
          const x = normal(c.shape, 300 + i);
          const axes = [...new Set(tf.util.parseAxisParam(c.axis, c.shape))];
          const want = reference(x, axes, op === "Mean");
          const t = tf.tensor(x.values, c.shape);
          const y = await expectNoLeakedTensors(
            () => (op === "Sum" ? tf.sum(t, c.axis, c.keepDims) : tf.mean(t, c.axis, c.keepDims)),
            1,
          );
          const wantShape = c.keepDims ? c.shape.map((d, a) => (axes.includes(a) ? 1 : d)) : want.shape;
          expectClose(
            { shape: y.shape, values: y.dataSync() as Float32Array },
            { shape: wantShape, values: want.values },
            1e-5,
          );
          tf.dispose([t, y]);
        });
      });

      it("keeps int32 sums exact (stock kernel)", () => {
        const t = tf.tensor(
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          [3, 2],
          "int32",
        );
        const y = op === "Sum" ? tf.sum(t, 0) : tf.mean(t, 0);
        expect(y.dtype).toBe(op === "Sum" ? "int32" : "float32");
        expect(Array.from(y.dataSync())).toEqual(op === "Sum" ? [9, 12] : [3, 4]);
        tf.dispose([t, y]);
      });

      it("matches the stock kernel within 1e-5 of its scale on batchnorm-sized input", () => {
        const x = normal([32, 32, 32, 16], 399);
        const t = tf.tensor(x.values, x.shape);
        unregisterTrainingKernels();
        const stock = op === "Sum" ? tf.sum(t, [0, 1, 2]) : tf.mean(t, [0, 1, 2]);
        registerTrainingKernels();
        const ours = op === "Sum" ? tf.sum(t, [0, 1, 2]) : tf.mean(t, [0, 1, 2]);
        expectClose(
          { shape: ours.shape, values: ours.dataSync() as Float32Array },
          { shape: stock.shape, values: stock.dataSync() as Float32Array },
          1e-5,
        );
        tf.dispose([t, stock, ours]);
      });
    });
  }
}
