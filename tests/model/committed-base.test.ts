import * as tf from "@tensorflow/tfjs";
import { statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { generatedDataset } from "../../src/draw/generate.js";
import { PRETRAIN_CLASSES } from "../../src/draw/pretrain.js";
import { DataLoader } from "../../src/data/batches.js";
import { pretrainStats } from "../../src/data/normalize.js";
import { DEFAULT_BASE_DIR, loadBaseFrom } from "../../src/node/base.js";
import { readModelDir } from "../../src/node/model-files.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("data/models/base (what npm run pretrain wrote)", () => {
  it("is a tfjs layers model under 5 MB whose metadata says how it was made", async () => {
    const bytes =
      statSync(join(DEFAULT_BASE_DIR, "weights.bin")).size + statSync(join(DEFAULT_BASE_DIR, "model.json")).size;
    expect(bytes).toBeLessThanOrEqual(5e6);
    const { info } = await loadBaseFrom();
    expect(info).toMatchObject({ name: "course base", inputSize: 64, cut: "body_out", normalization: pretrainStats });
    expect(info.classes).toEqual([...PRETRAIN_CLASSES]);
    expect(info.classes).not.toContain("cat");
    expect(info.classes).not.toContain("dog");
    const p = info.pretraining as Record<string, unknown>;
    expect(p.command).toBe(
      `npm run pretrain -- --seed ${p.seed} --per-class ${p.perClass} --epochs ${p.epochs} --lr ${p.lr}`,
    );
    expect(p.seconds as number).toBeLessThanOrEqual(45 * 60);
    expect(p.heldOutAccuracy as number).toBeGreaterThanOrEqual(0.9);
  });

  it("is really pretrained: it names pretrain images it never saw (another seed) far above chance", async () => {
    const model = await tf.loadLayersModel(tf.io.fromMemory(await readModelDir(DEFAULT_BASE_DIR)));
    const { classes, items } = generatedDataset({ set: "pretrain", perClass: 5, size: 96, seed: 2026 });
    const loader = new DataLoader(items, classes, { size: 64, batchSize: 64 });
    let correct = 0;
    for (const { xs, ys } of loader.batches()) {
      correct += tf.tidy(
        () =>
          tf
            .equal((model.predict(xs) as tf.Tensor).argMax(1), ys.argMax(1))
            .sum()
            .dataSync()[0]!,
      );
      tf.dispose([xs, ys]);
    }
    model.dispose();
    expect(correct / items.length).toBeGreaterThanOrEqual(0.75); // chance is 1/20
  });
});
