import { describe, expect, it } from "vitest";
import { createImage, type RgbImage } from "../../src/data/image.js";
import { resizeImage } from "../../src/data/resize.js";

/** A w×h image whose left half is red and right half blue (w even). */
function halves(w: number, h: number): RgbImage {
  const image = createImage(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) image.data.set(x < w / 2 ? [255, 0, 0] : [0, 0, 255], (y * w + x) * 3);
  return image;
}

const pixel = (image: RgbImage, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

describe("resizeImage(image, size, {mode})", () => {
  it("squish keeps a uniform colour exactly", () => {
    const grey = createImage(7, 3);
    grey.data.fill(100);
    const out = resizeImage(grey, 5, { mode: "squish" });
    expect([out.width, out.height]).toEqual([5, 5]);
    expect(new Set(out.data)).toEqual(new Set([100]));
  });

  it("squish averages 2×2 blocks when halving (area downscale)", () => {
    const image = createImage(4, 4);
    image.data.set([0, 0, 0, 40, 40, 40, 200, 0, 0, 200, 0, 0], 0);
    image.data.set([80, 80, 80, 120, 120, 120, 0, 0, 0, 0, 0, 0], 12);
    const out = resizeImage(image, 2, { mode: "squish" });
    expect(pixel(out, 0, 0)).toEqual([60, 60, 60]);
    expect(pixel(out, 1, 0)).toEqual([100, 0, 0]);
  });

  it("squish of a 200×100 red|blue image keeps both halves, stretched", () => {
    const out = resizeImage(halves(200, 100), 50, { mode: "squish" });
    expect(pixel(out, 5, 25)).toEqual([255, 0, 0]);
    expect(pixel(out, 44, 25)).toEqual([0, 0, 255]);
  });

  it("crop cuts the centre square: a 300×100 image with red | green | blue thirds keeps only green", () => {
    const image = createImage(300, 100);
    for (let y = 0; y < 100; y++) for (let x = 0; x < 300; x++) image.data.set(x < 100 ? [255, 0, 0] : x < 200 ? [0, 255, 0] : [0, 0, 255], (y * 300 + x) * 3);
    const out = resizeImage(image, 20, { mode: "crop" });
    expect(new Set(Array.from({ length: 400 }, (_, i) => out.data[i * 3 + 1]))).toEqual(new Set([255]));
    expect(Math.max(...Array.from({ length: 400 }, (_, i) => out.data[i * 3]!))).toBe(0);
  });

  it("pad fits a 200×100 image into the middle rows and fills the rest with padColor", () => {
    const out = resizeImage(halves(200, 100), 40, { mode: "pad", padColor: [9, 9, 9] });
    expect(pixel(out, 20, 0)).toEqual([9, 9, 9]);
    expect(pixel(out, 20, 9)).toEqual([9, 9, 9]);
    expect(pixel(out, 2, 10)).toEqual([255, 0, 0]);
    expect(pixel(out, 37, 29)).toEqual([0, 0, 255]);
    expect(pixel(out, 20, 30)).toEqual([9, 9, 9]);
  });

  it("upscales a 2×1 image bilinearly", () => {
    const image = createImage(2, 1);
    image.data.set([0, 0, 0, 255, 255, 255]);
    const out = resizeImage(image, 4, { mode: "squish" });
    expect([0, 1, 2, 3].map((x) => out.data[x * 3])).toEqual([0, 64, 191, 255]);
  });

  it("leaves its input untouched", () => {
    const image = halves(8, 8);
    const copy = image.data.slice();
    resizeImage(image, 3, { mode: "pad" });
    expect(image.data).toEqual(copy);
  });

  it("rejects a bad size or mode, naming the value and the fix", () => {
    expect(() => resizeImage(halves(4, 4), 0)).toThrow(/^invalid size: 0; use a positive integer number of pixels, e.g. 64$/);
    expect(() => resizeImage(halves(4, 4), 8, { mode: "stretch" as never })).toThrow(/^invalid resize mode: "stretch"; use "squish", "crop" or "pad"$/);
  });
});
