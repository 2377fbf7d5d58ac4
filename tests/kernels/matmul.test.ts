import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels } from "../../src/kernels/index.js";
import { expectClose, normal, onStockCpu, runKernel, useBackend } from "./helpers.js";

const CASES: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean; why: string }[] = [
  {
    a: [1, 32, 512],
    b: [1, 32, 64],
    transposeA: true,
    transposeB: false,
    why: "a dense layer's kernel gradient x^T·dy",
  },
  {
    a: [1, 32, 64],
    b: [1, 512, 64],
    transposeA: false,
    transposeB: true,
    why: "a dense layer's input gradient dy·W^T",
  },
  { a: [3, 5, 4], b: [3, 6, 5], transposeA: true, transposeB: true, why: "both transposed, batch 3" },
  {
    a: [2, 3, 4],
    b: [2, 40, 4],
    transposeA: false,
    transposeB: true,
    why: "a big transposed b, batch 2 (computed as (b·aᵀ)ᵀ)",
  },
  { a: [2, 4, 5], b: [2, 5, 3], transposeA: false, transposeB: false, why: "neither (the stock kernel)" },
];

describe("BatchMatMul on wasm (transposed operands)", () => {
  beforeAll(async () => {
    registerTrainingKernels();
    await useBackend("wasm");
  });

  for (const c of CASES) {
    it(`matches stock cpu for ${c.why}: [${c.a}]${c.transposeA ? "ᵀ" : ""} · [${c.b}]${c.transposeB ? "ᵀ" : ""}`, async () => {
      const inputs = { a: normal(c.a, 1), b: normal(c.b, 2) };
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
      const got = runKernel("BatchMatMul", inputs, attrs);
      const want = await onStockCpu(() => runKernel("BatchMatMul", inputs, attrs));
      await useBackend("wasm");
      expect(got.shape).toEqual(want.shape);
      expectClose(got, want, 1e-5);
    });
  }

  it("leaves only its output behind", () => {
    const [a, b] = [tf.randomNormal([4, 8], 0, 1, "float32", 3), tf.randomNormal([4, 6], 0, 1, "float32", 4)];
    const before = tf.memory().numTensors;
    const y = tf.matMul(a, b, true, false);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([a, b, y]);
  });
});
