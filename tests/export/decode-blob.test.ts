import { describe, expect, it } from "vitest";
import { decodeImageBlob } from "../../src/browser/decode.js";

/** A PNG that is its signature, an IHDR claiming `width`×`height` and an IEND (no pixel data). */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(45);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24);
  bytes.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], 33);
  return bytes;
}

describe("decodeImageBlob", () => {
  it("refuses an image too large from its header, before the browser decodes anything", async () => {
    // Node has no createImageBitmap: reaching it would fail with another message
    const blob = new Blob([pngHeader(20_000, 20_000)]);
    await expect(decodeImageBlob(blob, "huge.png")).rejects.toMatchObject({
      name: "ImageDecodeError",
      message: "image too large: 20000×20000 pixels (400 megapixels, the limit is 100 megapixels); shrink it first",
      file: "huge.png",
    });
  });
});
