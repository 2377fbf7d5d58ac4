import { afterEach, describe, expect, it, vi } from "vitest";
import type { RgbImage } from "../../src/data/image.js";

// each test gets a fresh module, so a decoder registered by one is not seen by the next
const freshInput = async () => {
  vi.resetModules();
  return import("../../src/export/input.js");
};

describe("toRgbImage's decoder for files and URLs", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("decodes a Blob with the decoder registered (the browser part registers its own)", async () => {
    vi.stubGlobal("createImageBitmap", () => {
      throw new Error("not called: the registered decoder decodes files");
    });
    const { registerBlobDecoder, toRgbImage } = await freshInput();
    const pixels: RgbImage = { width: 1, height: 1, data: Uint8Array.of(1, 2, 3) };
    const seen: [number, string][] = [];
    registerBlobDecoder(async (blob, name) => {
      seen.push([blob.size, name]);
      return pixels;
    });
    const file = new File([Uint8Array.of(9, 9)], "cat.png");
    expect(await toRgbImage(file)).toBe(pixels);
    expect(seen).toEqual([[2, "cat.png"]]);
  });

  it("says what to import where a browser has no decoder registered", async () => {
    vi.stubGlobal("createImageBitmap", () => undefined);
    const { toRgbImage } = await freshInput();
    await expect(toRgbImage(new File([Uint8Array.of(9)], "cat.png"))).rejects.toThrow(
      /cannot decode cat\.png: no image decoder is registered; import the browser entry/,
    );
  });

  it("registers the browser's decoder when src/browser/decode.ts loads", async () => {
    vi.resetModules();
    const { decodeImageBlob } = await import("../../src/browser/decode.js");
    const { toRgbImage } = await import("../../src/export/input.js");
    // no createImageBitmap here: the browser decoder itself says why it cannot decode
    vi.stubGlobal("createImageBitmap", async () => {
      throw new Error("decoder reached");
    });
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(40));
    const viaInput = await toRgbImage(new File([png], "x.png")).catch((e: Error) => e.message);
    const direct = await decodeImageBlob(new Blob([png]), "x.png").catch((e: Error) => e.message);
    expect(viaInput).not.toMatch(/no image decoder/);
    expect(viaInput).toBe(direct);
  });
});
