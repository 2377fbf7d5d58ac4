import * as tf from "@tensorflow/tfjs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/node/model-files.js";
import { createImage, type RgbImage } from "../../src/data/image.js";
import { resizeImage } from "../../src/data/resize.js";
import { loadLearner } from "../../src/export/load.js";
import { preprocess } from "../../src/export/predict.js";
import type { Learner } from "../../src/model/learner.js";
import { expectNoLeakedTensors } from "../util/tensors.js";
import { maxAbsDiff, trainedLearner } from "./helpers.js";

let learn: Learner;
let images: RgbImage[];
beforeAll(async () => {
  learn = await trainedLearner();
  images = learn.dls.valid.items.map((item) => item.image);
});
afterAll(() => learn?.dispose());

describe("learn.predict(image)", () => {
  it("gives fastai's {label, index, probs}: the most probable class, its index, probabilities in class order", async () => {
    const { label, index, probs } = await learn.predict(images[0]!);
    expect(probs).toHaveLength(2);
    expect(probs[0]! + probs[1]!).toBeCloseTo(1, 6);
    expect(index).toBe(probs[0]! >= probs[1]! ? 0 : 1);
    expect(label).toBe(learn.classes[index]);
  });

  it("gives the probabilities validation computes for the same images (max abs diff ≤ 1e-5)", async () => {
    const { probs, targets } = await learn.predictions(learn.dls.valid);
    const expected = (await probs.array()) as number[][];
    tf.dispose([probs, targets]);
    const predicted = await learn.predictBatch(images);
    expect(
      maxAbsDiff(
        predicted.map((p) => p.probs),
        expected,
      ),
    ).toBeLessThanOrEqual(1e-5);
  });

  it("takes a [h, w, 3] tensor of 0–255 values like the same pixels, and leaves it undisposed", async () => {
    const image = images[1]!;
    const tensor = tf.tensor3d(Array.from(image.data), [image.height, image.width, 3], "int32");
    const [fromTensor, fromPixels] = [await learn.predict(tensor), await learn.predict(image)];
    expect(fromTensor.probs).toEqual(fromPixels.probs);
    expect(tensor.isDisposed).toBe(false);
    tensor.dispose();
  });

  it("leaves no tensor behind", async () => {
    await expectNoLeakedTensors(() => learn.predictBatch(images.slice(0, 5)));
  });

  it("rejects a tensor that is not [h, w, 3], naming its shape and the fix", async () => {
    const batch = tf.zeros([1, 8, 8, 3]);
    await expect(learn.predict(batch as tf.Tensor3D)).rejects.toThrow(
      "invalid image tensor: shape [1, 8, 8, 3]; give [height, width, 3] with values 0–255, as tf.browser.fromPixels(image) gives",
    );
    batch.dispose();
  });

  it("says that a file needs a browser to decode, and what to do in Node", async () => {
    const file = new File([new Uint8Array([0x89, 0x50])], "cat.png");
    await expect(learn.predict(file)).rejects.toThrow(
      /cannot read cat\.png here: decoding it needs a browser \(createImageBitmap\); in Node decode the file first .*predict\(decodeImage\(bytes, file\)\)/,
    );
  });
});

describe("learn.predictBatch(images)", () => {
  it("gives what predict gives for each image, in order, across chunks of 64", async () => {
    const many = Array.from({ length: 70 }, (_, i) => images[i % images.length]!);
    const batch = await learn.predictBatch(many);
    expect(batch).toHaveLength(70);
    const single = await learn.predict(images[3]!);
    expect(
      maxAbsDiff([batch[3]!.probs, batch[3 + images.length]!.probs], [single.probs, single.probs]),
    ).toBeLessThanOrEqual(1e-6);
  });
});

describe("preprocess(images, meta)", () => {
  it("resizes by the metadata's mode and normalises (pixel / 255 − mean) / std per channel, NHWC", () => {
    const image = createImage(48, 32);
    image.data.forEach((_, i) => (image.data[i] = (i * 7) % 256));
    const meta = {
      classes: ["a", "b"],
      inputSize: 16,
      resize: "pad" as const,
      normalization: {
        mean: [0.5, 0.4, 0.3] as [number, number, number],
        std: [0.2, 0.25, 0.5] as [number, number, number],
      },
    };
    const xs = preprocess([image], meta);
    expect(xs.shape).toEqual([1, 16, 16, 3]);
    const resized = resizeImage(image, 16, { mode: "pad" });
    const values = xs.dataSync();
    for (const k of [0, 100, 401, 767])
      expect(values[k]).toBeCloseTo(
        (resized.data[k]! / 255 - meta.normalization.mean[k % 3]!) / meta.normalization.std[k % 3]!,
        5,
      );
    xs.dispose();
  });

  it("first shrinks an image whose shorter side is over 256 px, as loading a dataset does", async () => {
    const big = createImage(600, 512);
    big.data.forEach((_, i) => (big.data[i] = (i * 13) % 256));
    const { downscaleToFit } = await import("../../src/data/downscale.js");
    const meta = {
      classes: ["a", "b"],
      inputSize: 32,
      resize: "crop" as const,
      normalization: learn.dls.valid.options.normalization,
    };
    const [direct, shrunk] = [preprocess([big], meta), preprocess([downscaleToFit(big, 256)], meta)];
    expect(Array.from(direct.dataSync())).toEqual(Array.from(shrunk.dataSync()));
    tf.dispose([direct, shrunk]);
  });
});

describe("loadLearner(dir).predict(image)", () => {
  it("gives the same probabilities after export and reload as before (max abs diff ≤ 1e-5), leaving no tensor behind", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "dlcourse-parity-")), "model");
    await learn.export(dir);
    const before = (await learn.predictBatch(images)).map((p) => p.probs);
    const after = await expectNoLeakedTensors(async () => {
      const loaded = await loadLearner(dir);
      const predictions = await loaded.predictBatch(images);
      loaded.dispose();
      return predictions.map((p) => p.probs);
    });
    expect(maxAbsDiff(after, before)).toBeLessThanOrEqual(1e-5);
  });
});
