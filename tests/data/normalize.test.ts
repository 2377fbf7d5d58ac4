import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { channelStats, checkNormalization, normalizeTensor } from "../../src/data/normalize.js";
import { expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("normalizeTensor(x, {mean, std})", () => {
  it("computes (x − mean) / std per channel", () => {
    const x = tf.tensor2d([[0, 0.5, 1], [1, 1, 1]]);
    const out = normalizeTensor(x, { mean: [0, 0.5, 0.5], std: [1, 0.5, 0.25] });
    expectTensorsClose(out, tf.tensor2d([[0, 0, 2], [1, 1, 2]]));
    tf.dispose([x, out]);
  });
});

describe("channelStats(pixels)", () => {
  it("gives each channel's mean and population std in [0, 1] units", () => {
    const { mean, std } = channelStats([new Uint8Array([0, 51, 255, 255, 51, 255])]);
    expect(mean).toEqual([0.5, 0.2, 1]);
    expect(std.map((s) => Number(s.toFixed(6)))).toEqual([0.5, 0, 0]);
  });
});

describe("checkNormalization(stats)", () => {
  it("rejects a non-positive std, naming the value and the fix", () => {
    expect(() => checkNormalization({ mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(/^invalid normalization std: \[1,0,1\]; use three positive numbers \[r, g, b\]$/);
    expect(() => checkNormalization({ mean: [0, 0] as never, std: [1, 1, 1] })).toThrow(/^invalid normalization mean: \[0,0\]/);
  });
});

describe("pretrainStats", () => {
  // measured on the first 12 classes, and the base is trained with these numbers; the 8 wild classes
  // (more orange and tan) moved the measured values to mean [0.582, 0.575, 0.531], std [0.230, 0.227, 0.257]
  it("are the measured statistics of the generated pretraining images (within 0.02)", async () => {
    const { generateDataset } = await import("../../src/draw/generate.js");
    const { pretrainStats } = await import("../../src/data/normalize.js");
    const { items } = generateDataset({ set: "pretrain", perClass: 20, size: 48, seed: 7 });
    const measured = channelStats(items.map((i) => i.image.data));
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(measured.mean[c]! - pretrainStats.mean[c]!)).toBeLessThan(0.02);
      expect(Math.abs(measured.std[c]! - pretrainStats.std[c]!)).toBeLessThan(0.02);
    }
  });
});
