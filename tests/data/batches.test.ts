import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { DataLoader, dataLoaders, trainSubset } from "../../src/data/batches.js";
import { generatedDataset } from "../../src/draw/generate.js";
import type { Dataset, ImageItem } from "../../src/data/dataset.js";
import { createImage } from "../../src/data/image.js";
import { resizeImage } from "../../src/data/resize.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** Item i is a 12×12 image of one grey level (10 + i), label "a" for even i and "b" for odd. */
function items(n: number): ImageItem[] {
  return Array.from({ length: n }, (_, i) => {
    const image = createImage(12, 12);
    image.data.fill(10 + i);
    return { file: `${i % 2 ? "b" : "a"}/${String(i).padStart(3, "0")}.png`, label: i % 2 ? "b" : "a", image };
  });
}
const plain = { mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };

describe("new DataLoader(items, classes, options)", () => {
  it("serves [batch, size, size, 3] pixels / 255 (normalised) and one-hot labels, in order", () => {
    const dl = new DataLoader(items(5), ["a", "b"], { size: 8, batchSize: 2, normalization: { mean: [0.1, 0.1, 0.1], std: [0.5, 0.5, 0.5] } });
    const batches = [...dl.batches()];
    expect(batches.map((b) => b.xs.shape)).toEqual([[2, 8, 8, 3], [2, 8, 8, 3], [1, 8, 8, 3]]);
    expect(batches[0]!.xs.dataSync()[0]).toBeCloseTo((10 / 255 - 0.1) / 0.5, 6);
    expect(batches[1]!.xs.dataSync()[8 * 8 * 3]).toBeCloseTo((13 / 255 - 0.1) / 0.5, 6);
    expect(batches[0]!.ys.arraySync()).toEqual([[1, 0], [0, 1]]);
    expect(batches[2]!.items.map((i) => i.file)).toEqual(["a/004.png"]);
    for (const b of batches) tf.dispose([b.xs, b.ys]);
  });

  it("resizes an item the first time a batch or image(i) needs it, once, to the pixels resizeImage gives", () => {
    const reads: number[] = [];
    // items that count how often their full-size pixels are read
    const counted = items(6).map((item, i) => ({
      ...item,
      get image() {
        reads.push(i);
        return item.image;
      },
    }));
    const dl = new DataLoader(counted, ["a", "b"], { size: 8, batchSize: 2, normalization: plain });
    expect(reads).toEqual([]); // making the loader resized nothing
    const first = dl.batchAt([4, 1]);
    expect(reads).toEqual([4, 1]);
    const again = dl.batchAt([1, 4, 0]);
    expect(reads).toEqual([4, 1, 0]); // 1 and 4 not again
    expect(dl.image(5).data).toEqual(resizeImage(items(6)[5]!.image, 8, { mode: "crop" }).data);
    expect(reads).toEqual([4, 1, 0, 5]);
    // a flat grey 12×12 stays that grey at 8×8: item 4 is 14, item 1 is 11, item 0 is 10
    expect(first.xs.dataSync()[0]).toBeCloseTo(14 / 255, 6);
    expect(again.xs.dataSync()[0]).toBeCloseTo(11 / 255, 6);
    expect(again.xs.dataSync()[2 * 8 * 8 * 3]).toBeCloseTo(10 / 255, 6);
    tf.dispose([first.xs, first.ys, again.xs, again.ys]);
  });

  it("normalises each channel with its own mean and std (hand-derived)", () => {
    const image = createImage(8, 8);
    for (let k = 0; k < image.data.length; k += 3) image.data.set([51, 102, 204], k);
    const dl = new DataLoader([{ file: "a/x.png", label: "a", image }], ["a", "b"], { size: 8, normalization: { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 0.2] } });
    const [{ xs, ys }] = [...dl.batches()];
    expect(Array.from(xs!.dataSync().slice(0, 3)).map((v) => v.toFixed(5))).toEqual([(0.2 - 0.1) / 0.5, (0.4 - 0.2) / 0.25, (0.8 - 0.3) / 0.2].map((v) => v.toFixed(5)));
    tf.dispose([xs!, ys!]);
  });

  it("counts batches, dropping a short last one only when asked", () => {
    expect(new DataLoader(items(10), ["a", "b"], { batchSize: 4 }).length).toBe(3);
    expect(new DataLoader(items(10), ["a", "b"], { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(items(3), ["a", "b"], { batchSize: 4, dropLast: true }).length).toBe(1);
  });

  it("shuffles with the seed: a permutation per epoch, the same for the same seed and epoch", () => {
    const dl = new DataLoader(items(20), ["a", "b"], { shuffle: true, seed: 1 });
    const again = new DataLoader(items(20), ["a", "b"], { shuffle: true, seed: 1 });
    expect(dl.order(0)).toEqual(again.order(0));
    expect(dl.order(0)).not.toEqual(dl.order(1));
    expect(dl.order(1).slice().sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(new DataLoader(items(20), ["a", "b"], { shuffle: true, seed: 2 }).order(0)).not.toEqual(dl.order(0));
  });

  it("augments deterministically: same seed and epoch, same pixels; different epoch, different pixels", () => {
    const make = () => new DataLoader(items(4), ["a", "b"], { size: 8, batchSize: 4, augment: { brightness: 0.3 }, normalization: plain, seed: 3 });
    const first = make().batches(0).next().value!;
    const again = make().batches(0).next().value!;
    const later = make().batches(1).next().value!;
    expect(first.xs.arraySync()).toEqual(again.xs.arraySync());
    expect(first.xs.arraySync()).not.toEqual(later.xs.arraySync());
    expect(first.xs.dataSync()[0]).not.toBeCloseTo(10 / 255, 3);
    tf.dispose([first.xs, first.ys, again.xs, again.ys, later.xs, later.ys]);
  });

  it("leaks no tensor over epochs when each batch is disposed, nor when an epoch stops early", async () => {
    const dl = new DataLoader(items(9), ["a", "b"], { size: 8, batchSize: 2, shuffle: true, augment: {} });
    await expectNoLeakedTensors(() => {
      for (let epoch = 0; epoch < 3; epoch++) for (const { xs, ys } of dl.batches(epoch)) tf.dispose([xs, ys]);
      for (const { xs, ys } of dl.batches(4)) {
        tf.dispose([xs, ys]);
        break;
      }
    });
  });

  it("rejects bad settings, naming the value and the fix", () => {
    expect(() => new DataLoader(items(2), ["a", "b"], { size: 4 })).toThrow(/^invalid size: 4; use an integer from 8 to 512, e.g. 64$/);
    expect(() => new DataLoader(items(2), ["a", "b"], { batchSize: 0 })).toThrow(/^invalid batchSize: 0; use a positive integer, e.g. 32$/);
    expect(() => new DataLoader(items(2), ["a", "b"], { resize: "zoom" as never })).toThrow(/^invalid resize: "zoom"; use "squish", "crop" or "pad"$/);
    expect(() => new DataLoader(items(2), ["a"])).toThrow(/^item b\/001.png has label "b", not one of the classes a$/);
  });
});

describe("dataLoaders(dataset, options)", () => {
  const dataset: Dataset = { classes: ["a", "b"], items: items(20), skipped: [] };

  it("splits, then shuffles and augments only the training set", () => {
    const dls = dataLoaders(dataset, { validPct: 0.2, seed: 42, size: 8, batchSize: 4 });
    expect([dls.train.items.length, dls.valid.items.length]).toEqual([16, 4]);
    expect(dls.train.options).toMatchObject({ shuffle: true, dropLast: true, augment: {} });
    expect(dls.valid.options).toMatchObject({ shuffle: false, dropLast: false, augment: false });
    expect(dls.valid.order(3)).toEqual([0, 1, 2, 3]);
  });
});

describe("trainSubset(dls, perClass)", () => {
  it("keeps the first perClass training images of each class, unaugmented, and the same validation loader", () => {
    const dls = dataLoaders(generatedDataset({ set: "pets", perClass: 10, size: 24, seed: 3 }), { validPct: 0.2, seed: 3, size: 16, batchSize: 4 });
    const small = trainSubset(dls, 3, { batchSize: 16 });
    expect(small.train.items.map((i) => i.file)).toEqual([
      ...dls.split.train.filter((i) => i.label === "cat").slice(0, 3).map((i) => i.file),
      ...dls.split.train.filter((i) => i.label === "dog").slice(0, 3).map((i) => i.file),
    ]);
    expect(small.valid).toBe(dls.valid);
    expect(small.train.options).toMatchObject({ augment: false, batchSize: 6, dropLast: false, size: 16, shuffle: true });
    expect(small.train.length).toBe(1);
    expect(() => trainSubset(dls, 0)).toThrow("invalid perClass: 0; use a positive whole number of training images per class, e.g. 8");
  });
});
