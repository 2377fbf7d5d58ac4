import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { runCli as run, saveTinyBase } from "../util/cli.js";
import { writeDataset } from "../../src/node/write-dataset.js";
import { readModelDir } from "../../src/node/model-files.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-train-"));
const pets = join(root, "pets");
const baseDir = join(root, "base");
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await writeDataset(pets, { set: "pets", perClass: 12, size: 48, seed: 1 });
  writeFileSync(join(pets, "dog", "broken.png"), new Uint8Array(0));
  await saveTinyBase(baseDir, "tiny test base");
});

/** One frozen and one unfrozen epoch on the pets, 25 % held out, seed 3, writing to `out`. */
const trainOneEpoch = (out: string, ...more: string[]) =>
  run(
    "train",
    "--data",
    pets,
    "--out",
    out,
    "--epochs",
    "1",
    "--base",
    baseDir,
    "--backend",
    "cpu",
    "--valid-pct",
    "0.25",
    "--seed",
    "3",
    ...more,
  );

describe("dlcourse train", () => {
  it("fine-tunes, prints one JSON summary, reports skipped files, and writes a loadable model", async () => {
    const out = join(root, "model");
    const result = await trainOneEpoch(out);
    expect(result.code, result.err).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({
      classes: ["cat", "dog"],
      trainCount: 18,
      validCount: 6,
      skipped: [{ file: "dog/broken.png" }],
    });
    expect(summary.epochs.map((e: { phase: string; epoch: number }) => `${e.phase} ${e.epoch}`)).toEqual([
      "frozen 0",
      "unfrozen 0",
    ]);
    for (const e of summary.epochs) {
      expect(Object.keys(e).sort()).toEqual(["epoch", "errorRate", "phase", "seconds", "trainLoss", "validLoss"]);
      expect(Number.isFinite(e.validLoss)).toBe(true);
    }
    expect(result.err).toMatch(/skipped dog\/broken.png: /);
    expect(result.err).toMatch(
      /training on cpu: 18 training and 6 validation images, classes cat, dog; base tiny test base/,
    );
    expect(result.err).toMatch(/unfrozen epoch 1: train loss \d\.\d{4}, valid loss \d\.\d{4}, error rate \d\.\d{4}/);
    const artifacts = await readModelDir(out);
    expect(artifacts.userDefinedMetadata).toMatchObject({
      dlcourse: {
        format: "dl-course/image-classifier",
        version: 1,
        classes: ["cat", "dog"],
        inputSize: 32,
        resize: "crop",
        base: "tiny test base",
        pretrained: true,
        training: { trainCount: 18, validCount: 6 },
      },
    });
    expect(
      (artifacts.userDefinedMetadata as { dlcourse: { training: { epochs: unknown[] } } }).dlcourse.training.epochs,
    ).toHaveLength(2);
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    model.dispose();
  });

  it("says --no-pretrained in its progress line", async () => {
    const result = await run(
      "train",
      "--data",
      pets,
      "--out",
      join(root, "scratch"),
      "--epochs",
      "0",
      "--freeze-epochs",
      "1",
      "--base",
      baseDir,
      "--backend",
      "cpu",
      "--no-pretrained",
    );
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/base tiny test base \(random weights\)/);
  });

  it("rejects a bad learning rate with the option, the value and the fix (exit 2)", async () => {
    const result = await run(
      "train",
      "--data",
      pets,
      "--out",
      join(root, "x"),
      "--lr",
      "-1",
      "--base",
      baseDir,
      "--backend",
      "cpu",
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/invalid --lr: -1; use a positive learning rate, e\.g\. 2e-3/);
  });

  it("stops a run whose loss explodes (--lr 1e6) with the flag to lower, saves nothing and exits 1", async () => {
    const out = join(root, "exploded");
    const result = await trainOneEpoch(out, "--lr", "1e6");
    expect(result.code, result.err).toBe(1);
    expect(result.out).toBe("");
    const line = result.err.trim().split("\n").at(-1)!;
    expect(line).toMatch(
      /^dlcourse train: training diverged in frozen epoch 1, batch \d+: the (validation )?loss rose to /,
    );
    expect(line).toMatch(/Use a lower learning rate, e\.g\. --lr 1e5; nothing was saved$/);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects a missing --out and a bad --backend in one line", async () => {
    expect((await run("train", "--data", pets)).err).toMatch(
      /missing --out MODEL_DIR; say where to write the trained model/,
    );
    expect((await run("train", "--data", pets, "--out", "o", "--backend", "webgl")).err).toMatch(
      /invalid --backend: "webgl"; use --backend wasm or --backend cpu/,
    );
  });

  it("names the base folder when it cannot be read", async () => {
    const result = await run(
      "train",
      "--data",
      pets,
      "--out",
      join(root, "y"),
      "--base",
      join(root, "nothing"),
      "--backend",
      "cpu",
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/invalid --base: could not read .*nothing\/model.json/);
  });

  it("stops on Ctrl-C after the current batch, saves nothing and exits 130", async () => {
    const out = join(root, "interrupted");
    const bin = join(import.meta.dirname, "..", "..", "bin", "dlcourse.js");
    const child = spawn(
      process.execPath,
      [bin, "train", "--data", pets, "--out", out, "--epochs", "500", "--base", baseDir, "--backend", "cpu"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (d) => {
        err += d;
        if (/epoch 1:/.test(err) && !child.killed) child.kill("SIGINT");
      });
      child.on("close", resolve);
    });
    expect(code, err).toBe(130);
    expect(err).toMatch(/stopped; nothing saved\n$/);
    expect(stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
