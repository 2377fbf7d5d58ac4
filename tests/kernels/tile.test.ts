import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels, unregisterTrainingKernels } from "../../src/kernels/index.js";
import { tileAsBroadcast } from "../../src/kernels/tile.js";
import { useBackend } from "./helpers.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

describe("tileAsBroadcast(shape, reps)", () => {
  it("turns batchnorm's tile of [1, 1, 1, C] by [N, H, W, 1] into [1, C] times ones [N·H·W, 1]", () => {
    expect(tileAsBroadcast([1, 1, 1, 16], [32, 8, 8, 1])).toEqual({ xShape: [1, 16], onesShape: [2048, 1] });
  });
  it("interleaves repeated and copied axes, merging neighbours of the same kind", () => {
    expect(tileAsBroadcast([2, 3], [3, 1])).toEqual({ xShape: [1, 6], onesShape: [3, 1] });
    expect(tileAsBroadcast([2, 3], [1, 2])).toEqual({ xShape: [2, 1, 3], onesShape: [1, 2, 1] });
  });
  it("gives up on empty outputs and on more than 4 broadcast axes", () => {
    expect(tileAsBroadcast([2, 3], [0, 2])).toBeUndefined();
    expect(tileAsBroadcast([2, 2, 2], [2, 2, 2])).toBeUndefined();
  });
});

const CASES: { x: number[]; reps: number[]; dtype: "float32" | "int32" | "bool"; why: string }[] = [
  { x: [1, 1, 1, 16], reps: [32, 8, 8, 1], dtype: "float32", why: "batchnorm's per-channel tile" },
  { x: [2, 3], reps: [3, 2], dtype: "float32", why: "both axes repeated" },
  { x: [2, 1, 3], reps: [1, 4, 1], dtype: "float32", why: "a middle axis" },
  { x: [5, 3], reps: [2, 1], dtype: "int32", why: "int32" },
  { x: [3, 2], reps: [2, 2], dtype: "bool", why: "bool (falls back to the stock kernel)" },
  { x: [2, 2, 2], reps: [2, 2, 2], dtype: "float32", why: "six alternating axes (falls back)" },
  { x: [2, 3], reps: [0, 2], dtype: "float32", why: "an empty output (falls back)" },
];

for (const backend of ["wasm", "cpu"] as const)
  describe(`Tile on ${backend}`, () => {
    beforeAll(async () => {
      registerTrainingKernels();
      await useBackend(backend);
    });

    for (const c of CASES) {
      it(`matches the stock Tile exactly for ${c.why}: [${c.x}] by [${c.reps}]`, async () => {
        const size = c.x.reduce((a, b) => a * b, 1);
        const values = Array.from({ length: size }, (_, i) =>
          c.dtype === "bool" ? i % 3 === 0 : c.dtype === "int32" ? i * 7 - 11 : i * 0.37 - 1.5,
        );
        const x = tf.tensor(values as number[], c.x, c.dtype);
        unregisterTrainingKernels();
        const want = tf.tile(x, c.reps);
        registerTrainingKernels();
        const got = await expectNoLeakedTensors(() => tf.tile(x, c.reps), 1);
        expect(got.dtype).toBe(want.dtype);
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([x, want, got]);
      });
    }
  });
