import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run, saveTinyBase } from "../util/cli.js";
import { writeDataset } from "../../src/node/write-dataset.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-top-losses-"));
const pets = join(root, "pets");
const baseDir = join(root, "base");
const model = join(root, "model");
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await writeDataset(pets, { set: "pets", perClass: 12, size: 48, seed: 2 });
  await saveTinyBase(baseDir);
  const trained = await run(
    "train",
    "--data",
    pets,
    "--out",
    model,
    "--epochs",
    "1",
    "--base",
    baseDir,
    "--backend",
    "cpu",
  );
  expect(trained.code, trained.err).toBe(0);
}, 60_000);

describe("dlcourse top-losses", () => {
  it("prints the k highest losses over all items, highest first, with the label's probability", async () => {
    const { code, out, err } = await run("top-losses", "--model", model, "--data", pets, "-k", "5");
    expect(code, err).toBe(0);
    const top = JSON.parse(out) as { file: string; label: string; predicted: string; loss: number; prob: number }[];
    expect(top).toHaveLength(5);
    for (let i = 1; i < top.length; i++) expect(top[i]!.loss).toBeLessThanOrEqual(top[i - 1]!.loss);
    for (const r of top) {
      expect(Object.keys(r).sort()).toEqual(["file", "label", "loss", "predicted", "prob"]);
      expect(r.prob).toBeCloseTo(Math.exp(-r.loss), 5);
      expect(r.file.startsWith(`${r.label}/`)).toBe(true);
    }
  });

  it("ranks only the validation split with --split valid (the split train made)", async () => {
    const all = JSON.parse((await run("top-losses", "--model", model, "--data", pets, "-k", "100")).out);
    const valid = JSON.parse(
      (await run("top-losses", "--model", model, "--data", pets, "-k", "100", "--split", "valid")).out,
    );
    const inspected = JSON.parse((await run("inspect", "--data", pets)).out) as { valid: string[] };
    expect(all).toHaveLength(24);
    expect(valid.map((r: { file: string }) => r.file).sort()).toEqual([...inspected.valid].sort());
  });

  it("rejects a folder without learner metadata, and a bad -k, in one line each", async () => {
    expect((await run("top-losses", "--model", baseDir, "--data", pets)).err).toMatch(
      /invalid --model: .*base has no dl-course metadata \(userDefinedMetadata.dlcourse with classes, inputSize, resize, normalization\); export the model with learn.export\(...\) or `dlcourse train --out`/,
    );
    expect((await run("top-losses", "--model", model, "--data", pets, "-k", "0")).err).toMatch(
      /invalid -k: 0; use a positive number of images, e\.g\. 20/,
    );
    expect((await run("top-losses", "--data", pets)).err).toMatch(/missing --model MODEL_DIR/);
  });
});
