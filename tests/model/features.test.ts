import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
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
    const rows = tf.tensor2d(cache.hostRows(train, [5, 0, 3], 0), [3, 32]);
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
    const first = await cache.all(valid, 0);
    expect(await cache.all(valid, 0)).toBe(first);
    expect(first.shape).toEqual([valid.items.length, 32]); // average and max of 16 channels
    const before = tf.memory().numTensors;
    const second = await cache.all(valid, 1);
    expect(second).not.toBe(first);
    expect(first.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    cache.dispose();
    expect(second.isDisposed).toBe(true);
    body.dispose();
  });
});
