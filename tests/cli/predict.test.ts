import * as tf from "@tensorflow/tfjs";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodePng } from "../../src/node/encode.js";
import "../../src/node/model-files.js"; // learn.export(folder)
import type { Learner } from "../../src/model/learner.js";
import { runCli as run } from "../util/cli.js";
import { maxAbsDiff, trainedLearner } from "../export/helpers.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-predict-"));
const model = join(root, "model");
let learn: Learner;
let files: string[];
afterAll(() => {
  learn?.dispose();
  rmSync(root, { recursive: true, force: true });
});
beforeAll(async () => {
  learn = await trainedLearner();
  await learn.export(model);
  files = learn.dls.valid.items.slice(0, 3).map((item, i) => {
    const file = join(root, `pet-${i}.png`);
    writeFileSync(file, encodePng(item.image));
    return file;
  });
  writeFileSync(join(root, "broken.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
});

function lines(out: string): Record<string, unknown>[] {
  return out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("dlcourse predict --model MODEL_DIR FILE...", () => {
  it("prints one JSON line per file, in order: {file, label, index, probs} as learn.predict gives them", async () => {
    const { code, out, err } = await run("predict", "--model", model, "--backend", "cpu", ...files);
    expect(code, err).toBe(0);
    const results = lines(out) as { file: string; label: string; index: number; probs: number[] }[];
    expect(results.map((r) => r.file)).toEqual(files);
    const expected = await learn.predictBatch(learn.dls.valid.items.slice(0, 3).map((i) => i.image));
    for (const [i, r] of results.entries()) {
      expect(Object.keys(r)).toEqual(["file", "label", "index", "probs"]);
      expect({ label: r.label, index: r.index }).toEqual({ label: expected[i]!.label, index: expected[i]!.index });
    }
    expect(
      maxAbsDiff(
        results.map((r) => r.probs),
        expected.map((p) => p.probs),
      ),
    ).toBeLessThanOrEqual(1e-5);
  });

  it("gives an unreadable or corrupt file a line {file, error}, still predicts the others, and exits 1", async () => {
    const missing = join(root, "nothing.png");
    const { code, out } = await run(
      "predict",
      "--model",
      model,
      "--backend",
      "cpu",
      files[0]!,
      join(root, "broken.png"),
      missing,
      files[1]!,
    );
    expect(code).toBe(1);
    const results = lines(out);
    expect(results.map((r) => Object.keys(r))).toEqual([
      ["file", "label", "index", "probs"],
      ["file", "error"],
      ["file", "error"],
      ["file", "label", "index", "probs"],
    ]);
    expect(results[1]).toEqual({
      file: join(root, "broken.png"),
      error: expect.stringMatching(/^corrupt or truncated PNG/),
    });
    expect(results[2]).toEqual({
      file: missing,
      error: "could not read the file (no such file or folder); check the path",
    });
  });

  it("leaves no tensor behind", async () => {
    await run("predict", "--model", model, "--backend", "cpu", files[0]!);
    const before = tf.memory().numTensors;
    await run("predict", "--model", model, "--backend", "cpu", ...files);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("takes files after -- even when they start with a dash", async () => {
    const dashed = join(root, "-dash.png");
    writeFileSync(dashed, encodePng(learn.dls.valid.items[0]!.image));
    const { code, out } = await run("predict", "--model", model, "--backend", "cpu", "--", dashed);
    expect(code).toBe(0);
    expect(lines(out)[0]!.file).toBe(dashed);
  });

  it("rejects bad usage in one line, exit 2: no --model, no files, a folder that is not a model, an unknown option, a bad --backend", async () => {
    const cases: [string[], RegExp][] = [
      [
        [files[0]!],
        /^dlcourse predict: missing --model MODEL_DIR; give the folder `dlcourse train --out` \(or learn.export\) wrote\n$/,
      ],
      [
        ["--model", model],
        /^dlcourse predict: missing FILE; give one or more image files \(or folders of them\) to predict, e\.g\. dlcourse predict --model models\/pets cat\.png\n$/,
      ],
      [
        ["--model", root, "--backend", "cpu", files[0]!],
        new RegExp(
          `^dlcourse predict: invalid --model: ${root} is a folder without model\\.json; give the folder \\(or \\.zip\\) \`dlcourse train --out\` or learn\\.export wrote\n$`,
        ),
      ],
      [
        ["--model", join(root, "no-model"), "--backend", "cpu", files[0]!],
        new RegExp(
          `^dlcourse predict: invalid --model: ${root}/no-model does not exist; give the folder \\(or \\.zip\\) \`dlcourse train --out\` or learn\\.export wrote\n$`,
        ),
      ],
      [
        ["--model", model, "-k", "3", files[0]!],
        /^dlcourse predict: unexpected argument "-k"; options are --model, --backend\n$/,
      ],
      [
        ["--model", model, "--backend", "webgl", files[0]!],
        /^dlcourse predict: invalid --backend: "webgl"; use --backend wasm or --backend cpu\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await run("predict", ...args);
      expect({ code, out }).toEqual({ code: 2, out: "" });
      expect(err).toMatch(message);
    }
  });

  it("predicts the images in a folder and its subfolders, in path order, leaving out hidden and non-image files", async () => {
    const photos = join(root, "photos");
    mkdirSync(join(photos, "b", "deeper"), { recursive: true });
    mkdirSync(join(photos, ".hidden"));
    const png = (i: number) => encodePng(learn.dls.valid.items[i]!.image);
    writeFileSync(join(photos, "b", "deeper", "z.png"), png(0));
    writeFileSync(join(photos, "b", "a.PNG"), png(1));
    writeFileSync(join(photos, "c.png"), png(2));
    writeFileSync(join(photos, "a.png"), png(0));
    writeFileSync(join(photos, "notes.txt"), "not an image");
    writeFileSync(join(photos, ".x.png"), png(1));
    writeFileSync(join(photos, ".hidden", "y.png"), png(1));
    const { code, out, err } = await run("predict", "--model", model, "--backend", "cpu", files[0]!, `${photos}/`);
    expect(code, err).toBe(0);
    const results = lines(out) as { file: string; label: string }[];
    expect(results.map((r) => r.file)).toEqual([
      files[0]!,
      join(photos, "a.png"),
      join(photos, "b", "a.PNG"),
      join(photos, "b", "deeper", "z.png"),
      join(photos, "c.png"),
    ]);
    const one = lines((await run("predict", "--model", model, "--backend", "cpu", join(photos, "b", "a.PNG"))).out);
    expect(results[2]).toEqual(one[0]);
  });

  it("refuses a folder with no image files in one line, exit 2, before loading the model", async () => {
    const empty = join(root, "no-images");
    mkdirSync(join(empty, "sub"), { recursive: true });
    writeFileSync(join(empty, "sub", "readme.txt"), "x");
    const { code, out, err } = await run("predict", "--model", join(root, "no-model"), empty);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toBe(
      `dlcourse predict: no image files in the folder ${empty} or its subfolders (looked for .png .jpg .jpeg .jpe .jfif .gif .webp .bmp .tif .tiff .heic .heif .avif); give image files or a folder that holds some\n`,
    );
  });

  it("--help says what each line holds and what the exit status means", async () => {
    const { code, out } = await run("predict", "--help");
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: dlcourse predict --model MODEL_DIR \[--backend wasm\|cpu\] FILE\|DIR\.\.\./);
    expect(out).toMatch(
      /A DIR stands for the image files in it\nand its subfolders \(hidden ones left out\), in path order\./,
    );
    expect(out).toMatch(/Exit status: 0 when every file was predicted, 1 when any file failed, 2 for bad usage\./);
  });
});
