import * as tf from "@tensorflow/tfjs";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { modelArtifacts, modelJsonText, weightBuffer } from "../../src/export/artifacts.js";
import { classifyWithBase } from "../../src/model/base-classify.js";
import { BaseDownloadFailed, downloadBase, type DownloadProgress } from "../../src/model/download-base.js";
import { IMAGENET_CLASSES } from "../../src/model/imagenet-classes.js";
import { kerasMobileNetV1 } from "../../src/model/keras-mobilenet.js";
import { baseFromArtifacts, loadBase } from "../../src/model/load-base.js";
import { MINUS_ONE_TO_ONE, recognizeBase } from "../../src/model/recognize.js";
import { createImage } from "../../src/data/image.js";
import { preprocess } from "../../src/export/predict.js";
import { serveModelHost, type HostedFile } from "../util/model-host.js";

/** A small Keras MobileNet v1 (alpha 0.25, 64 px) with its ImageNet-shaped top, as served files. */
let files: Record<string, HostedFile>;
let host: Awaited<ReturnType<typeof serveModelHost>>;
let origin: string;
let closedOrigin: string;

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
  const model = kerasMobileNetV1({ inputSize: 64, seed: 5 });
  const artifacts = await modelArtifacts(model);
  model.dispose();
  const json = new TextEncoder().encode(modelJsonText(artifacts));
  const weights = new Uint8Array(weightBuffer(artifacts));
  const slowJson = modelJsonText(artifacts).replace('"weights.bin"', '"slow.bin"');
  const graph = JSON.stringify({ format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] });
  files = {
    "/mobilenet/model.json": { body: json },
    "/mobilenet/weights.bin": { body: weights },
    "/slow/model.json": { body: new TextEncoder().encode(slowJson) },
    "/slow/slow.bin": { body: weights, slow: { chunkBytes: 16384, delayMs: 40 } },
    "/short/model.json": { body: json },
    "/short/weights.bin": { body: weights.subarray(0, weights.byteLength - 1000) },
    "/graph/model.json": { body: new TextEncoder().encode(graph) },
    "/broken/model.json": { body: json, status: 500 },
  };
  host = await serveModelHost(files);
  origin = host.url;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedOrigin = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await host?.close();
});

describe("kerasMobileNetV1()", () => {
  it("has Keras MobileNet v1's 93 layers, names and shapes: body to conv_pw_13_relu, then the ImageNet top", () => {
    const model = kerasMobileNetV1();
    const names = model.layers.map((l) => l.name);
    expect(names.length).toBe(93);
    expect(names.slice(0, 6)).toEqual(["input_1", "conv1_pad", "conv1", "conv1_bn", "conv1_relu", "conv_dw_1"]);
    expect(names.filter((n) => n.startsWith("conv_pad_"))).toEqual([
      "conv_pad_2",
      "conv_pad_4",
      "conv_pad_6",
      "conv_pad_12",
    ]);
    expect(names.slice(-7)).toEqual([
      "conv_pw_13_relu",
      "global_average_pooling2d_1",
      "reshape_1",
      "dropout",
      "conv_preds",
      "reshape_2",
      "act_softmax",
    ]);
    expect(model.getLayer("conv_pw_13_relu").outputShape).toEqual([null, 7, 7, 256]);
    expect(model.outputs[0]!.shape).toEqual([null, 1000]);
    // alpha 0.25: 470,000-odd weights, the hosted model's 1.9 MB of float32
    expect(model.countParams()).toBe(475544);
    model.dispose();
  });
});

describe("recognizeBase(model)", () => {
  it("recognises Keras MobileNet v1 by its layer names: the cut, 224 px, [-1, 1] inputs, ImageNet's classes", () => {
    const model = kerasMobileNetV1();
    const recognized = recognizeBase(model)!;
    expect(recognized).toMatchObject({
      family: "Keras MobileNet v1 (alpha 0.25)",
      cut: "conv_pw_13_relu",
      inputSize: 224,
      normalization: MINUS_ONE_TO_ONE,
    });
    expect(recognized.classes!.length).toBe(1000);
    expect(recognized.classes![281]).toBe("tabby, tabby cat");
    model.dispose();
  });

  it("recognises Keras MobileNet v2's names (Conv1, bn_Conv1, block_16_project, out_relu): the cut at out_relu, alpha from block 16", () => {
    // the names and widths keras.applications.MobileNetV2(alpha=0.35) gives, in a shortened stack
    const input = tf.input({ shape: [96, 96, 3], name: "input_1" });
    const conv = (filters: number, name: string, strides = 1) =>
      tf.layers.conv2d({ filters, kernelSize: 1, strides, useBias: false, name });
    let x = conv(16, "Conv1", 2).apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: "bn_Conv1" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: "Conv1_relu" }).apply(x) as tf.SymbolicTensor;
    x = conv(112, "block_16_project", 16).apply(x) as tf.SymbolicTensor;
    x = conv(1280, "Conv_1").apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: "out_relu" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({ name: "global_average_pooling2d" }).apply(x) as tf.SymbolicTensor;
    const top = tf.layers.dense({ units: 1000, activation: "softmax", name: "predictions" }).apply(x);
    const model = tf.model({ inputs: input, outputs: top as tf.SymbolicTensor });
    const recognized = recognizeBase(model)!;
    expect(recognized).toMatchObject({
      family: "Keras MobileNet v2 (alpha 0.35)",
      cut: "out_relu",
      inputSize: 96,
      normalization: MINUS_ONE_TO_ONE,
    });
    expect(recognized.classes!.length).toBe(1000);
    model.dispose();
  });

  it("gives no classes for a MobileNet without its top, and null for a model it does not know", () => {
    const body = kerasMobileNetV1({ classes: 0, alpha: 0.5, inputSize: 128 });
    expect(recognizeBase(body)).toMatchObject({ family: "Keras MobileNet v1 (alpha 0.5)", inputSize: 128 });
    expect(recognizeBase(body)!.classes).toBeUndefined();
    body.dispose();
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4], name: "conv1" })] });
    expect(recognizeBase(other)).toBeNull();
    other.dispose();
  });
});

describe("loadBase({url}) with a Keras MobileNet", () => {
  it("needs no settings: it says what it recognised and keeps ImageNet's classes", async () => {
    const base = await loadBase({ url: `${origin}/mobilenet/model.json` });
    expect(base.info).toMatchObject({
      name: "Keras MobileNet v1 (alpha 0.25)",
      cut: "conv_pw_13_relu",
      inputSize: 64,
      normalization: MINUS_ONE_TO_ONE,
      recognized:
        "Keras MobileNet v1 (alpha 0.25): 64×64 inputs scaled to [-1, 1], the head goes on conv_pw_13_relu, its ImageNet top kept for top-5 labels",
    });
    expect(base.info.classes).toEqual(IMAGENET_CLASSES);
  });

  it("lets the learner's settings win over what it recognised", async () => {
    const base = await loadBase({ url: `${origin}/mobilenet/model.json`, cut: "conv_pw_12_relu", inputSize: 64 });
    expect(base.info.cut).toBe("conv_pw_12_relu");
  });
});

describe("downloadBase(url)", () => {
  it("reports progress up to the weights' size and returns the same weights", async () => {
    const seen: DownloadProgress[] = [];
    const artifacts = await downloadBase(`${origin}/slow/model.json`, { onProgress: (p) => seen.push({ ...p }) });
    const total = files["/slow/slow.bin"]!.body.byteLength;
    expect(seen[0]).toEqual({ loaded: 0, total });
    expect(seen.at(-1)).toEqual({ loaded: total, total });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((p, i) => i === 0 || p.loaded >= seen[i - 1]!.loaded)).toBe(true);
    expect(new Uint8Array(weightBuffer(artifacts))).toEqual(files["/slow/slow.bin"]!.body);
  });

  it("stops when its signal aborts, mid-file, keeping nothing", async () => {
    const controller = new AbortController();
    const download = downloadBase(`${origin}/slow/model.json`, {
      signal: controller.signal,
      onProgress: ({ loaded }) => loaded > 0 && controller.abort(),
    });
    await expect(download).rejects.toMatchObject({ fault: "stopped" });
    await expect(download).rejects.toThrow(`the download of ${origin}/slow/model.json was stopped; nothing was kept`);
  });

  it("names each failure: 404, another HTTP status, unreachable, offline, a graph model, cut-short weights", async () => {
    const fails = (path: string) => downloadBase(`${origin}${path}`);
    await expect(fails("/nothing/model.json")).rejects.toThrow(
      `no model at ${origin}/nothing/model.json (HTTP 404); check the address: it must be a model.json with its weight files beside it`,
    );
    await expect(fails("/broken/model.json")).rejects.toThrow(
      `the server of ${origin}/broken/model.json answered HTTP 500; try again later, or give another model's URL`,
    );
    await expect(fails("/graph/model.json")).rejects.toThrow(
      `${origin}/graph/model.json is a graph model (a converted TensorFlow graph), which cannot be cut and fine-tuned here`,
    );
    await expect(fails("/short/model.json")).rejects.toThrow(
      `${origin}/short/model.json: weights truncated: the weight files hold ${files["/short/weights.bin"]!.body.byteLength} bytes but model.json describes ${files["/mobilenet/weights.bin"]!.body.byteLength}`,
    );
    const unreachable = downloadBase(`${closedOrigin}/model.json`);
    await expect(unreachable).rejects.toMatchObject({ fault: "unreachable" });
    await expect(unreachable).rejects.toThrow(
      /could not be fetched \(.*\): the server cannot be reached, or it does not let other sites read it \(no CORS header\)/,
    );
    vi.stubGlobal("navigator", { onLine: false });
    try {
      await expect(downloadBase(`${closedOrigin}/model.json`)).rejects.toThrow(
        `this browser is offline, so ${closedOrigin}/model.json could not be downloaded; connect to the internet and try again (the course base works offline)`,
      );
    } finally {
      vi.unstubAllGlobals();
    }
    await expect(fails("/graph/model.json")).rejects.toBeInstanceOf(BaseDownloadFailed);
  });
});

describe("classifyWithBase(base, images)", () => {
  it("lists the top 5 of the base's own classes, as its model ranks them on the prepared image", async () => {
    const base = await loadBase({ url: `${origin}/mobilenet/model.json` });
    const image = createImage(80, 64);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 37) % 256;
    const [guesses] = await classifyWithBase(base, [image]);
    const model = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
    const meta = {
      classes: base.info.classes!,
      inputSize: 64,
      resize: "crop" as const,
      normalization: MINUS_ONE_TO_ONE,
    };
    const probs = tf.tidy(() => (model.predict(preprocess([image], meta)) as tf.Tensor).dataSync());
    model.dispose();
    const ranked = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!);
    expect(guesses!.map((g) => g.index)).toEqual(ranked.slice(0, 5));
    expect(guesses![0]!.prob).toBeCloseTo(probs[ranked[0]!]!, 6);
    expect(guesses![0]!.label).toBe(IMAGENET_CLASSES[ranked[0]!]!.split(", ")[0]);
  });

  it("refuses a base that does not name its own classes", async () => {
    const body = kerasMobileNetV1({ inputSize: 64, classes: 0 });
    const base = await baseFromArtifacts(await modelArtifacts(body));
    body.dispose();
    await expect(classifyWithBase(base, [createImage(64, 64)])).rejects.toThrow(
      /does not say what its own classes are; classifyWithBase needs a base with its classifier/,
    );
  });
});
