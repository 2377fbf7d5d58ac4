import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run } from "../util/cli.js";
import { initBackend } from "../../src/backend/backend.js";
import { kerasMobileNetV1 } from "../../src/model/keras-mobilenet.js";
import { readModelDir, saveModelDir } from "../../src/node/model-files.js";
import { writeDataset } from "../../src/node/write-dataset.js";
import { serveStatic } from "../browser/server.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-train-base-"));
const pets = join(root, "pets");
const mobilenetDir = join(root, "mobilenet");
const plainDir = join(root, "plain");
const photoDir = join(root, "photo-sized");
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
  await writeDataset(pets, { set: "pets", perClass: 8, size: 64, seed: 2 });
  const mobilenet = kerasMobileNetV1({ inputSize: 64, seed: 1 });
  await saveModelDir(mobilenet, mobilenetDir, {});
  mobilenet.dispose();
  const photoSized = kerasMobileNetV1({ inputSize: 224, seed: 1 });
  await saveModelDir(photoSized, photoDir, {});
  photoSized.dispose();
  const plain = tf.sequential({
    name: "plain_cnn",
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 4, kernelSize: 3, name: "features" }),
      tf.layers.globalAveragePooling2d({ name: "pool" }),
      tf.layers.dense({ units: 3, activation: "softmax", name: "classes" }),
    ],
  });
  await saveModelDir(plain, plainDir, {});
  plain.dispose();
  server = await serveStatic(join(root, "none"), {
    "/mobilenet/model.json": await readFile(join(mobilenetDir, "model.json")),
    "/mobilenet/weights.bin": await readFile(join(mobilenetDir, "weights.bin")),
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const train = (out: string, ...more: string[]) =>
  run("train", "--data", pets, "--out", join(root, out), "--epochs", "1", "--backend", "cpu", "--seed", "3", ...more);

describe("dlcourse train --base URL|DIR", () => {
  it("recognises a Keras MobileNet served from a URL, says so, and fine-tunes it with no other flags", async () => {
    const result = await train("from-url", "--base", `${server.url}/mobilenet/model.json`);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toContain(
      "base recognised as Keras MobileNet v1 (alpha 0.25): 64×64 inputs scaled to [-1, 1], the head goes on conv_pw_13_relu",
    );
    expect(JSON.parse(result.out).epochs.map((e: { phase: string }) => e.phase)).toEqual(["frozen", "unfrozen"]);
    const saved = await readModelDir(join(root, "from-url"));
    const meta = (saved.userDefinedMetadata as { dlcourse: { normalization: unknown; inputSize: number } }).dlcourse;
    expect(meta).toMatchObject({ inputSize: 64, normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } });
  });

  it("refuses a model it does not recognise, naming --base-normalize, and trains it once given", async () => {
    const refused = await train("plain-refused", "--base", plainDir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `the base ${plainDir} is not one the course recognises (its own base or a Keras MobileNet) and the base does not say how its inputs are normalised; give --base-normalize "[-1,1]" (or imagenet, or R,G,B/R,G,B), and --base-cut, --base-size or --base-normalize for the other settings it lacks`,
    );
    const given = await train("plain", "--base", plainDir, "--base-normalize", "imagenet", "--base-size", "32");
    expect(given.code, given.err).toBe(0);
    expect(given.err).toMatch(/base plain_cnn/);
  });

  it("rejects a bad --base-normalize, --base-size or --base-cut before any work", async () => {
    expect((await train("x", "--base", plainDir, "--base-normalize", "0.5,0.5")).err).toContain(
      'invalid --base-normalize: "0.5,0.5"; use "[-1,1]" (Keras MobileNet), "[0,1]", imagenet, or MEAN_R,MEAN_G,MEAN_B/STD_R,STD_G,STD_B',
    );
    expect((await train("x", "--base", plainDir, "--base-size", "big")).err).toContain(
      'invalid --base-size: "big"; give the side of the base\'s square inputs, e.g. 224',
    );
    const badCut = await train("x", "--base", mobilenetDir, "--base-cut", "conv_pw_99_relu");
    expect(badCut.code).toBe(2);
    expect(badCut.err).toContain('invalid --base: invalid cut: "conv_pw_99_relu"; the base has no such layer');
  });

  it("gives a 224 px base its own defaults and says so: 30 cached frozen epochs, 1 with the last stage", async () => {
    const result = await run(
      "train",
      "--data",
      pets,
      "--out",
      join(root, "photo-model"),
      "--base",
      photoDir,
      "--seed",
      "3",
    );
    expect(result.code, result.err).toBe(0);
    expect(result.err).toContain(
      "fine-tuning with a 224 px base: 30 frozen epochs on features computed once, then 1 with the body's last stage unfrozen (--epochs, --freeze-epochs and --unfreeze-to change it)",
    );
    const phases = JSON.parse(result.out).epochs.map((e: { phase: string }) => e.phase);
    expect(phases).toEqual([...Array(30).fill("frozen"), "unfrozen"]);
    // what trained: the last stage (conv_pw_13), not the layers before it (conv1), and every batchnorm
    // kept the base's own moving statistics (bodyBatchnorm "moving")
    const [base, trained] = await Promise.all(
      [photoDir, join(root, "photo-model")].map(async (dir) =>
        tf.loadLayersModel(tf.io.fromMemory(await readModelDir(dir))),
      ),
    );
    const values = (model: tf.LayersModel, layer: string) =>
      model
        .getLayer(layer)
        .getWeights()
        .map((w) => Array.from(w.dataSync()));
    expect(values(trained, "conv1")).toEqual(values(base, "conv1"));
    expect(values(trained, "conv_pw_13")).not.toEqual(values(base, "conv_pw_13"));
    for (const layer of ["conv1_bn", "conv_pw_12_bn", "conv_pw_13_bn"]) {
      const [baseGamma, , ...baseStats] = values(base, layer);
      const [gamma, , ...stats] = values(trained, layer);
      expect(stats).toEqual(baseStats);
      if (layer === "conv_pw_13_bn") expect(gamma).not.toEqual(baseGamma);
    }
    base.dispose();
    trained.dispose();
    const refused = await train("x", "--base", photoDir, "--unfreeze-to", "-1");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "invalid --unfreeze-to: -1; give the first parameter group to train after the frozen epochs",
    );
  });
});
