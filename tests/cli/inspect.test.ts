import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run } from "../util/cli.js";
import { splitRandom } from "../../src/data/split.js";
import { comparePaths } from "../../src/data/files.js";
import { fingerprint } from "../../src/data/fingerprint.js";
import { generateDataset } from "../../src/draw/generate.js";
import { writeDataset } from "../../src/node/write-dataset.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-inspect-"));
const pets = join(root, "pets");
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await writeDataset(pets, { set: "pets", perClass: 10, size: 24, seed: 1 });
  writeFileSync(join(pets, "cat", "broken.png"), new Uint8Array(0));
  writeFileSync(join(pets, ".DS_Store"), "x");
});

describe("dlcourse inspect", () => {
  it("prints classes, counts, the seeded split and the skipped files as one JSON object", async () => {
    const { code, out } = await run("inspect", "--data", pets, "--valid-pct", "0.3", "--seed", "5");
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.classes).toEqual(["cat", "dog"]);
    expect(report.counts).toEqual({ cat: 10, dog: 10 });
    expect(report.skipped).toEqual([
      { file: ".DS_Store", reason: "hidden file" },
      { file: "cat/broken.png", reason: "empty file (0 bytes)" },
    ]);
    const files = [...report.train, ...report.valid].map((file: string) => ({ file, label: file.split("/")[0]! }));
    expect(report.valid).toEqual(
      splitRandom(files, { validPct: 0.3, seed: 5 })
        .valid.map((i) => i.file)
        .sort(),
    );
    expect(report.valid).toHaveLength(6);
    const drawn = generateDataset({ set: "pets", perClass: 10, size: 24, seed: 1 }).items.sort((a, b) =>
      comparePaths(a.file, b.file),
    );
    expect(report.fingerprint).toBe(fingerprint(drawn));
  });

  it("exits 2 with one line for a folder with one class", async () => {
    const one = join(root, "one");
    await writeDataset(one, { perClass: 2, size: 16 });
    rmSync(join(one, "dog"), { recursive: true });
    const { code, err } = await run("inspect", "--data", one);
    expect(code).toBe(2);
    expect(err).toBe(
      `dlcourse inspect: found 1 class (cat) in ${one}; put each class's images in its own folder, e.g. cat/ and dog/\n`,
    );
  });

  it("exits 2 with one line for an empty class folder", async () => {
    const empty = join(root, "empty");
    await writeDataset(empty, { perClass: 2, size: 16 });
    mkdirSync(join(empty, "fox"));
    const { code, err } = await run("inspect", "--data", empty);
    expect(code).toBe(2);
    expect(err).toMatch(
      /^dlcourse inspect: .*empty: class folder "fox\/" has no loadable images \(it is empty\); add images or remove the folder\n$/,
    );
  });

  it("says why a file could not be read in words, without errno codes", async () => {
    const linked = join(root, "linked");
    await writeDataset(linked, { perClass: 2, size: 16 });
    symlinkSync(join(root, "gone.png"), join(linked, "cat", "dangling.png"));
    const { code, out } = await run("inspect", "--data", linked);
    expect(code).toBe(0);
    expect(JSON.parse(out).skipped).toEqual([
      { file: "cat/dangling.png", reason: "could not read the file: no such file or folder" },
    ]);
  });

  it("exits 2 naming a missing folder", async () => {
    const { code, err } = await run("inspect", "--data", join(root, "nope"));
    expect(code).toBe(2);
    expect(err).toMatch(/^dlcourse inspect: folder not found: .*nope/);
  });

  it("exits 2 naming a bad --valid-pct", async () => {
    const { code, err } = await run("inspect", "--data", pets, "--valid-pct", "1.5");
    expect([code, err]).toEqual([
      2,
      "dlcourse inspect: invalid --valid-pct: 1.5; use a fraction in [0, 1), e.g. 0.2\n",
    ]);
  });
});

describe("dlcourse inspect on too few images", () => {
  it("exits 2 naming the folder when the split would leave the validation set empty", async () => {
    const tiny = join(root, "tiny");
    await writeDataset(tiny, { perClass: 1, size: 16 });
    const { code, err } = await run("inspect", "--data", tiny);
    expect(code).toBe(2);
    expect(err).toBe(
      `dlcourse inspect: ${tiny}: validPct 0.2 leaves the validation set empty (2 images, no class with 2 or more); use a validPct such as 0.2 and at least 2 images per class\n`,
    );
  });
});
