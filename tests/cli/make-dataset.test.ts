import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as run } from "../util/cli.js";
import { generateDataset } from "../../src/draw/generate.js";
import { datasetFromFolder } from "../../src/node/folder.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-make-dataset-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("dlcourse make-dataset", () => {
  it("writes DIR/<label>/<name>.png and a manifest that load back as every file, label and pixel", async () => {
    const out = join(root, "pets");
    const result = await run(
      "make-dataset",
      "--out",
      out,
      "--per-class",
      "12",
      "--size",
      "32",
      "--seed",
      "3",
      "--noise",
      "0.25",
    );
    expect(result).toEqual({
      code: 0,
      err: "",
      out: `wrote 24 images in 2 classes (cat, dog) to ${out}; 6 labels flipped; manifest: ${out}/manifest.json\n`,
    });

    const expected = generateDataset({ set: "pets", perClass: 12, size: 32, seed: 3, noise: 0.25 });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toEqual(
      expected.items.map(({ file, label, trueLabel, ambiguous }) => ({ file, label, trueLabel, ambiguous })),
    );

    const loaded = await datasetFromFolder(out);
    expect(loaded.skipped).toEqual([]);
    expect(loaded.classes).toEqual(["cat", "dog"]);
    const byFile = new Map(loaded.items.map((item) => [item.file, item]));
    expect([...byFile.keys()].sort()).toEqual(expected.items.map((i) => i.file).sort());
    for (const item of expected.items) {
      const back = byFile.get(item.file)!;
      expect(back.label).toBe(item.label);
      expect(back.image.data).toEqual(item.image.data);
    }
  });

  it("writes the pretraining classes with --set pretrain", async () => {
    const out = join(root, "pretrain");
    expect(
      (await run("make-dataset", "--out", out, "--set", "pretrain", "--per-class", "2", "--size", "24")).code,
    ).toBe(0);
    const { classes } = await datasetFromFolder(out);
    expect(classes.length).toBeGreaterThanOrEqual(10);
    expect(classes).not.toContain("cat");
    expect(classes).not.toContain("dog");
  });

  it("--help names the classes each set has: pets (cat, dog), and as many pretrain classes as --set pretrain writes", async () => {
    const help = await run("make-dataset", "--help");
    expect(help.code).toBe(0);
    const out = join(root, "pretrain-count");
    expect(
      (await run("make-dataset", "--out", out, "--set", "pretrain", "--per-class", "1", "--size", "16")).code,
    ).toBe(0);
    const { classes } = await datasetFromFolder(out);
    expect(help.out).toContain(
      `  --set        pets (cat, dog) or pretrain (${classes.length} other classes); default pets\n`,
    );
    expect(help.out).toContain("pretrain (20 other classes)");
  });

  it("refuses an --out that cannot be written before drawing, in under a second, with one line (exit 2)", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    const fix = "give a path in a folder you can write, e.g. --out data/pets";
    const cases: [string, string][] = [
      [
        "/proc/x/pets",
        `invalid --out: cannot create the folder /proc/x (this file system does not allow new folders there); ${fix}`,
      ],
      [join(file, "pets"), `invalid --out: cannot create ${file}/pets: ${file} is a file, not a folder; ${fix}`],
      [
        file,
        `invalid --out: ${file} is a file, and the images are written into a folder; remove the file or give another path, e.g. --out data/pets`,
      ],
    ];
    for (const [out, message] of cases) {
      const start = performance.now();
      const result = await run("make-dataset", "--out", out, "--per-class", "2000", "--size", "256");
      expect(performance.now() - start).toBeLessThan(1000);
      expect(result).toEqual({ code: 2, out: "", err: `dlcourse make-dataset: ${message}\n` });
    }
  });

  it("names the path and the problem, in words, when writing fails after the check (exit 1)", async () => {
    const out = join(root, "blocked");
    mkdirSync(out);
    writeFileSync(join(out, "cat"), "a file where the cat folder goes");
    expect(await run("make-dataset", "--out", out, "--per-class", "2", "--size", "16")).toEqual({
      code: 1,
      out: "",
      err: `dlcourse make-dataset: could not write ${out}/cat/pets_00001.png (a part of the path is a file, not a folder); fix that or give another --out, and run make-dataset again\n`,
    });
  });

  it("leaves no folder behind when an option is refused after the --out check", async () => {
    const out = join(root, "unmade", "pets");
    expect((await run("make-dataset", "--out", out, "--per-class", "0")).code).toBe(2);
    expect(existsSync(join(root, "unmade"))).toBe(false);
  });

  it.each([
    [["--per-class", "5"], "missing --out DIR; say where to write the images, e.g. --out data/pets"],
    [["--out", "x", "--set", "cars"], 'invalid --set: "cars"; use --set pets or --set pretrain'],
    [["--out", "x", "--seed", "1.5"], 'invalid --seed: "1.5"; use an integer, e.g. 42'],
    [["--out", "x", "--noise", "0.9"], "invalid --noise: 0.9; use a fraction in [0, 0.5)"],
    [["--out", "x", "--per-class", "0"], "invalid --per-class: 0; use a positive integer (at most 100000)"],
  ])("exits 2 on %j with one line naming the option, the value and the fix", async (args, message) => {
    const result = await run("make-dataset", ...args);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`dlcourse make-dataset: ${message}\n`);
  });
});
