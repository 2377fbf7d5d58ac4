import { describe, expect, it } from "vitest";
import { strToU8, zipSync, type Zippable } from "fflate";
import { DataError } from "../../src/data/dataset.js";
import { datasetFromZip, zipEntries } from "../../src/data/zip.js";
import { decodeImage } from "../../src/node/decode.js";
import { fixture, flatJpeg, flatPng, rejection } from "../util/images.js";

const png = flatPng;
const jpg = (rgb: number[], width = 16, height = 16) => flatJpeg(rgb, width, height);




const RED = png([255, 0, 0, 255]);
const BLUE = png([0, 0, 255, 255]);

/** A zip of {path: bytes}; "dir/" keys with empty bytes are directory entries. */
const zip = (files: Zippable) => zipSync(files);

/** The zip with one entry's compression method (in the central directory) set to an unknown 99. */
function breakEntry(archive: Uint8Array, name: string): Uint8Array {
  const out = archive.slice();
  for (let i = 0; i + 46 < out.length; i++) {
    if (out[i] === 0x50 && out[i + 1] === 0x4b && out[i + 2] === 1 && out[i + 3] === 2) {
      const length = out[i + 28]! | (out[i + 29]! << 8);
      if (new TextDecoder().decode(out.subarray(i + 46, i + 46 + length)) === name) out[i + 10] = 99;
    }
  }
  return out;
}


describe("zipEntries(bytes)", () => {
  it("strips a single top folder, drops directory entries but keeps their folders, and takes out manifest.json", async () => {
    const contents = zipEntries(
      zip({
        "pets/": new Uint8Array(0),
        "pets/dog/b.png": BLUE,
        "pets/cat/a.png": RED,
        "pets/bird/": new Uint8Array(0),
        "pets/manifest.json": strToU8('{"classes":["cat","dog"]}'),
      }),
    );
    expect(contents.entries.map((e) => e.file)).toEqual(["cat/a.png", "dog/b.png"]);
    expect(contents.folders).toEqual(["bird", "cat", "dog"]);
    expect(contents.manifest).toEqual({ classes: ["cat", "dog"] });
    expect(await contents.entries[0]!.read()).toEqual(RED);
  });

  it("keeps paths as they are when files sit in several top folders, or a top folder is the only class", () => {
    expect(zipEntries(zip({ "cat/a.png": RED, "dog/b.png": BLUE })).entries.map((e) => e.file)).toEqual(["cat/a.png", "dog/b.png"]);
    const single = zipEntries(zip({ "cat/a.png": RED, "cat/b.png": RED }));
    expect(single.entries.map((e) => e.file)).toEqual(["cat/a.png", "cat/b.png"]);
    expect(single.folders).toEqual(["cat"]);
    expect(single.manifest).toBeUndefined();
    expect("manifest" in single).toBe(false);
  });

  it("strips the top folder of a macOS zip, leaving __MACOSX files to be reported", () => {
    const contents = zipEntries(zip({ "pets/cat/a.png": RED, "pets/dog/b.png": BLUE, "__MACOSX/pets/cat/._a.png": RED }));
    expect(contents.entries.map((e) => e.file)).toEqual(["__MACOSX/pets/cat/._a.png", "cat/a.png", "dog/b.png"]);
    expect(contents.folders).toEqual(["cat", "dog"]);
  });

  it("keeps non-ASCII names", () => {
    const contents = zipEntries(zip({ "chat/été_1.png": RED, "dog/犬.jpg": BLUE }));
    expect(contents.entries.map((e) => e.file)).toEqual(["chat/été_1.png", "dog/犬.jpg"]);
  });

  it("throws 'not a readable zip archive' for bytes that are not a zip, or a cut-off one", () => {
    for (const bytes of [strToU8("not a zip at all, just some text here"), zip({ "cat/a.png": RED }).subarray(0, 60), new Uint8Array(0)]) {
      let error: unknown;
      try {
        zipEntries(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(/^not a readable zip archive: invalid zip data; check the file is a complete \.zip$/);
    }
  });

  it("throws a DataError for a manifest.json that is not JSON", () => {
    expect(() => zipEntries(zip({ "cat/a.png": RED, "manifest.json": strToU8("{nope") }))).toThrow(
      /^manifest\.json in the zip archive is unreadable \(.*\); fix it or remove it$/,
    );
  });
});

describe("datasetFromZip(bytes, options)", () => {
  it("loads a zip of class folders, reporting each bad file once by name", async () => {
    const photo = jpg([20, 180, 60], 32, 32);
    const dataset = await datasetFromZip(
      zip({
        "pets/cat/a.png": RED,
        "pets/cat/été_1.png": png([0, 0, 0, 0]),
        "pets/cat/.DS_Store": new Uint8Array(4),
        "pets/cat/notes.txt": strToU8("hi"),
        "pets/cat/empty.png": new Uint8Array(0),
        "pets/dog/犬.jpg": photo,
        "pets/dog/cmyk.jpg": fixture("cmyk-quadrants.jpg"),
        "pets/dog/cut.jpg": photo.subarray(0, 300),
        "pets/dog/anim.gif": fixture("orange.gif"),
        "pets/dog/fake.png": strToU8("<html></html>"),
        "pets/manifest.json": strToU8("[]"),
      }),
      { decode: decodeImage },
    );
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "cat/été_1.png", "dog/cmyk.jpg", "dog/犬.jpg"]);
    expect(dataset.skipped).toEqual([
      { file: "cat/.DS_Store", reason: "hidden file" },
      { file: "cat/empty.png", reason: "empty file (0 bytes)" },
      { file: "cat/notes.txt", reason: "not an image file (.txt)" },
      { file: "dog/anim.gif", reason: "unsupported format: GIF; convert it to PNG or JPEG" },
      { file: "dog/cut.jpg", reason: "corrupt or truncated JPEG: unexpected end of file" },
      { file: "dog/fake.png", reason: "not an image (the bytes are not PNG or JPEG)" },
    ]);
    expect(dataset.manifest).toEqual([]);
    expect(Array.from(dataset.items[0]!.image.data.subarray(0, 3))).toEqual([255, 0, 0]);
  });

  it("skips only the entry that cannot be unpacked", async () => {
    const archive = breakEntry(zip({ "cat/a.png": RED, "cat/b.png": RED, "dog/c.png": BLUE }), "cat/b.png");
    const dataset = await datasetFromZip(archive, { decode: decodeImage });
    expect(dataset.skipped).toEqual([{ file: "cat/b.png", reason: "could not read the file: unknown compression type 99" }]);
    expect(dataset.items.map((i) => i.file)).toEqual(["cat/a.png", "dog/c.png"]);
  });

  it("throws a DataError naming an empty class folder in the archive", async () => {
    const error = await rejection(datasetFromZip(zip({ "cat/a.png": RED, "dog/b.png": BLUE, "bird/": new Uint8Array(0) }), { decode: decodeImage }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/^the zip archive: class folder "bird\/" has no loadable images \(it is empty\); add images or remove the folder$/);
  });

  it("throws a DataError for a single class, naming the source given", async () => {
    const error = await rejection(datasetFromZip(zip({ "cat/a.png": RED, "cat/b.png": RED }), { decode: decodeImage, source: "pets.zip" }));
    expect(error.message).toBe("found 1 class (cat) in pets.zip; put each class's images in its own folder, e.g. cat/ and dog/");
  });

  it("throws 'not a readable zip archive' for a corrupt archive", async () => {
    const error = await rejection(datasetFromZip(strToU8("PK but not really a zip archive"), { decode: decodeImage }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/^not a readable zip archive: /);
  });
});
