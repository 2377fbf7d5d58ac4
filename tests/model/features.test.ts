import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { createBody } from "../../src/model/base.js";
import { Head } from "../../src/model/head.js";
import { FeatureCache } from "../../src/model/features.js";
import { tinyPets, TINY } from "./helpers.js";
import { expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("new FeatureCache(body)", () => {
  it("hostRows(loader, indices, version) gives the pooled inference outputs of the body for those items", () => {
    const body = createBody({ ...TINY, seed: 2 });
    const head = new Head([4, 4, 16], 2);
    const { train } = tinyPets({ augment: false });
    const cache = new FeatureCache(body, (f) => head.pool(f));
    const rows = tf.tensor2d(cache.hostRows(train, [5, 0, 3], { body: 0, lower: 0 }), [3, 32]);
    const { xs, ys } = train.batchAt([5, 0, 3]);
    const want = head.pool(body.apply(xs, { training: false }) as tf.Tensor4D);
    expectTensorsClose(rows, want, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([rows, xs, ys, want]);
    cache.dispose();
    body.dispose();
  });

  it("computes once per version: the same version reuses, a new version recomputes", async () => {
    const body = createBody({ ...TINY, seed: 2 });
    const head = new Head([4, 4, 16], 2);
    const { valid } = tinyPets();
    const cache = new FeatureCache(body, (f) => head.pool(f));
    const first = await cache.all(valid, { body: 0, lower: 0 });
    expect(await cache.all(valid, { body: 0, lower: 0 })).toBe(first);
    expect(first.shape).toEqual([valid.items.length, 32]); // average and max of 16 channels
    const before = tf.memory().numTensors;
    const second = await cache.all(valid, { body: 1, lower: 1 });
    expect(second).not.toBe(first);
    expect(first.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    cache.dispose();
    expect(second.isDisposed).toBe(true);
    body.dispose();
  });

  it("with halves, keeps the first half's outputs from the same pass, up to maxLowerBytes", async () => {
    const body = createBody({ ...TINY, seed: 2 });
    const head = new Head([4, 4, 16], 2);
    const at = body.layers.findIndex((l) => l.name === "block2_dw");
    const lower = tf.model({ inputs: body.inputs, outputs: body.layers[at - 1]!.output as tf.SymbolicTensor });
    const cut = tf.input({ shape: lower.outputs[0]!.shape.slice(1) as number[] });
    const top = body.layers.slice(at).reduce((y, l) => l.apply(y) as tf.SymbolicTensor, cut);
    const halves = { lower, upper: tf.model({ inputs: cut, outputs: top }) };
    const { train } = tinyPets({ augment: false });
    const perItem = (lower.outputs[0]!.shape.slice(1) as number[]).reduce((a, b) => a * b, 1) * 4;
    const cache = new FeatureCache(body, (f) => head.pool(f), { halves, maxLowerBytes: train.items.length * perItem });
    const pooled = cache.hostRows(train, [0, 1], { body: 0, lower: 0 });
    const batchAt = vi.spyOn(train, "batchAt");
    const kept = cache.lowerBatch(train, [4, 1], { body: 0, lower: 0 })!;
    expect(batchAt).not.toHaveBeenCalled(); // filled by hostRows' pass
    // a new body version with the same first half: pooled features from the kept outputs, no image read
    const again = cache.hostRows(train, [0, 1], { body: 1, lower: 0 });
    expect(batchAt).not.toHaveBeenCalled();
    expect(Array.from(again)).toEqual(Array.from(pooled));
    batchAt.mockRestore();
    const { xs, ys } = train.batchAt([4, 1], 0, 0, { augment: false });
    const want = lower.predict(xs) as tf.Tensor4D;
    expectTensorsClose(kept, want, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([kept, xs, ys, want]);
    cache.dispose();
    const small = new FeatureCache(body, (f) => head.pool(f), {
      halves,
      maxLowerBytes: train.items.length * perItem - 1,
    });
    expect(small.lowerBatch(train, [0], { body: 0, lower: 0 })).toBeNull();
    const off = new FeatureCache(body, (f) => head.pool(f), { halves, keepLower: () => false });
    expect(off.lowerBatch(train, [0], { body: 0, lower: 0 })).toBeNull();
    small.dispose();
    off.dispose();
    body.dispose();
  });
});
