import { describe, expect, it } from "vitest";
import {
  downscaleRowsToFit,
  downscaleToFit,
  fitSize,
  orientImage,
  resizeArea,
  resizeAreaRows,
} from "../../src/data/downscale.js";
import type { RgbImage } from "../../src/data/image.js";

/** An image from rows of [r, g, b] pixels. */
function imageOf(rows: number[][][]): RgbImage {
  return { width: rows[0]!.length, height: rows.length, data: Uint8Array.from(rows.flat(2)) };
}

/** A width×height image whose pixel (x, y) is (x, y, 7). */
function coordinates(width: number, height: number): RgbImage {
  const rows = Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => [x, y, 7]));
  return imageOf(rows);
}

describe("fitSize(width, height, maxSize)", () => {
  it("brings the shorter side to maxSize and keeps the aspect", () => {
    expect(fitSize(6000, 4000, 256)).toEqual({ width: 384, height: 256 });
    expect(fitSize(4000, 6000, 256)).toEqual({ width: 256, height: 384 });
    expect(fitSize(1000, 999, 100)).toEqual({ width: 100, height: 100 });
    expect(fitSize(10000, 20, 10)).toEqual({ width: 5000, height: 10 });
  });

  it("keeps sizes whose shorter side already fits", () => {
    expect(fitSize(300, 256, 256)).toEqual({ width: 300, height: 256 });
    expect(fitSize(1, 1, 256)).toEqual({ width: 1, height: 1 });
  });

  it("refuses a maxSize that is not a positive integer, naming it", () => {
    expect(() => fitSize(10, 10, 0)).toThrow(/invalid maxSize: 0; it must be a positive integer/);
    expect(() => fitSize(10, 10, 2.5)).toThrow(/invalid maxSize: 2.5/);
  });
});

describe("downscaleToFit(image, maxSize)", () => {
  it("averages each 2×2 block when halving a 4×2 image to 2×1", () => {
    const image = imageOf([
      [[0, 0, 0], [100, 10, 20], [255, 255, 255], [1, 2, 3]],
      [[40, 80, 120], [60, 30, 0], [255, 255, 255], [3, 6, 9]],
    ]);
    const small = downscaleToFit(image, 1);
    expect({ width: small.width, height: small.height }).toEqual({ width: 2, height: 1 });
    // (0+100+40+60)/4 = 50, (0+10+80+30)/4 = 30, (0+20+120+0)/4 = 35; (255·2+1+3)/4 = 128.5 → 129, …
    expect(Array.from(small.data)).toEqual([50, 30, 35, 129, 130, 131]);
  });

  it("weights partly covered pixels by their overlap (3×1 → 2×1)", () => {
    // each output covers 1.5 source pixels: [0] + ½[1], ½[1] + [2]
    const small = resizeArea(imageOf([[[0, 0, 0], [90, 90, 90], [30, 60, 90]]]), 2, 1);
    expect(Array.from(small.data)).toEqual([30, 30, 30, 50, 70, 90]);
  });

  it("keeps a flat colour flat at any ratio", () => {
    const flat: RgbImage = { width: 37, height: 23, data: new Uint8Array(37 * 23 * 3).fill(201) };
    const small = downscaleToFit(flat, 7);
    expect(small.height).toBe(7);
    expect(small.width).toBe(11); // 37 · 7/23 = 11.26
    expect(new Set(small.data)).toEqual(new Set([201]));
  });

  it("returns the input itself when it already fits, and never modifies it", () => {
    const image = coordinates(5, 3);
    expect(downscaleToFit(image, 3)).toBe(image);
    const copy = image.data.slice();
    downscaleToFit(image, 1);
    expect(image.data).toEqual(copy);
  });

  it("keeps a 1×1 image", () => {
    const dot = imageOf([[[1, 2, 3]]]);
    expect(downscaleToFit(dot, 1)).toBe(dot);
  });
});

describe("resizeArea(image, width, height)", () => {
  it("only shrinks, and says so", () => {
    expect(() => resizeArea(coordinates(2, 2), 3, 2)).toThrow(/only shrinks: asked for 3×2 from 2×2/);
  });
});

/** Pushes `image`'s rows one at a time (each from its own buffer, as a decoder hands them out) and finishes. */
function pushRows(rows: { push(data: Uint8Array, offset?: number): void; finish(): RgbImage }, image: RgbImage) {
  for (let y = 0; y < image.height; y++) rows.push(image.data.slice(y * image.width * 3, (y + 1) * image.width * 3));
  return rows.finish();
}

describe("resizeAreaRows(srcWidth, srcHeight, width, height)", () => {
  it("builds the 2×1 area average of a 4×2 image from its rows", () => {
    const image = imageOf([
      [[0, 0, 0], [100, 10, 20], [255, 255, 255], [1, 2, 3]],
      [[40, 80, 120], [60, 30, 0], [255, 255, 255], [3, 6, 9]],
    ]);
    expect(Array.from(pushRows(resizeAreaRows(4, 2, 2, 1), image).data)).toEqual([50, 30, 35, 129, 130, 131]);
  });

  it("splits a source row between the two output rows it overlaps (1×3 → 1×2)", () => {
    // output rows cover source rows [0, 1.5) and [1.5, 3): (0 + ½·90) / 1.5 = 30, (½·90 + 30) / 1.5 = 50
    const image = imageOf([[[0, 0, 0]], [[90, 90, 90]], [[30, 60, 90]]]);
    expect(Array.from(pushRows(resizeAreaRows(1, 3, 1, 2), image).data)).toEqual([30, 30, 30, 50, 70, 90]);
  });

  it("gives resizeArea's pixels exactly, at ratios that do and do not divide", () => {
    const noisy = (w: number, h: number): RgbImage => ({
      width: w,
      height: h,
      data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919 + ((i * i) % 251)) & 255),
    });
    for (const [w, h, tw, th] of [
      [37, 23, 11, 7],
      [100, 40, 50, 20],
      [9, 101, 2, 13],
      [64, 64, 64, 63],
      [5, 5, 1, 1],
    ] as const) {
      const image = noisy(w, h);
      expect(pushRows(resizeAreaRows(w, h, tw, th), image).data, `${w}×${h} → ${tw}×${th}`).toEqual(
        resizeArea(image, tw, th).data,
      );
    }
  });

  it("refuses rows beyond the source's height, and finish() before the last row", () => {
    const rows = resizeAreaRows(2, 2, 1, 1);
    rows.push(new Uint8Array(6));
    expect(() => rows.finish()).toThrow("resizeAreaRows: got 1 of the source's 2 rows");
    rows.push(new Uint8Array(6));
    expect(() => rows.push(new Uint8Array(6))).toThrow("resizeAreaRows: more than the 2 rows of the source");
    expect(Array.from(rows.finish().data)).toEqual([0, 0, 0]);
  });
});

describe("downscaleRowsToFit(width, height, maxSize)", () => {
  it("gives downscaleToFit's pixels for an image that must shrink (7×5 → 3×2 at maxSize 2)", () => {
    const image = coordinates(7, 5);
    const small = pushRows(downscaleRowsToFit(7, 5, 2), image);
    expect([small.width, small.height]).toEqual([3, 2]);
    expect(small.data).toEqual(downscaleToFit(image, 2).data);
  });

  it("copies the rows of an image that already fits into a tight buffer of its own", () => {
    const image = coordinates(3, 2);
    const copy = pushRows(downscaleRowsToFit(3, 2, 256), image);
    expect(Array.from(copy.data)).toEqual([0, 0, 7, 1, 0, 7, 2, 0, 7, 0, 1, 7, 1, 1, 7, 2, 1, 7]);
    expect(copy.data.buffer.byteLength).toBe(18);
  });

  it("reads a row from `offset` in a larger buffer", () => {
    const rows = downscaleRowsToFit(1, 1, 4);
    rows.push(Uint8Array.from([9, 9, 1, 2, 3, 9]), 2);
    expect(Array.from(rows.finish().data)).toEqual([1, 2, 3]);
  });
});

describe("orientImage(image, orientation)", () => {
  // 3×2:  a b c
  //       d e f      pixel (x, y) = (x, y, 7)
  const image = coordinates(3, 2);
  const pixels = (img: RgbImage) => {
    const out: string[] = [];
    for (let i = 0; i < img.data.length; i += 3) out.push(`${img.data[i]},${img.data[i + 1]}`);
    return out;
  };

  it("leaves orientation 1 and unknown values alone", () => {
    expect(orientImage(image, 1)).toBe(image);
    expect(orientImage(image, 9)).toBe(image);
  });

  it("mirrors, rotates 180° and flips (2, 3, 4)", () => {
    expect(pixels(orientImage(image, 2))).toEqual(["2,0", "1,0", "0,0", "2,1", "1,1", "0,1"]);
    expect(pixels(orientImage(image, 3))).toEqual(["2,1", "1,1", "0,1", "2,0", "1,0", "0,0"]);
    expect(pixels(orientImage(image, 4))).toEqual(["0,1", "1,1", "2,1", "0,0", "1,0", "2,0"]);
  });

  it("turns 90° clockwise for 6 and counter-clockwise for 8, swapping the sides", () => {
    const cw = orientImage(image, 6);
    expect([cw.width, cw.height]).toEqual([2, 3]);
    // d a / e b / f c
    expect(pixels(cw)).toEqual(["0,1", "0,0", "1,1", "1,0", "2,1", "2,0"]);
    // c f / b e / a d
    expect(pixels(orientImage(image, 8))).toEqual(["2,0", "2,1", "1,0", "1,1", "0,0", "0,1"]);
  });

  it("transposes (5) and transverses (7)", () => {
    // a d / b e / c f
    expect(pixels(orientImage(image, 5))).toEqual(["0,0", "0,1", "1,0", "1,1", "2,0", "2,1"]);
    // f c / e b / d a
    expect(pixels(orientImage(image, 7))).toEqual(["2,1", "2,0", "1,1", "1,0", "0,1", "0,0"]);
  });
});
