import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { batchImages } from "../../src/data/batch-images.js";
import { normalizeTensor } from "../../src/data/normalize.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("batchImages(xs, normalization)", () => {
  it("undoes normalizeTensor: bytes / 255, normalised, come back as the same bytes", async () => {
    const stats = { mean: [0.4, 0.5, 0.6] as [number, number, number], std: [0.2, 0.25, 0.3] as [number, number, number] };
    const bytes = Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const xs = tf.tidy(() => normalizeTensor(tf.tensor4d(bytes, [3, 2, 2, 3]).div(255), stats)) as tf.Tensor4D;
    const images = await expectNoLeakedTensors(() => batchImages(xs, stats));
    expect(images.map((im) => [im.width, im.height])).toEqual([[2, 2], [2, 2], [2, 2]]);
    expect(images.flatMap((im) => Array.from(im.data))).toEqual(bytes);
    xs.dispose();
  });
});
