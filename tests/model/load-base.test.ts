import * as tf from "@tensorflow/tfjs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { baseFromArtifacts, loadBase } from "../../src/model/load-base.js";
import { visionLearner } from "../../src/model/learner.js";
import { saveModelDir } from "../../src/node/model-files.js";
import { serveStatic } from "../browser/server.js";
import { tinyPets } from "./helpers.js";

/** A small Keras-style classifier (conv → relu → global pooling → dense), not made by the course. */
function hostedStyleModel(): tf.LayersModel {
  const model = tf.sequential({ name: "mini_mobilenet" });
  model.add(
    tf.layers.conv2d({
      inputShape: [32, 32, 3],
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      name: "conv1",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(tf.layers.reLU({ name: "conv1_relu" }));
  model.add(tf.layers.globalAveragePooling2d({ name: "global_average_pooling2d" }));
  model.add(
    tf.layers.dense({
      units: 10,
      activation: "softmax",
      name: "predictions",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return model;
}

const MINUS_ONE_ONE = {
  mean: [0.5, 0.5, 0.5] as [number, number, number],
  std: [0.5, 0.5, 0.5] as [number, number, number],
};
let server: { url: string; close(): Promise<void> };
let dir: string;

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
  dir = await mkdtemp(join(tmpdir(), "dlcourse-hosted-"));
  const model = hostedStyleModel();
  await saveModelDir(model, dir, {});
  model.dispose();
  const files = {
    "/models/mini/model.json": await readFile(join(dir, "model.json")),
    "/models/mini/weights.bin": await readFile(join(dir, "weights.bin")),
  };
  server = await serveStatic(join(dir, "no-such-folder"), files);
});

afterAll(async () => {
  await server?.close();
});

describe("loadBase({url, cut, inputSize, normalize})", () => {
  it("loads a layers model served from 127.0.0.1, cutting before its pooling by default", async () => {
    const base = await loadBase({ url: `${server.url}/models/mini/model.json`, normalize: MINUS_ONE_ONE });
    expect(base.info).toMatchObject({
      name: "mini_mobilenet",
      cut: "conv1_relu",
      inputSize: 32,
      normalization: MINUS_ONE_ONE,
    });
    expect(base.artifacts.weightData).toBeDefined();
  });

  it("gives a base a learner fine-tunes, with the hosted weights in its body", async () => {
    const base = await loadBase({ url: `${server.url}/models/mini/model.json`, normalize: MINUS_ONE_ONE });
    const learn = await visionLearner(tinyPets({ normalization: MINUS_ONE_ONE }), { base });
    const reference = hostedStyleModel();
    expect(Array.from(learn.body.getLayer("conv1").getWeights()[0]!.dataSync())).toEqual(
      Array.from(reference.getLayer("conv1").getWeights()[0]!.dataSync()),
    );
    const [epoch] = await learn.fit(1, 1e-3);
    expect(epoch!.metrics.errorRate).toBeGreaterThanOrEqual(0);
    reference.dispose();
    learn.dispose();
  });

  it("fetches nothing until called, and names the URL and the fix when the model is missing", async () => {
    await expect(loadBase({ url: `${server.url}/models/none/model.json`, normalize: MINUS_ONE_ONE })).rejects.toThrow(
      `no model at ${server.url}/models/none/model.json (HTTP 404); check the address: it must be a model.json with its weight files beside it`,
    );
  });

  it("asks for normalize when the model does not say how its inputs are scaled", async () => {
    await expect(loadBase({ url: `${server.url}/models/mini/model.json` })).rejects.toThrow(
      /does not say how its inputs are normalised; give normalize: \{mean, std\}/,
    );
  });

  it("rejects a cut that names no layer, listing the last layers", async () => {
    await expect(
      loadBase({ url: `${server.url}/models/mini/model.json`, normalize: MINUS_ONE_ONE, cut: "block_16" }),
    ).rejects.toThrow(
      'invalid cut: "block_16"; the base has no such layer (its last layers are conv1, conv1_relu, global_average_pooling2d, predictions)',
    );
  });
});

describe("loadBase({modelJson, weights})", () => {
  it("builds the same base from a parsed model.json and its weight bytes (how pages load FileAttachments)", async () => {
    const modelJson = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    const bytes = await readFile(join(dir, "weights.bin"));
    const base = await loadBase({
      modelJson,
      weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      normalize: MINUS_ONE_ONE,
      cut: "conv1",
    });
    expect(base.info.cut).toBe("conv1");
    expect((base.artifacts.weightData as ArrayBuffer).byteLength).toBe(bytes.byteLength);
  });
});

describe("baseFromArtifacts(artifacts)", () => {
  it("rejects a graph model, saying a layers model is needed", async () => {
    await expect(baseFromArtifacts({ modelTopology: new ArrayBuffer(4) })).rejects.toThrow(
      /has no layers topology; give a tfjs layers model/,
    );
  });
});
