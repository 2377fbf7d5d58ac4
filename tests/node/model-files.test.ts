import * as tf from "@tensorflow/tfjs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { readModelDir, saveModelDir } from "../../src/node/model-files.js";
import { createBody } from "../../src/model/base.js";
import { expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("saveModelDir(model, dir, metadata) / readModelDir(dir)", () => {
  it("round-trips a model: tf.loadLayersModel of what was written predicts the same", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dlcourse-model-"));
    const model = createBody({ inputSize: 32, stem: 4, blocks: [[8, 2]], seed: 4 });
    const { bytes } = await saveModelDir(model, dir, { base: { note: "hi" } });
    const artifacts = await readModelDir(dir);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(bytes);
    expect(artifacts.userDefinedMetadata).toEqual({ base: { note: "hi" } });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 9);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expectTensorsClose(b, a);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it("writes the same bytes for the same weights (no timestamps)", async () => {
    const [one, two] = [await mkdtemp(join(tmpdir(), "dlcourse-a-")), await mkdtemp(join(tmpdir(), "dlcourse-b-"))];
    for (const dir of [one, two]) {
      const model = createBody({ inputSize: 32, stem: 4, blocks: [[8, 2]], seed: 4 });
      await saveModelDir(model, dir, {});
      model.dispose();
    }
    for (const file of ["model.json", "weights.bin"])
      expect(await readFile(join(two, file))).toEqual(await readFile(join(one, file)));
  });

  it("names the folder and the fix when there is no model.json", async () => {
    await expect(readModelDir("/nonexistent/model")).rejects.toThrow(
      /could not read \/nonexistent\/model\/model.json: .*; give a folder made by `npm run pretrain` or `dlcourse train --out`/,
    );
  });
});
