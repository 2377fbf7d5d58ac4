import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli as run, saveTinyBase } from "../util/cli.js";
import { writeDataset } from "../../src/node/write-dataset.js";
import { readModelDir } from "../../src/node/model-files.js";
import { trainHooks } from "../../src/cli/train.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-train-out-"));
const pets = join(root, "pets");
const baseDir = join(root, "base");
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete trainHooks.beforeSave;
});
beforeAll(async () => {
  await writeDataset(pets, { set: "pets", perClass: 4, size: 32, seed: 1 });
  await saveTinyBase(baseDir, "tiny test base");
});

/** One quick training (one frozen epoch on 8 images) writing to `out`. */
const train = (out: string) =>
  run(
    "train",
    "--data",
    pets,
    "--out",
    out,
    "--epochs",
    "0",
    "--freeze-epochs",
    "1",
    "--base",
    baseDir,
    "--backend",
    "cpu",
  );

/** `train` timed, in ms. */
async function timed(out: string) {
  const start = performance.now();
  const result = await train(out);
  return { ...result, ms: performance.now() - start };
}

const FIX = "give a path in a folder you can write, e.g. --out models/pets";

describe("dlcourse train --out", () => {
  it("refuses an --out under /proc before training, in under a second, with one line (exit 2)", async () => {
    for (const out of ["/proc/x/m", "/proc/x/m.zip"]) {
      const { code, out: stdout, err, ms } = await timed(out);
      expect({ code, stdout, err }).toEqual({
        code: 2,
        stdout: "",
        err: `dlcourse train: invalid --out: cannot create the folder /proc/x (this file system does not allow new folders there); ${FIX}\n`,
      });
      expect(ms).toBeLessThan(1000);
    }
  });

  it("refuses a path under a file, a file where the model folder would go, and a folder where the zip would go", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a model");
    const folder = join(root, "folder.zip");
    mkdirSync(folder);
    const text = join(root, "text.zip");
    writeFileSync(text, "not a zip");
    const cases: [string, string][] = [
      [join(file, "m"), `invalid --out: cannot create ${file}/m: ${file} is a file, not a folder; ${FIX}`],
      [
        join(file, "deeper", "m.zip"),
        `invalid --out: cannot create ${file}/deeper: ${file} is a file, not a folder; ${FIX}`,
      ],
      [
        file,
        `invalid --out: ${file} is a file, and the model is written as a folder (model.json + weights.bin); remove the file, give another path, or end --out with .zip to write one zip file`,
      ],
      [
        folder,
        `invalid --out: ${folder} is a folder, and an --out ending in .zip is written as one zip file; give another path, or leave out .zip to write the model into a folder`,
      ],
      [
        text,
        `invalid --out: ${text} is a file that is not a zip, and training would overwrite it; remove it or give another path`,
      ],
    ];
    for (const [out, message] of cases) {
      const { code, out: stdout, err, ms } = await timed(out);
      expect({ code, stdout, err }).toEqual({ code: 2, stdout: "", err: `dlcourse train: ${message}\n` });
      expect(ms).toBeLessThan(1000);
    }
  });

  it("refuses a folder of other files, and a path inside --data", async () => {
    const other = join(root, "other");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "mine");
    const inside = join(pets, "models", "m");
    const cases: [string, string][] = [
      [
        other,
        `invalid --out: ${other} is a folder that holds other files and no model.json; give a new or empty folder, or a model folder to replace, e.g. --out models/pets`,
      ],
      [
        inside,
        `invalid --out: ${inside} is inside the --data folder ${pets}, among the images; give a path outside it, e.g. --out models/pets`,
      ],
      [
        pets,
        `invalid --out: ${pets} is inside the --data folder ${pets}, among the images; give a path outside it, e.g. --out models/pets`,
      ],
    ];
    for (const [out, message] of cases) {
      const { code, err, ms } = await timed(out);
      expect({ code, err }).toEqual({ code: 2, err: `dlcourse train: ${message}\n` });
      expect(ms).toBeLessThan(1000);
    }
    expect(readdirSync(other)).toEqual(["notes.txt"]);
    expect(existsSync(join(pets, "models"))).toBe(false);
  });

  it("writes a new nested folder, and replaces the model in an existing model folder", async () => {
    const out = join(root, "new", "nested", "model");
    expect((await train(out)).code).toBe(0);
    const first = await readModelDir(out);
    writeFileSync(join(out, "README.md"), "kept");
    const again = await train(out);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(new RegExp(`wrote ${out}\\n$`));
    expect(readdirSync(out).sort()).toEqual(["README.md", "model.json", "weights.bin"]);
    expect((await readModelDir(out)).userDefinedMetadata).toEqual(first.userDefinedMetadata);
  });

  it("leaves nothing behind when it stops after the check (a bad --lr)", async () => {
    const out = join(root, "checked", "model");
    const result = await run(
      "train",
      "--data",
      pets,
      "--out",
      out,
      "--lr",
      "-1",
      "--base",
      baseDir,
      "--backend",
      "cpu",
    );
    expect(result.code).toBe(2);
    expect(existsSync(join(root, "checked"))).toBe(false);
  });

  it("saves the model next to --out when --out turns into a file after the check, says where, and exits 1", async () => {
    const out = join(root, "taken");
    trainHooks.beforeSave = (path) => writeFileSync(path, "in the way");
    const { code, out: stdout, err } = await train(out);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ classes: ["cat", "dog"] });
    const match =
      /could not save the model to (.*) \((.*)\); saved it to (.*) instead: move it where you want it once that is fixed\n$/.exec(
        err,
      );
    expect(match?.slice(1, 3)).toEqual([out, "a part of the path is a file, not a folder"]);
    const saved = match![3]!;
    expect(saved).toMatch(new RegExp(`^${root}/taken-unsaved-\\d{14}$`));
    expect(err).toMatch(/\ndlcourse train: could not save/);
    expect((await readModelDir(saved)).userDefinedMetadata).toMatchObject({ dlcourse: { classes: ["cat", "dog"] } });
  });

  it("saves the model in the temp folder when the folder of --out is replaced by a file after the check", async () => {
    const parent = join(root, "going");
    const out = join(parent, "model.zip");
    trainHooks.beforeSave = () => {
      rmSync(parent, { recursive: true, force: true });
      writeFileSync(parent, "in the way");
    };
    const { code, err } = await train(out);
    expect(code).toBe(1);
    const saved = /saved it to (.*) instead/.exec(err)?.[1];
    expect(saved).toMatch(new RegExp(`^${tmpdir()}/dlcourse-model-unsaved-\\d{14}\\.zip$`));
    try {
      expect(err).toContain(`could not save the model to ${out} (a part of the path is a file, not a folder)`);
      await import("../../src/export/load.js").then(async ({ loadLearner }) => {
        const learner = await loadLearner(saved!);
        expect(learner.metadata.classes).toEqual(["cat", "dog"]);
        learner.dispose();
      });
    } finally {
      rmSync(saved!, { force: true });
    }
  });
});
