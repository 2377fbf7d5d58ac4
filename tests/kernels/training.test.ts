import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels } from "../../src/kernels/index.js";
import { seededRandom } from "../../src/random.js";
import { onStockCpu, useBackend } from "./helpers.js";
import { mobileNetLike } from "./mobilenet.js";

const SIZE = 16;
const BATCH = 16;
const BATCHES = 4;
const EPOCHS = 4;

/** Bright (class 1) and dark (class 0) noisy 16×16 images, alternating, seeded: [BATCH·BATCHES, 16, 16, 3]. */
function brightOrDark(): { images: Float32Array; labels: number[] } {
  const random = seededRandom(77);
  const count = BATCH * BATCHES;
  const images = new Float32Array(count * SIZE * SIZE * 3);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    labels.push(label);
    const base = label === 1 ? 0.65 : 0.35;
    for (let j = 0; j < SIZE * SIZE * 3; j++) images[i * SIZE * SIZE * 3 + j] = base + 0.5 * (random() - 0.5);
  }
  return { images, labels };
}

interface Run {
  /** Tensors and backend data buffers alive after each step (from the second on: no growth). */
  alive: { tensors: number; buffers: number }[];
  losses: number[];
  accuracies: number[];
  /** Accuracy of the trained model (inference mode) on all the images. */
  accuracy: number;
}

/** Trains the MobileNet-like model (seeded init) with Adam on the fixed batches, in order, on the active backend. */
async function train(): Promise<Run> {
  const { images, labels } = brightOrDark();
  const model = mobileNetLike({ size: SIZE, classes: 2, widths: [8, 16], seed: 3, momentum: 0.5 });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const per = SIZE * SIZE * 3;
  const batches = Array.from({ length: BATCHES }, (_, b) => ({
    xs: tf.tensor4d(images.subarray(b * BATCH * per, (b + 1) * BATCH * per), [BATCH, SIZE, SIZE, 3]),
    ys: tf.oneHot(tf.tensor1d(labels.slice(b * BATCH, (b + 1) * BATCH), "int32"), 2),
  }));
  const run: Run = { alive: [], losses: [], accuracies: [], accuracy: 0 };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const { xs, ys } of batches) {
      const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
      run.losses.push(loss!);
      run.accuracies.push(accuracy!);
      run.alive.push({ tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds() });
    }
  }
  run.accuracy = tf.tidy(() => {
    const all = tf.tensor4d(images, [BATCH * BATCHES, SIZE, SIZE, 3]);
    const predicted = (model.predict(all) as tf.Tensor).argMax(-1).dataSync();
    return labels.filter((label, i) => predicted[i] === label).length / labels.length;
  });
  for (const { xs, ys } of batches) tf.dispose([xs, ys]);
  model.dispose();
  return run;
}

describe("model.trainOnBatch of the MobileNet-like model for 4 epochs", () => {
  let reference: Run;

  beforeAll(async () => {
    reference = await onStockCpu(train);
  });

  it("learns the task on stock cpu (the reference is meaningful)", () => {
    expect(reference.losses.at(-1)!).toBeLessThan(reference.losses[0]! * 0.5);
    expect(reference.accuracy).toBe(1);
  });

  for (const backend of ["wasm", "cpu"] as const) {
    it(`on ${backend} with the training kernels follows stock cpu's losses within 1e-3 and reaches the same accuracy`, async () => {
      registerTrainingKernels();
      await useBackend(backend);
      const run = await train();
      run.losses.forEach((loss, i) =>
        expect(Math.abs(loss - reference.losses[i]!), `loss at step ${i}`).toBeLessThan(
          1e-3 * Math.max(1, reference.losses[i]!),
        ),
      );
      expect(run.accuracies).toEqual(reference.accuracies);
      expect(run.accuracy).toBe(reference.accuracy);
      expect(
        new Set(run.alive.slice(1).map((a) => JSON.stringify(a))).size,
        "tensors/buffers alive after steps 2…16",
      ).toBe(1);
    });
  }
});
