// The `photo` suite: a Keras-MobileNet-shaped base at 224 px (MobileNet v1 0.25's layers, seeded
// weights: the speeds are the real network's, the accuracies mean nothing) in Node on wasm — forward
// and training-step speed, the frozen epoch cached and recomputed, where a training step's time goes,
// and head-only transfer (Teachable Machine's way) against fineTune on the same images.
import * as tf from "@tensorflow/tfjs";
import { dataLoaders, type DataLoaders } from "../src/data/batches.js";
import { generatedDataset } from "../src/draw/generate.js";
import { modelArtifacts } from "../src/export/artifacts.js";
import { kerasMobileNetV1, kerasMobileNetV2 } from "../src/model/keras-mobilenet.js";
import { baseFromArtifacts } from "../src/model/load-base.js";
import type { Base } from "../src/model/base.js";
import { fineTuneDefaults, type FineTuneDefaults } from "../src/model/fine-tune-defaults.js";
import { visionLearner, type BodySplit } from "../src/model/learner.js";
import { initNodeBackend } from "../src/node/backend.js";
import { frozenEpochs } from "./frozen.js";
import type { BenchRow } from "./table.js";

const SIZE = 224;

/** A fineTune to time: its epochs and options, the learner's options, and what it is. */
interface PhotoPlan extends Pick<FineTuneDefaults, "epochs" | "fineTune" | "learner"> {
  label: string;
}

/**
 * The lessons' defaults for a photo-sized base, the same with the body's second half unfrozen instead
 * of its last stage, with fastai's unfreeze, and fastai's fine_tune(3).
 */
const DEFAULTS = fineTuneDefaults({ inputSize: SIZE });
const FASTAI = fineTuneDefaults({ inputSize: 64 });
const PLANS: PhotoPlan[] = [
  { ...DEFAULTS, label: "the lessons' default for a photo-sized base" },
  {
    ...DEFAULTS,
    learner: { ...DEFAULTS.learner, split: "half" },
    label: "the same with the body's second half unfrozen",
  },
  {
    ...DEFAULTS,
    fineTune: { ...DEFAULTS.fineTune, unfreezeTo: 0 },
    learner: FASTAI.learner,
    label: "the same epochs, augmented frozen epochs, all unfrozen",
  },
  { ...FASTAI, label: "fastai's fine_tune(3)" },
];

/** Drawn pets at 224 px (real photos are not in the repo): `perClass` per class, 20 % held out. */
function photoSizedPets(base: Base, perClass: number, augment?: false): DataLoaders {
  const dataset = generatedDataset({ set: "pets", perClass, size: SIZE, seed: 42 });
  return dataLoaders(dataset, {
    validPct: 0.2,
    seed: 42,
    size: SIZE,
    normalization: base.info.normalization,
    ...(augment === false ? { augment: false as const } : {}),
  });
}

/** Images per second of the whole model's forward pass, batches of 32, best of 3 after a warm-up. */
async function forwardSpeed(base: Base): Promise<number> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
  const xs = tf.randomUniform([32, SIZE, SIZE, 3], -1, 1, "float32", 1);
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const start = performance.now();
    const y = model.predict(xs) as tf.Tensor;
    await y.data();
    y.dispose();
    if (i > 0) best = Math.min(best, (performance.now() - start) / 1000);
  }
  xs.dispose();
  model.dispose();
  return 32 / best;
}

/** Seconds of one unfrozen training step of 32 images (after a warm-up), and the kernels that took the most of it. */
async function trainingStep(
  dls: DataLoaders,
  base: Base,
  unfreezeTo = 0,
  split: BodySplit = "half",
  cacheFeatures: boolean | "always" = true,
): Promise<{ seconds: number; kernels: string }> {
  const learn = await visionLearner(dls, { base, split, cacheFeatures });
  learn.freezeTo(unfreezeTo);
  const [indices] = dls.train.batchIndices(0);
  const lrs = [1e-4, 1e-4, 1e-4];
  await learn.trainBatch(indices!, { epoch: 0, batch: 0, lrs });
  let seconds = Infinity;
  for (let b = 1; b <= 2; b++) {
    const start = performance.now();
    await learn.trainBatch(indices!, { epoch: 0, batch: b, lrs });
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  const profile = await tf.profile(() => learn.trainBatch(indices!, { epoch: 0, batch: 3, lrs }));
  learn.dispose();
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const kernels = [...byKernel.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, ms]) => `${name} ${Math.round((ms / total) * 100)} %`)
    .join(", ");
  return { seconds, kernels };
}

/**
 * Teachable Machine's transfer: the body's global-average embedding computed once per image, then a
 * dense 100 + softmax trained on them for 50 epochs (tfjs's model.fit). Seconds from images to model,
 * and validation accuracy.
 */
async function headOnly(dls: DataLoaders, base: Base): Promise<{ seconds: number; accuracy: number }> {
  const start = performance.now();
  const full = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
  const body = tf.model({ inputs: full.inputs, outputs: full.getLayer(base.info.cut).output as tf.SymbolicTensor });
  const embed = (loader: DataLoaders["train"]) => {
    const indices = loader.items.map((_, i) => i);
    const chunks: tf.Tensor[] = [];
    for (let at = 0; at < indices.length; at += 32) {
      chunks.push(
        tf.tidy(() => {
          const { xs, ys } = loader.batchAt(indices.slice(at, at + 32), 0, 0, { augment: false });
          ys.dispose();
          return (body.predict(xs) as tf.Tensor4D).mean([1, 2]);
        }),
      );
    }
    const features = tf.concat(chunks);
    tf.dispose(chunks);
    return { features, targets: loader.targets(indices) };
  };
  const train = embed(dls.train);
  const valid = embed(dls.valid);
  const head = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [train.features.shape[1]!], units: 100, activation: "relu" }),
      tf.layers.dense({ units: dls.classes.length, activation: "softmax" }),
    ],
  });
  head.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  await head.fit(train.features, train.targets, { epochs: 50, batchSize: 16, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const [, accuracy] = head.evaluate(valid.features, valid.targets) as tf.Scalar[];
  const value = (await accuracy!.data())[0]!;
  tf.dispose([train.features, train.targets, valid.features, valid.targets, accuracy]);
  head.dispose();
  full.dispose();
  return { seconds, accuracy: value };
}

/** fineTune's wall time and final accuracy with `freezeEpochs` and `epochs`. */
async function fineTuned(
  dls: DataLoaders,
  base: Base,
  { epochs, fineTune, learner }: PhotoPlan,
): Promise<{ seconds: number; accuracy: number }> {
  const learn = await visionLearner(dls, { base, ...learner });
  const start = performance.now();
  const events = await learn.fineTune(epochs, fineTune);
  const seconds = (performance.now() - start) / 1000;
  learn.dispose();
  return { seconds, accuracy: 1 - events.at(-1)!.metrics.errorRate! };
}

/** A base from a Keras-MobileNet-shaped fixture (seeded weights); disposes the model. */
async function seededBase(model: tf.LayersModel): Promise<Base> {
  const base = await baseFromArtifacts(await modelArtifacts(model));
  model.dispose();
  return base;
}

export async function photoBenchmarks(): Promise<BenchRow[]> {
  const { backend } = await initNodeBackend({ task: "train" });
  const base = await seededBase(kerasMobileNetV1({ inputSize: SIZE, seed: 1 }));
  const where = `Node ${backend}, Keras MobileNet v1 0.25 shape at ${SIZE} px, seeded weights`;
  const rows: BenchRow[] = [];
  rows.push({ name: "photo base: forward (body + top)", value: await forwardSpeed(base), unit: "img/s", note: where });
  for (const [unfreezeTo, split, cacheFeatures, what] of [
    [0, "half", true, "unfrozen"],
    [-2, "half", true, "first body half frozen (unfreezeTo -2)"],
    [-2, "last-stage", true, "all but the last stage frozen (split last-stage), images through the frozen part"],
    [-2, "last-stage", "always", "all but the last stage frozen, from the frozen part's kept outputs"],
  ] as const) {
    const step = await trainingStep(photoSizedPets(base, 20), base, unfreezeTo, split, cacheFeatures);
    rows.push({
      name: `photo base: training step, 32 images, ${what}`,
      value: 32 / step.seconds,
      unit: "img/s",
      note: `kernels: ${step.kernels}`,
    });
  }
  const plain = photoSizedPets(base, 60, false);
  const frozen = await frozenEpochs(plain, base, { rounds: 3 });
  rows.push({
    name: "photo base: frozen epoch, cached features",
    value: frozen.cached,
    unit: "s",
    note: `${plain.train.items.length} images; recomputing the body: ${frozen.recomputed.toFixed(2)} s (${(frozen.recomputed / frozen.cached).toFixed(1)}×)`,
  });
  const dls = photoSizedPets(base, 60);
  const transfer = await headOnly(dls, base);
  rows.push({
    name: "photo base: head-only transfer (embeddings + dense 100, 50 epochs)",
    value: transfer.seconds,
    unit: "s",
    note: `${dls.train.items.length} training images; accuracy ${transfer.accuracy.toFixed(3)} (seeded weights: not meaningful)`,
  });
  for (const plan of PLANS) {
    const { epochs, label } = plan;
    const { freezeEpochs, unfreezeTo } = plan.fineTune;
    const { cacheFeatures, split } = plan.learner;
    const run = await fineTuned(dls, base, plan);
    const cache = cacheFeatures === "always" ? ', cacheFeatures "always"' : "";
    const splitAt = unfreezeTo === -2 ? `, split "${split}"` : "";
    rows.push({
      name: `photo base: fineTune(${epochs}, {freezeEpochs: ${freezeEpochs}, unfreezeTo: ${unfreezeTo}})${cache}${splitAt}`,
      value: run.seconds,
      unit: "s",
      note: `${label}; ${(run.seconds / transfer.seconds).toFixed(1)}× head-only's time; accuracy ${run.accuracy.toFixed(3)} (not meaningful)`,
    });
  }
  // Teachable Machine's base, MobileNet v2 0.35 (residual blocks: its last stage is cut where one tensor crosses)
  const v2 = await seededBase(kerasMobileNetV2({ inputSize: SIZE, seed: 1, classes: 0 }));
  const v2Dls = photoSizedPets(v2, 60);
  const v2Transfer = await headOnly(v2Dls, v2);
  rows.push({
    name: "photo base v2: head-only transfer (embeddings + dense 100, 50 epochs)",
    value: v2Transfer.seconds,
    unit: "s",
    note: `Keras MobileNet v2 0.35 shape at ${SIZE} px, seeded weights, no top; ${v2Dls.train.items.length} training images`,
  });
  const v2Run = await fineTuned(v2Dls, v2, { ...DEFAULTS, label: "" });
  rows.push({
    name: `photo base v2: fineTune(${DEFAULTS.epochs}, {freezeEpochs: ${DEFAULTS.fineTune.freezeEpochs}, unfreezeTo: -2}), the lessons' default`,
    value: v2Run.seconds,
    unit: "s",
    note: `${(v2Run.seconds / v2Transfer.seconds).toFixed(1)}× head-only's time`,
  });
  return rows;
}
