import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { baseArchitecture, createBody } from "../../src/model/base.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("createBody(architecture)", () => {
  it("maps [N, 64, 64, 3] to [N, 4, 4, 320] (stride 16) through six depthwise-separable blocks", () => {
    const body = createBody();
    expect(body.inputs[0]!.shape).toEqual([null, 64, 64, 3]);
    expect(body.outputs[0]!.shape).toEqual([null, 4, 4, 320]);
    expect(body.layers.filter((l) => l.getClassName() === "DepthwiseConv2D").length).toBe(6);
    // stem 3·3·3·16 + per block 3·3·c_in + c_in·c_out, + batchnorm 4 per channel
    const widths = [16, 32, 64, 128, 128, 320, 320];
    let params = 27 * 16 + 4 * 16;
    for (let i = 1; i < widths.length; i++)
      params += 9 * widths[i - 1]! + 4 * widths[i - 1]! + widths[i - 1]! * widths[i]! + 4 * widths[i]!;
    expect(body.countParams()).toBe(params);
    body.dispose();
  });

  it("is seeded: the same seed gives the same weights, another seed others", () => {
    const [a, b, c] = [createBody({ seed: 1 }), createBody({ seed: 1 }), createBody({ seed: 2 })];
    const kernel = (m: tf.LayersModel) => Array.from(m.getLayer("block3_pw").getWeights()[0]!.dataSync());
    expect(kernel(b)).toEqual(kernel(a));
    expect(kernel(c)).not.toEqual(kernel(a));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("rejects a bad inputSize or momentum, naming the fix", () => {
    expect(() => createBody({ inputSize: 20 })).toThrow(
      "invalid inputSize: 20; use an integer from 32 to 512, e.g. 64",
    );
    expect(() => createBody({ momentum: 1 })).toThrow("invalid momentum: 1; use a value in (0, 1), e.g. 0.9");
  });
});

describe("baseArchitecture(architecture)", () => {
  it("describes the untrained course base without holding any tensor", () => {
    const before = tf.memory().numTensors;
    const base = baseArchitecture();
    expect(tf.memory().numTensors).toBe(before);
    expect(base.artifacts.weightData).toBeUndefined();
    expect(base.info).toMatchObject({ inputSize: 64, cut: "body_out" });
  });
});
