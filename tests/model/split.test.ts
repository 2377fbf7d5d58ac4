import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { dataLoaders } from "../../src/data/batches.js";
import { generatedDataset } from "../../src/draw/generate.js";
import { modelArtifacts } from "../../src/export/artifacts.js";
import { kerasMobileNetV1, kerasMobileNetV2 } from "../../src/model/keras-mobilenet.js";
import { BN_MOMENTUM, visionLearner } from "../../src/model/learner.js";
import { baseFromArtifacts } from "../../src/model/load-base.js";
import { tinyBase, tinyPets } from "./helpers.js";
import { expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** The groups modelSummary gives the named layers. */
const groups = (rows: { name: string; group: number | null }[], names: string[]) =>
  names.map((name) => rows.find((r) => r.name === name)!.group);

describe("visionLearner(dls, {split})", () => {
  it('"last-stage" starts the second group at the first weighted layer of the body\'s last spatial size', async () => {
    const model = kerasMobileNetV1({ inputSize: 64, seed: 5 });
    const base = await baseFromArtifacts(await modelArtifacts(model));
    model.dispose();
    const dataset = generatedDataset({ set: "pets", perClass: 4, size: 64, seed: 1 });
    const dls = dataLoaders(dataset, { validPct: 0.25, seed: 1, size: 64, normalization: base.info.normalization });
    const named = ["conv_pw_11", "conv_dw_12", "conv_dw_12_bn", "conv_pw_13_bn"];
    const last = await visionLearner(dls, { base, split: "last-stage" });
    // 64 px: conv_dw_12 (stride 2) takes 4×4 and gives 2×2, the body's output size
    expect(last.body.getLayer("conv_dw_12_bn").outputShape).toEqual([null, 2, 2, 128]);
    expect(groups(last.summary().layers, named)).toEqual([0, 0, 1, 1]);
    last.freezeTo(-2);
    const trains = last.summary().layers.filter((l) => l.trains && l.part === "body");
    expect(trains[0]!.name).toBe("conv_dw_12_bn");
    last.dispose();
    // the default: the middle of the body's 54 weighted layers, conv_dw_7_bn
    const half = await visionLearner(dls, { base });
    expect(groups(half.summary().layers, ["conv_dw_7", "conv_dw_7_bn", ...named])).toEqual([0, 1, 1, 1, 1, 1]);
    half.dispose();
    await expect(visionLearner(dls, { base, split: "middle" as "half" })).rejects.toThrow(
      'invalid split: "middle"; give "half" (the default) or "last-stage"',
    );
  });
});

describe("visionLearner(dls, {base}) on a base saved with frozen layers", () => {
  it("trains its body once unfrozen: Keras trainable false does not hide the weights", async () => {
    const base = await tinyBase();
    const topology = JSON.parse(JSON.stringify(base.artifacts.modelTopology)) as {
      config: { layers: { config: { trainable?: boolean } }[] };
    };
    for (const layer of topology.config.layers) layer.config.trainable = false;
    const frozenBase = { ...base, artifacts: { ...base.artifacts, modelTopology: topology } };
    const learn = await visionLearner(tinyPets(), { base: frozenBase });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(frozenBase.artifacts));
    expect(loaded.trainableWeights.length).toBe(0); // as saved
    loaded.dispose();
    expect(learn.paramGroups([1, 2, 3]).length).toBe(1); // pretrained: frozen, the head only
    learn.unfreeze();
    expect(learn.paramGroups([1, 2, 3]).map((g) => g.variables.length > 0)).toEqual([true, true, true]);
    const stem = learn.body.getLayer("stem_conv").getWeights()[0]!.dataSync().slice();
    await learn.fit(1, 1e-2);
    expect(learn.body.getLayer("stem_conv").getWeights()[0]!.dataSync()).not.toEqual(stem);
    learn.dispose();
  });
});

describe("visionLearner(dls, {base}) on a Keras base", () => {
  it("gives the body's batchnorm fastai's momentum (0.9 here, PyTorch's 0.1) where Keras saved 0.99", async () => {
    const model = kerasMobileNetV1({ inputSize: 64, seed: 5 });
    const base = await baseFromArtifacts(await modelArtifacts(model));
    model.dispose();
    const saved = (
      base.artifacts.modelTopology as { config: { layers: { class_name: string; config: { momentum?: number } }[] } }
    ).config.layers.filter((l) => l.class_name === "BatchNormalization");
    expect(new Set(saved.map((l) => l.config.momentum))).toEqual(new Set([0.99]));
    const dataset = generatedDataset({ set: "pets", perClass: 4, size: 64, seed: 1 });
    const dls = dataLoaders(dataset, { validPct: 0.25, seed: 1, size: 64, normalization: base.info.normalization });
    const learn = await visionLearner(dls, { base });
    const norms = learn.body.layers.filter((l) => l.getClassName() === "BatchNormalization");
    expect(norms.length).toBe(27);
    expect(new Set(norms.map((l) => l.getConfig().momentum))).toEqual(new Set([BN_MOMENTUM]));
    expect(BN_MOMENTUM).toBe(0.9);
    learn.dispose();
  });
});

describe("learn.keptFrozenPart(indices)", () => {
  it("with freezeTo(-2) and cacheFeatures 'always', gives frozenPart of the unaugmented images from one pass", async () => {
    const base = await tinyBase();
    const learn = await visionLearner(tinyPets(), { base, cacheFeatures: "always" });
    const train = learn.dls.train;
    expect(learn.keptFrozenPart([0, 1])).toBeNull(); // frozen: steps start from pooled features
    await learn.fit(1, 1e-2); // the frozen epoch's one pass keeps the first half's outputs too
    learn.freezeTo(-2);
    const batchAt = vi.spyOn(train, "batchAt");
    const indices = [7, 2, 5];
    const kept = learn.keptFrozenPart(indices)!;
    expect(batchAt).not.toHaveBeenCalled();
    const { xs, ys } = train.batchAt(indices, 0, 0, { augment: false });
    const lower = learn.frozenPart(xs)!;
    expect(kept.shape).toEqual([3, 8, 8, 8]);
    expect(Array.from(kept.dataSync())).toEqual(Array.from(lower.dataSync()));
    tf.dispose([kept, xs, ys, lower]);
    batchAt.mockClear();
    // the half-unfrozen epoch reads no image, training or validation; its validation equals the whole model's
    const validAt = vi.spyOn(learn.dls.valid, "batchAt");
    await learn.fit(1, 1e-2); // makes the optimiser's state for the second group
    const before = tf.memory().numTensors;
    const [event] = await learn.fit(1, 1e-2);
    expect(batchAt).not.toHaveBeenCalled();
    expect(validAt).not.toHaveBeenCalled();
    expect(tf.memory().numTensors).toBe(before);
    validAt.mockRestore();
    const all = learn.dls.valid.items.map((_, i) => i);
    const valid = learn.dls.valid.batchAt(all, 0, 0, { augment: false });
    const probs = learn.model.predict(valid.xs) as tf.Tensor2D;
    const loss = tf.losses.softmaxCrossEntropy(valid.ys, tf.log(probs)).dataSync()[0]!;
    expect(event!.validLoss).toBeCloseTo(loss, 5);
    tf.dispose([valid.xs, valid.ys, probs]);
    learn.dispose();
  });

  it("is recomputed once the first half trains, and null where the images are augmented and caching is not 'always'", async () => {
    const base = await tinyBase();
    const learn = await visionLearner(tinyPets(), { base, cacheFeatures: "always" });
    learn.freezeTo(-2);
    const old = learn.keptFrozenPart([3])!;
    learn.unfreeze();
    await learn.fit(1, 1e-2); // moves the first half's weights and statistics
    learn.freezeTo(-2);
    const fresh = learn.keptFrozenPart([3])!;
    const { xs, ys } = learn.dls.train.batchAt([3], 0, 0, { augment: false });
    const lower = learn.frozenPart(xs)!;
    expect(Array.from(fresh.dataSync())).toEqual(Array.from(lower.dataSync()));
    expect(Array.from(fresh.dataSync())).not.toEqual(Array.from(old.dataSync()));
    tf.dispose([old, fresh, xs, ys, lower]);
    learn.dispose();
    const augmented = await visionLearner(tinyPets(), { base, cacheFeatures: true });
    augmented.freezeTo(-2);
    expect(augmented.keptFrozenPart([3])).toBeNull();
    augmented.dispose();
  });

  it("steps on kept outputs take the same step as on the unaugmented images", async () => {
    const base = await tinyBase();
    const run = async (cacheFeatures: boolean | "always") => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base, cacheFeatures, wasmHead: false });
      learn.freezeTo(-2);
      const losses: number[] = [];
      await learn.fit(2, 1e-2, { onEvent: (e) => e.type === "batch" && losses.push(e.loss) });
      const weights = learn.weights.map((w) => Array.from(w.dataSync()));
      learn.dispose();
      return { losses, weights };
    };
    const kept = await run("always");
    const recomputed = await run(false);
    expect(kept.losses.length).toBe(recomputed.losses.length);
    kept.losses.forEach((loss, i) => expect(loss).toBeCloseTo(recomputed.losses[i]!, 5));
    kept.weights.forEach((w, i) => w.forEach((v, k) => expect(v).toBeCloseTo(recomputed.weights[i]![k]!, 4)));
  });
});

describe("visionLearner(dls, {split}) on a Keras MobileNet v2 (residual blocks)", () => {
  /** kerasMobileNetV2 at 64 px (2×2 out), its data, and a learner with `options`. */
  async function v2Learner(options: { split: "half" | "last-stage"; cacheFeatures?: boolean | "always" }) {
    const model = kerasMobileNetV2({ inputSize: 64, seed: 4, classes: 0 });
    const base = await baseFromArtifacts(await modelArtifacts(model));
    model.dispose();
    const dataset = generatedDataset({ set: "pets", perClass: 6, size: 64, seed: 2 });
    const dls = dataLoaders(dataset, {
      validPct: 0.25,
      seed: 2,
      size: 64,
      batchSize: 4,
      normalization: base.info.normalization,
      augment: false,
    });
    return { base, learn: await visionLearner(dls, { base, ...options }) };
  }

  it('"last-stage" cuts where one tensor crosses: the kept outputs equal frozenPart, and the model exports whole', async () => {
    const { base, learn } = await v2Learner({ split: "last-stage", cacheFeatures: "always" });
    expect(base.info.recognized).toMatch(/^Keras MobileNet v2 \(alpha 0.35\): /);
    // block 13's stride-2 depthwise gives 2×2 at 64 px: its batchnorm starts the last stage
    const trains = (l: { group: number | null }) => l.group === 1;
    expect(learn.summary().layers.filter(trains)[0]!.name).toBe("block_13_depthwise_BN");
    learn.freezeTo(-2);
    const indices = [0, 5, 2];
    const kept = learn.keptFrozenPart(indices)!;
    const { xs, ys } = learn.dls.train.batchAt(indices, 0, 0, { augment: false });
    const lower = learn.frozenPart(xs)!;
    expect(kept.shape).toEqual([3, 2, 2, 192]); // block 12's 32 channels, expanded 6×
    expectTensorsClose(kept, lower, { rtol: 1e-6, atol: 1e-6 });
    // the two parts together are the body, as at inference
    const whole = learn.body.predict(xs) as tf.Tensor;
    const parts = learn.trainedPart(lower); // training mode: batchnorm on the batch's statistics
    expect(parts.shape).toEqual(whole.shape);
    tf.dispose([kept, xs, ys, lower, whole, parts]);
    // residual adds in the trained part (blocks 14 and 15) train, and the saved model predicts as the learner
    const before = learn.body.getLayer("block_15_project").getWeights()[0]!.dataSync().slice();
    await learn.fit(1, 1e-2);
    expect(learn.body.getLayer("block_15_project").getWeights()[0]!.dataSync()).not.toEqual(before);
    const saved = await tf.loadLayersModel(tf.io.fromMemory(await modelArtifacts(learn.model)));
    const probe = learn.dls.valid.batchAt([0, 1], 0, 0, { augment: false });
    expectTensorsClose(saved.predict(probe.xs) as tf.Tensor, learn.model.predict(probe.xs) as tf.Tensor, {
      rtol: 1e-5,
      atol: 1e-6,
    });
    tf.dispose([probe.xs, probe.ys]);
    saved.dispose();
    learn.dispose();
  });

  it('"half" cuts inside a residual block there: nothing is kept, the step runs the whole body', async () => {
    const { learn } = await v2Learner({ split: "half", cacheFeatures: "always" });
    learn.freezeTo(-2);
    expect(learn.keptFrozenPart([0])).toBeNull();
    const { xs, ys } = learn.dls.train.batchAt([0], 0, 0, { augment: false });
    expect(learn.frozenPart(xs)).toBeNull();
    tf.dispose([xs, ys]);
    learn.dispose();
  });
});

describe("visionLearner(dls, {bodyBatchnorm})", () => {
  /** The body's batchnorm moving statistics, layer by layer. */
  const movingStats = (learn: Awaited<ReturnType<typeof visionLearner>>) =>
    learn.body.layers
      .filter((l) => l.getClassName() === "BatchNormalization")
      .map((l) =>
        l
          .getWeights()
          .slice(2)
          .map((w) => Array.from(w.dataSync())),
      );

  it('"moving" trains the unfrozen part on the base\'s statistics: its output is the inference one, and the statistics stay', async () => {
    const base = await tinyBase();
    const moving = await visionLearner(tinyPets({ augment: false }), { base, bodyBatchnorm: "moving" });
    moving.freezeTo(-2);
    const { xs, ys } = moving.dls.train.batchAt([0, 1, 2, 3], 0, 0, { augment: false });
    const lower = moving.frozenPart(xs)!;
    const trained = moving.trainedPart(lower);
    const asPredicted = moving.body.predict(xs) as tf.Tensor4D;
    expectTensorsClose(trained, asPredicted, { atol: 1e-5 });
    const before = movingStats(moving);
    await moving.fit(1, [1e-3, 1e-2]);
    expect(movingStats(moving)).toEqual(before);
    // the same step with fastai's batch statistics: the unfrozen part's moving statistics follow the batches
    const batch = await visionLearner(tinyPets({ augment: false }), { base });
    expect(batch.bodyBatchnorm).toBe("batch");
    batch.freezeTo(-2);
    const batchTrained = batch.trainedPart(batch.frozenPart(xs)!);
    expect(Math.max(...Array.from(tf.sub(batchTrained, asPredicted).abs().dataSync()))).toBeGreaterThan(1e-2);
    await batch.fit(1, [1e-3, 1e-2]);
    expect(movingStats(batch)).not.toEqual(before);
    tf.dispose([xs, ys, lower, trained, asPredicted, batchTrained]);
    moving.dispose();
    batch.dispose();
  });

  it("refuses another value before loading anything, naming both", async () => {
    const base = await tinyBase();
    await expect(visionLearner(tinyPets(), { base, bodyBatchnorm: "frozen" as "moving" })).rejects.toThrow(
      'invalid bodyBatchnorm: "frozen"; give "batch" (the default, fastai\'s: each batch\'s statistics) or "moving" (the base\'s own statistics, kept fixed)',
    );
  });
});
