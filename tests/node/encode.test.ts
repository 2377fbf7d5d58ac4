import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { createImage } from "../../src/data/image.js";
import { encodePng } from "../../src/node/encode.js";

describe("encodePng(image)", () => {
  it("writes an RGB PNG that decodes to exactly the same pixels", () => {
    const image = createImage(3, 2);
    image.data.set(Array.from({ length: 18 }, (_, i) => i * 14));
    const png = PNG.sync.read(Buffer.from(encodePng(image)));
    expect([png.width, png.height]).toEqual([3, 2]);
    const rgb = Array.from(png.data).filter((_, i) => i % 4 !== 3);
    expect(rgb).toEqual(Array.from(image.data));
  });

  it("starts with the PNG signature", () => {
    expect(Array.from(encodePng(createImage(1, 1)).subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });
});
