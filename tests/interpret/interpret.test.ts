import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { createImage } from "../../src/data/image.js";
import {
  confusionMatrix,
  interpret,
  mostConfused,
  scoreItem,
  topLosses,
  type Interpretation,
} from "../../src/interpret/interpret.js";
import { visionLearner } from "../../src/model/learner.js";
import { tinyBase, tinyPets } from "../model/helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

const image = createImage(2, 2);
const item = (file: string, label: string) => ({ file, label, image });
const classes = ["cat", "dog", "owl"];
/** Five hand-made results: two cats right, a cat taken for a dog, a dog for a cat, an owl for a dog. */
const hand: Interpretation = {
  classes,
  items: [
    scoreItem(item("cat/1.png", "cat"), [0.9, 0.05, 0.05], 0, classes, "valid"),
    scoreItem(item("cat/2.png", "cat"), [0.6, 0.3, 0.1], 0, classes, "train"),
    scoreItem(item("cat/3.png", "cat"), [0.2, 0.7, 0.1], 0, classes, "valid"),
    scoreItem(item("dog/1.png", "dog"), [0.5, 0.4, 0.1], 1, classes, "valid"),
    scoreItem(item("owl/1.png", "owl"), [0.1, 0.8, 0.1], 2, classes, "valid"),
  ],
};

describe("scoreItem(item, probs, label, classes, split)", () => {
  it("takes the most probable class as the prediction and −ln p(label) as the loss", () => {
    expect(hand.items[2]).toMatchObject({ label: "cat", predicted: "dog", split: "valid" });
    expect(hand.items[2]!.loss).toBeCloseTo(-Math.log(0.2), 12);
  });
});

describe("topLosses(interp, k, {label, split})", () => {
  it("returns the k highest losses, highest first, optionally for one label or split", () => {
    // losses: −ln 0.9, −ln 0.6, −ln 0.2, −ln 0.4, −ln 0.1
    expect(topLosses(hand, 3).map((r) => r.file)).toEqual(["owl/1.png", "cat/3.png", "dog/1.png"]);
    expect(topLosses(hand, 5, { label: "cat" }).map((r) => r.file)).toEqual(["cat/3.png", "cat/2.png", "cat/1.png"]);
    expect(topLosses(hand, 5, { split: "train" }).map((r) => r.file)).toEqual(["cat/2.png"]);
  });

  it("rejects a bad k or an unknown label, naming the fix", () => {
    expect(() => topLosses(hand, -1)).toThrow("invalid k: -1; use a whole number of items, e.g. 9");
    expect(() => topLosses(hand, 3, { label: "cow" })).toThrow('invalid label: "cow"; use one of cat, dog, owl');
  });
});

describe("confusionMatrix(interp) / mostConfused(interp, minCount)", () => {
  it("counts actual × predicted, keeps the items of each cell, and ranks the off-diagonal pairs", () => {
    const { counts, items } = confusionMatrix(hand);
    expect(counts).toEqual([
      [2, 1, 0],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(items[0]![1]!.map((r) => r.file)).toEqual(["cat/3.png"]);
    expect(mostConfused(hand)).toEqual([
      ["cat", "dog", 1],
      ["dog", "cat", 1],
      ["owl", "dog", 1],
    ]);
    expect(mostConfused(hand, 2)).toEqual([]);
  });
});

describe("interpret(learn, {split})", () => {
  it("scores every validation item; the mean item loss is the learner's validation loss", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase() });
    await learn.fit(1, 1e-2);
    const before = tf.memory().numTensors;
    const interp = await interpret(learn);
    expect(tf.memory().numTensors).toBe(before);
    expect(interp.items.map((r) => r.file)).toEqual(dls.valid.items.map((i) => i.file));
    for (const r of interp.items) expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const { validLoss } = await learn.validate();
    expect(interp.items.reduce((a, r) => a + r.loss, 0) / interp.items.length).toBeCloseTo(validLoss, 5);
    learn.dispose();
  });

  it("scores training items unaugmented (the same twice), and all = train + valid", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase() });
    const [a, b] = [await interpret(learn, { split: "train" }), await interpret(learn, { split: "train" })];
    expect(a.items.map((r) => r.loss)).toEqual(b.items.map((r) => r.loss));
    const all = await interpret(learn, { split: "all" });
    expect(all.items.length).toBe(dls.train.items.length + dls.valid.items.length);
    await expect(interpret(learn, { split: "test" as "all" })).rejects.toThrow(
      'invalid split: "test"; use "valid", "train" or "all"',
    );
    learn.dispose();
  });
});
