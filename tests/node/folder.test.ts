import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { datasetFromFolder, listFiles } from "../../src/node/folder.js";
import { fixture, flatJpeg, flatPng, rejection } from "../util/images.js";

const png = flatPng;
const jpg = (rgb: number[], width = 16, height = 16) => flatJpeg(rgb, width, height);

let root: string;

/** Writes `files` ({"cat/a.png": bytes}) under a fresh temp dir; "dir/" keys make empty folders. */
function tree(files: Record<string, Uint8Array | string>): string {
  for (const [path, bytes] of Object.entries(files)) {
    const full = join(root, ...path.split("/"));
    if (path.endsWith("/")) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, bytes);
    }
  }
  return root;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "dl-course-folder-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("listFiles(dir)", () => {
  it("lists every file, hidden ones too, as sorted relative paths with / separators", async () => {
    tree({
      "dog/b.png": "x",
      "cat/a.png": "x",
      "cat/.DS_Store": "x",
      "cat/deep/c.png": "x",
      "empty/": "",
      "notes.txt": "x",
    });
    expect(await listFiles(root)).toEqual(["cat/.DS_Store", "cat/a.png", "cat/deep/c.png", "dog/b.png", "notes.txt"]);
  });

  it("follows symbolic links, walking a linked folder once even in a cycle", async () => {
    tree({ "cat/a.png": "x" });
    symlinkSync(join(root, "cat"), join(root, "cat", "loop"));
    symlinkSync(join(root, "cat", "a.png"), join(root, "linked.png"));
    expect(await listFiles(root)).toEqual(["cat/a.png", "linked.png"]);
  });

  it("throws a DataError naming a missing folder", async () => {
    const error = await rejection(listFiles(join(root, "nope")));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      `folder not found: ${join(root, "nope")}; check the path (it should hold one subfolder per class, e.g. cat/ and dog/)`,
    );
  });
});

describe("datasetFromFolder(dir, options)", () => {
  it("loads dir/<class>/<images> with the folder as label, decoding the pixels", async () => {
    tree({ "cat/a.png": png([255, 0, 0, 255]), "dog/b.png": png([0, 0, 255, 255]), "dog/c.jpg": jpg([30, 200, 40]) });
    const dataset = await datasetFromFolder(root);
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.map((i) => [i.file, i.label])).toEqual([
      ["cat/a.png", "cat"],
      ["dog/b.png", "dog"],
      ["dog/c.jpg", "dog"],
    ]);
    expect(Array.from(dataset.items[0]!.image.data)).toEqual([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
    expect(dataset.skipped).toEqual([]);
  });

  it("reports a zero-byte file by name and keeps the rest", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255]), "cat/empty.png": "", "dog/b.png": png([2, 2, 2, 255]) });
    const dataset = await datasetFromFolder(root);
    expect(dataset.skipped).toEqual([{ file: "cat/empty.png", reason: "empty file (0 bytes)" }]);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "dog/b.png"]);
  });

  it("reports each kind of bad file once with its reason, and loads every good one", async () => {
    const photo = jpg([90, 90, 90], 32, 32);
    const picture = png([5, 6, 7, 255], 8, 8);
    tree({
      ".DS_Store": "x",
      "cat/.DS_Store": "x",
      "cat/a.png": png([255, 0, 0, 255]),
      "cat/été_1.png": png([0, 0, 0, 0]),
      "cat/gray.jpg": fixture("gray77.jpg"),
      "cat/readme.txt": "cats",
      "cat/empty.jpg": "",
      "cat/fake.png": "<!doctype html>",
      "cat/cut.png": picture.subarray(0, picture.length - 13),
      "dog/犬.jpg": photo,
      "dog/cmyk.jpg": fixture("cmyk-quadrants.jpg"),
      "dog/dot.png": png([1, 2, 3, 255], 1, 1),
      "dog/cut.jpg": photo.subarray(0, photo.length - 100),
      "dog/anim.gif": fixture("orange.gif"),
      "dog/pic.webp": fixture("orange.webp"),
      "__MACOSX/dog/._dot.png": "x",
    });
    const dataset = await datasetFromFolder(root);
    expect(dataset.skipped).toEqual([
      { file: ".DS_Store", reason: "hidden file" },
      { file: "__MACOSX/dog/._dot.png", reason: "hidden file" },
      { file: "cat/.DS_Store", reason: "hidden file" },
      { file: "cat/cut.png", reason: "corrupt or truncated PNG: unexpected end of file" },
      { file: "cat/empty.jpg", reason: "empty file (0 bytes)" },
      { file: "cat/fake.png", reason: "not an image (the bytes are not PNG or JPEG)" },
      { file: "cat/readme.txt", reason: "not an image file (.txt)" },
      { file: "dog/anim.gif", reason: "unsupported format: GIF; convert it to PNG or JPEG" },
      { file: "dog/cut.jpg", reason: "corrupt or truncated JPEG: unexpected end of file" },
      { file: "dog/pic.webp", reason: "unsupported format: WebP; convert it to PNG or JPEG" },
    ]);
    expect(dataset.items.map((i) => i.file)).toEqual([
      "cat/a.png",
      "cat/gray.jpg",
      "cat/été_1.png",
      "dog/cmyk.jpg",
      "dog/dot.png",
      "dog/犬.jpg",
    ]);
    const white = dataset.items.find((i) => i.file === "cat/été_1.png")!;
    expect(Array.from(white.image.data)).toEqual(new Array(12).fill(255));
  });

  it("reports a file that cannot be read (a dangling link) and keeps going", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255]), "dog/b.png": png([2, 2, 2, 255]) });
    symlinkSync(join(root, "cat", "deleted.png"), join(root, "cat", "gone.png"));
    const dataset = await datasetFromFolder(root);
    expect(dataset.skipped).toHaveLength(1);
    expect(dataset.skipped[0]!.file).toBe("cat/gone.png");
    expect(dataset.skipped[0]!.reason).toMatch(/^could not read the file: ENOENT: no such file or directory/);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "dog/b.png"]);
  });

  it("takes a root manifest.json as metadata, not as a skipped file", async () => {
    tree({
      "cat/a.png": png([1, 1, 1, 255]),
      "dog/b.png": png([2, 2, 2, 255]),
      "manifest.json": '[{"file":"cat/a.png"}]',
    });
    const dataset = await datasetFromFolder(root);
    expect(dataset.manifest).toEqual([{ file: "cat/a.png" }]);
    expect(dataset.skipped).toEqual([]);
  });

  it("shrinks to maxSize and reports progress", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255], 40, 20), "dog/b.png": png([2, 2, 2, 255]) });
    const progress: number[] = [];
    const dataset = await datasetFromFolder(root, { maxSize: 10, onProgress: (done) => progress.push(done) });
    expect([dataset.items[0]!.image.width, dataset.items[0]!.image.height]).toEqual([20, 10]);
    expect(progress).toEqual([0, 1, 2]);
  });

  it("throws a DataError naming an empty class folder", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255]), "dog/b.png": png([2, 2, 2, 255]), "bird/": "" });
    const error = await rejection(datasetFromFolder(root));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /: class folder "bird\/" has no loadable images \(it is empty\); add images or remove the folder$/,
    );
    expect(error.message.startsWith(root)).toBe(true);
  });

  it("throws a DataError naming a class folder whose files were all skipped", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255]), "dog/a.gif": fixture("orange.gif"), "dog/b.txt": "x", "dog/c.png": "" });
    const error = await rejection(datasetFromFolder(root));
    expect(error.message).toMatch(
      /class folder "dog\/" has no loadable images \(3 skipped\); add images or remove the folder/,
    );
  });

  it("throws a DataError for a single class, naming the folder", async () => {
    tree({ "cat/a.png": png([1, 1, 1, 255]), "cat/b.png": png([1, 1, 1, 255]) });
    const error = await rejection(datasetFromFolder(root));
    expect(error.message).toBe(
      `found 1 class (cat) in ${root}; put each class's images in its own folder, e.g. cat/ and dog/`,
    );
  });

  it("throws a DataError naming a missing path, or a file given as the folder", async () => {
    const missing = join(root, "no-such-dir");
    const error = await rejection(datasetFromFolder(missing));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      new RegExp(`^folder not found: ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; check the path`),
    );
    tree({ "file.png": png([1, 1, 1, 255]) });
    const notDir = await rejection(datasetFromFolder(join(root, "file.png")));
    expect(notDir).toBeInstanceOf(DataError);
    expect(notDir.message).toMatch(/^not a folder: .*file\.png; give the folder that holds one subfolder per class/);
  });

  it("uses a custom decoder and label when given", async () => {
    tree({ "imgs/cat_1.png": png([1, 1, 1, 255]), "imgs/dog_1.png": png([2, 2, 2, 255]) });
    const dataset = await datasetFromFolder(root, {
      label: (file) => file.split("/").pop()!.split("_")[0]!,
      decode: () => ({ width: 1, height: 1, data: Uint8Array.from([7, 7, 7]) }),
    });
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(Array.from(dataset.items[0]!.image.data)).toEqual([7, 7, 7]);
  });
});
