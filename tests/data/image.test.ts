import { describe, expect, it } from "vitest";
import { createImage, rgbaToRgb, sideBySide } from "../../src/data/image.js";

describe("createImage(width, height)", () => {
  it("makes a black RGB image", () => {
    expect(createImage(2, 3)).toEqual({ width: 2, height: 3, data: new Uint8Array(18) });
  });
  it("rejects a size that is not a positive integer", () => {
    expect(() => createImage(0, 3)).toThrow(/^invalid image size: 0×3; width and height must be positive integers$/);
  });
});

describe("rgbaToRgb(rgba, width, height)", () => {
  it("composites over white: (200, 100, 0) at alpha 51 → 255 − 0.8 × (255 − c)", () => {
    expect(Array.from(rgbaToRgb(new Uint8Array([200, 100, 0, 51]), 1, 1).data)).toEqual([244, 224, 204]);
  });
});

describe("sideBySide(images)", () => {
  it("puts images left to right, padding shorter ones with black below", () => {
    const a = createImage(1, 2);
    a.data.fill(9);
    const b = createImage(2, 1);
    b.data.fill(7);
    const out = sideBySide([a, b]);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(Array.from(out.data)).toEqual([9, 9, 9, 7, 7, 7, 7, 7, 7, 9, 9, 9, 0, 0, 0, 0, 0, 0]);
  });
});

describe("rgbaToRgb(rgba, width, height, {inPlace: true})", () => {
  it("writes the same RGB bytes over the front of the RGBA buffer", () => {
    const rgba = new Uint8Array([200, 100, 0, 51, 10, 20, 30, 255]);
    const copy = rgbaToRgb(rgba.slice(), 2, 1);
    const inPlace = rgbaToRgb(rgba, 2, 1, { inPlace: true });
    expect(Array.from(inPlace.data)).toEqual([244, 224, 204, 10, 20, 30]);
    expect(inPlace.data).toEqual(copy.data);
    expect(inPlace.data.buffer).toBe(rgba.buffer);
  });
});
