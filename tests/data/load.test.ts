import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { datasetFromEntries, SkipFile, type Decoder, type FileEntry, type LoadOptions } from "../../src/data/load.js";
import { ImageDecodeError } from "../../src/data/sniff.js";
import { decodeImage } from "../../src/node/decode.js";
import { fixture, flatJpeg, flatPng, rejection } from "../util/images.js";

const png = flatPng;
const jpg = (rgb: number[], width = 8, height = 8) => flatJpeg(rgb, width, height);




const RED = png([255, 0, 0, 255]);
const BLUE = png([0, 0, 255, 255]);
const cut = (bytes: Uint8Array, drop = 10) => bytes.subarray(0, bytes.length - drop);

/** Entries from {file: bytes}; `reads` counts each file's reads. */
function entriesOf(files: Record<string, Uint8Array | Error>, reads: Record<string, number> = {}): FileEntry[] {
  return Object.entries(files).map(([file, bytes]) => ({
    file,
    read: async () => {
      reads[file] = (reads[file] ?? 0) + 1;
      if (bytes instanceof Error) throw bytes;
      return bytes;
    },
  }));
}

const load = (files: Record<string, Uint8Array | Error>, options: Partial<LoadOptions> = {}) =>
  datasetFromEntries(entriesOf(files), { decode: decodeImage, ...options });

const GOOD = { "cat/a.png": RED, "dog/b.png": BLUE };


describe("datasetFromEntries(entries, options)", () => {
  it("labels each image by its folder, sorts classes and items, and decodes the pixels", async () => {
    const dataset = await load({ "dog/b.png": BLUE, "cat/z.png": RED, "cat/a.png": RED });
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.map((i) => [i.file, i.label])).toEqual([["cat/a.png", "cat"], ["cat/z.png", "cat"], ["dog/b.png", "dog"]]);
    expect(Array.from(dataset.items[0]!.image.data)).toEqual([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
    expect(Array.from(dataset.items[2]!.image.data.subarray(0, 3))).toEqual([0, 0, 255]);
    expect(dataset.skipped).toEqual([]);
  });

  // each kind of bad file, alone among good ones: reported by name with its exact reason, nothing good lost
  it.each([
    ["a zero-byte file", "cat/empty.png", new Uint8Array(0), "empty file (0 bytes)"],
    ["text named .jpg", "cat/fake.jpg", new TextEncoder().encode("<html>404 Not Found</html>"), "not an image (the bytes are not PNG or JPEG)"],
    ["a truncated PNG", "cat/cut.png", cut(png([1, 2, 3, 255], 8, 8)), "corrupt or truncated PNG: unexpected end of file"],
    ["a truncated JPEG", "dog/cut.jpg", cut(jpg([9, 9, 9], 32, 32), 200), "corrupt or truncated JPEG: unexpected end of file"],
    ["a GIF", "dog/anim.gif", fixture("orange.gif"), "unsupported format: GIF; convert it to PNG or JPEG"],
    ["a WebP named .png", "dog/photo.png", fixture("orange.webp"), "unsupported format: WebP; convert it to PNG or JPEG"],
    ["a .DS_Store", "cat/.DS_Store", new Uint8Array([0, 0, 0, 1]), "hidden file"],
    ["a macOS resource fork", "__MACOSX/cat/._a.png", RED, "hidden file"],
    ["a .txt", "cat/notes.txt", new TextEncoder().encode("cats!"), "not an image file (.txt)"],
    ["a file without an extension", "cat/README", new TextEncoder().encode("hi"), "not an image file (no extension)"],
  ])("reports %s by name and keeps the rest", async (_kind, file, bytes, reason) => {
    const dataset = await load({ ...GOOD, "cat/c.png": RED, [file]: bytes });
    expect(dataset.skipped).toEqual([{ file, reason }]);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "cat/c.png", "dog/b.png"]);
  });

  it("reports every bad file exactly once, sorted, in a folder full of them", async () => {
    const dataset = await load({
      "dog/b.png": BLUE,
      "cat/.DS_Store": new Uint8Array(8),
      "cat/a.png": RED,
      "cat/empty.jpg": new Uint8Array(0),
      "dog/anim.gif": fixture("orange.gif"),
      "dog/x.webp": fixture("orange.webp"),
      "cat/cut.jpg": cut(jpg([50, 60, 70])),
      "cat/notes.txt": new TextEncoder().encode("x"),
    });
    expect(dataset.skipped).toEqual([
      { file: "cat/.DS_Store", reason: "hidden file" },
      { file: "cat/cut.jpg", reason: "corrupt or truncated JPEG: unexpected end of file" },
      { file: "cat/empty.jpg", reason: "empty file (0 bytes)" },
      { file: "cat/notes.txt", reason: "not an image file (.txt)" },
      { file: "dog/anim.gif", reason: "unsupported format: GIF; convert it to PNG or JPEG" },
      { file: "dog/x.webp", reason: "unsupported format: WebP; convert it to PNG or JPEG" },
    ]);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "dog/b.png"]);
  });

  it("loads grayscale, alpha, CMYK JPEG, 1×1 images and non-ASCII names instead of skipping them", async () => {
    const dataset = await load({
      "chat/été_1.png": png([77], 3, 2, 0),
      "chat/alpha.png": png([0, 0, 0, 0]),
      "chat/dot.png": png([10, 20, 30, 255], 1, 1),
      "dog/犬.jpg": jpg([40, 160, 80]),
      "dog/cmyk.jpg": fixture("cmyk-quadrants.jpg"),
    });
    expect(dataset.skipped).toEqual([]);
    expect(dataset.classes).toEqual(["chat", "dog"]);
    const byFile = Object.fromEntries(dataset.items.map((i) => [i.file, i.image]));
    expect(Array.from(byFile["chat/été_1.png"]!.data)).toEqual(new Array(18).fill(77));
    expect(Array.from(byFile["chat/alpha.png"]!.data)).toEqual(new Array(12).fill(255)); // transparent → white
    expect(byFile["chat/dot.png"]).toEqual({ width: 1, height: 1, data: Uint8Array.from([10, 20, 30]) });
    expect(byFile["dog/cmyk.jpg"]!.width).toBe(16);
    const [r, g, b] = byFile["dog/犬.jpg"]!.data;
    expect(Math.abs(r! - 40) + Math.abs(g! - 160) + Math.abs(b! - 80)).toBeLessThan(12);
  });

  it("passes maxSize to the decoder and shrinks whatever it returns to fit", async () => {
    const seen: number[] = [];
    const big: Decoder = (_bytes, _file, { maxSize }) => {
      seen.push(maxSize);
      return { width: 8, height: 4, data: new Uint8Array(8 * 4 * 3).fill(90) };
    };
    const dataset = await load(GOOD, { decode: big, maxSize: 2 });
    expect(seen).toEqual([2, 2]);
    for (const item of dataset.items) expect(item.image).toEqual({ width: 4, height: 2, data: new Uint8Array(24).fill(90) });
  });

  it("shrinks real images to maxSize on their shorter side (default 256)", async () => {
    const dataset = await load({ "cat/wide.png": png([1, 2, 3, 255], 600, 300), "dog/b.png": BLUE });
    expect([dataset.items[0]!.image.width, dataset.items[0]!.image.height]).toEqual([512, 256]);
    const small = await load({ "cat/wide.png": png([1, 2, 3, 255], 600, 300), "dog/b.png": BLUE }, { maxSize: 30 });
    expect([small.items[0]!.image.width, small.items[0]!.image.height]).toEqual([60, 30]);
  });

  it("accepts an async decoder and reports its errors with the format's name", async () => {
    const failing: Decoder = async (bytes, file) => {
      if (file.startsWith("dog/")) throw new Error("bad Huffman table\nstack…");
      if (file === "cat/custom.png") throw new ImageDecodeError("image too large: 1×1 pixels; shrink it first");
      return decodeImage(bytes, file);
    };
    const dataset = await load({ ...GOOD, "cat/custom.png": RED, "dog/c.png": BLUE, "bird/x.png": RED }, { decode: failing });
    expect(dataset.skipped).toEqual([
      { file: "cat/custom.png", reason: "image too large: 1×1 pixels; shrink it first" },
      { file: "dog/b.png", reason: "corrupt or truncated PNG: bad Huffman table" },
      { file: "dog/c.png", reason: "corrupt or truncated PNG: bad Huffman table" },
    ]);
    expect(dataset.classes).toEqual(["bird", "cat"]);
  });

  it("skips an image the decoder returns malformed", async () => {
    const broken: Decoder = (bytes, file) => (file === "cat/c.png" ? { width: 2, height: 2, data: new Uint8Array(5) } : decodeImage(bytes, file));
    const dataset = await load({ ...GOOD, "cat/c.png": RED }, { decode: broken });
    expect(dataset.skipped).toEqual([{ file: "cat/c.png", reason: "the decoder returned a malformed image (2×2, 5 bytes)" }]);
  });

  it("reports a file that cannot be read, and a SkipFile's reason word for word", async () => {
    const dataset = await load({
      ...GOOD,
      "cat/locked.png": Object.assign(new Error("EACCES: permission denied, open 'cat/locked.png'"), { code: "EACCES" }),
      "dog/gone.png": new SkipFile("HTTP 404"),
    });
    expect(dataset.skipped).toEqual([
      { file: "cat/locked.png", reason: "could not read the file: EACCES: permission denied, open 'cat/locked.png'" },
      { file: "dog/gone.png", reason: "HTTP 404" },
    ]);
  });

  it("skips files outside a class folder, and files the label function refuses", async () => {
    const dataset = await load({ ...GOOD, "stray.png": RED });
    expect(dataset.skipped).toEqual([
      { file: "stray.png", reason: "no class label: the file is not inside a class folder; move it into one, e.g. cat/stray.png" },
    ]);
    // fastai's pets: the class is in the file name
    const label = (file: string) => {
      const match = /^(?:.*\/)?([a-z_]+)_\d+\.png$/i.exec(file);
      if (!match) throw new Error(`no breed in "${file}"`);
      return match[1]!;
    };
    const pets = await load({ "images/Abyssinian_1.png": RED, "images/great_pyrenees_2.png": BLUE, "images/x.png": RED }, { label });
    expect(pets.classes).toEqual(["Abyssinian", "great_pyrenees"]);
    expect(pets.skipped).toEqual([{ file: "images/x.png", reason: 'no class label: no breed in "images/x.png"' }]);
  });

  it("lets the bytes decide when names are not checked", async () => {
    const dataset = await load({ "cat/a": RED, "dog/b.txt": BLUE, "dog/.c.png": BLUE }, { checkNames: false });
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a", "dog/.c.png", "dog/b.txt"]);
  });

  it("reads each entry once, and reports progress from 0 to the total over every entry", async () => {
    const reads: Record<string, number> = {};
    const progress: [number, number][] = [];
    const files = { ...GOOD, "cat/c.png": RED, "cat/.DS_Store": new Uint8Array(1), "dog/e.png": new Uint8Array(0) };
    await datasetFromEntries(entriesOf(files, reads), { decode: decodeImage, onProgress: (done, total) => progress.push([done, total]) });
    expect(reads).toEqual({ "cat/a.png": 1, "dog/b.png": 1, "cat/c.png": 1, "dog/e.png": 1 });
    expect(progress).toEqual([[0, 5], [1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });

  it("rejects with the signal's reason when aborted before or during the load", async () => {
    const before = new AbortController();
    before.abort(new Error("stopped by the learner"));
    expect((await rejection(load(GOOD, { signal: before.signal }))).message).toBe("stopped by the learner");

    const during = new AbortController();
    const reads: Record<string, number> = {};
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${i % 2 ? "cat" : "dog"}/${i}.png`, RED]));
    const promise = datasetFromEntries(entriesOf(files, reads), {
      decode: decodeImage,
      concurrency: 1,
      signal: during.signal,
      onProgress: (done) => done === 3 && during.abort(new DOMException("cancelled", "AbortError")),
    });
    const error = await rejection(promise);
    expect(error.name).toBe("AbortError");
    expect(Object.keys(reads).length).toBe(3);
  });

  it("refuses an invalid maxSize, naming it", async () => {
    await expect(load(GOOD, { maxSize: 0 })).rejects.toThrow(/invalid maxSize: 0; it must be a positive integer/);
  });

  describe("dataset-level errors (DataError naming the folder and the fix)", () => {
    it("fewer than two classes", async () => {
      const error = await rejection(load({ "cat/a.png": RED, "cat/b.png": RED }, { source: "data/pets" }));
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(/^found 1 class \(cat\) in data\/pets; put each class's images in its own folder, e\.g\. cat\/ and dog\/$/);
    });

    it("no loadable images at all, with an example of why", async () => {
      const error = await rejection(load({ "cat/a.gif": fixture("orange.gif"), "dog/b.txt": new Uint8Array(1) }));
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(
        /^found no loadable images in the dataset; 2 files skipped, e\.g\. "cat\/a\.gif": unsupported format: GIF; .*; put each class's images in its own folder/,
      );
    });

    it("an empty class folder", async () => {
      const error = await rejection(load(GOOD, { folders: ["cat", "dog", "bird"], source: "data/pets" }));
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(/^data\/pets: class folder "bird\/" has no loadable images \(it is empty\); add images or remove the folder$/);
    });

    it("a class folder whose files were all skipped", async () => {
      const files = { ...GOOD, "bird/a.txt": new Uint8Array(1), "bird/b.png": new Uint8Array(0), "bird/c.gif": fixture("orange.gif") };
      const error = await rejection(load(files, { folders: ["bird", "cat", "dog", ".git", "__MACOSX"] }));
      expect(error.message).toMatch(/class folder "bird\/" has no loadable images \(3 skipped\); add images or remove the folder/);
    });

    it("is not raised for hidden folders, or when every folder has images", async () => {
      const dataset = await load({ ...GOOD, "__MACOSX/cat/._a.png": RED }, { folders: ["cat", "dog", "__MACOSX", ".git"] });
      expect(dataset.classes).toEqual(["cat", "dog"]);
    });
  });
});
