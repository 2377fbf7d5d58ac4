import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import jpeg from "jpeg-js";
import pngjs from "pngjs";
import {
  ImageDecodeError,
  decodeFailureReason,
  endsEarly,
  imageBytesProblem,
  readImageHeader,
  sniffFormat,
  tooLargeProblem,
} from "../../src/data/sniff.js";

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));
const bytes = (text: string) => new TextEncoder().encode(text);

function png(width: number, height: number): Uint8Array {
  const image = new pngjs.PNG({ width, height });
  image.data.fill(255);
  return new Uint8Array(pngjs.PNG.sync.write(image));
}

function jpg(width: number, height: number): Uint8Array {
  return new Uint8Array(jpeg.encode({ width, height, data: new Uint8Array(width * height * 4).fill(128) }, 90).data);
}

/** An ISO-BMFF ftyp box with the given major and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const body = bytes(`ftyp${major}\0\0\0\0${compatible.join("")}`);
  const out = new Uint8Array(4 + body.length);
  out[3] = out.length;
  out.set(body, 4);
  return out;
}

describe("sniffFormat(bytes)", () => {
  it("names PNG and JPEG by their magic bytes", () => {
    expect(sniffFormat(png(2, 2))).toBe("png");
    expect(sniffFormat(jpg(2, 2))).toBe("jpeg");
    expect(sniffFormat(fixture("cmyk-quadrants.jpg"))).toBe("jpeg");
  });

  it("names GIF, WebP, BMP, TIFF, HEIC and AVIF", () => {
    expect(sniffFormat(fixture("orange.gif"))).toBe("gif");
    expect(sniffFormat(fixture("orange.webp"))).toBe("webp");
    expect(sniffFormat(new Uint8Array([...bytes("BM"), ...new Uint8Array(30)]))).toBe("bmp");
    expect(sniffFormat(new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe("tiff");
    expect(sniffFormat(new Uint8Array([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe("tiff");
    expect(sniffFormat(ftyp("heic", "mif1", "heic"))).toBe("heic");
    expect(sniffFormat(ftyp("mif1", "mif1", "heic"))).toBe("heic");
    expect(sniffFormat(ftyp("avif", "mif1", "avif"))).toBe("avif");
    expect(sniffFormat(ftyp("mif1", "mif1", "avif"))).toBe("avif");
  });

  it("is unknown for text, empty and cut-short headers", () => {
    expect(sniffFormat(bytes("<!doctype html><title>404</title>"))).toBe("unknown");
    expect(sniffFormat(new Uint8Array(0))).toBe("unknown");
    expect(sniffFormat(png(2, 2).subarray(0, 4))).toBe("unknown");
    expect(sniffFormat(ftyp("isom", "mp41"))).toBe("unknown");
  });
});

describe("imageBytesProblem(bytes, size)", () => {
  it("says nothing about PNG and JPEG", () => {
    expect(imageBytesProblem(png(1, 1))).toBeUndefined();
    expect(imageBytesProblem(jpg(1, 1))).toBeUndefined();
  });

  it("gives the exact reason for empty, unsupported and non-image bytes", () => {
    expect(imageBytesProblem(new Uint8Array(0))).toBe("empty file (0 bytes)");
    expect(imageBytesProblem(fixture("orange.gif"))).toBe("unsupported format: GIF; convert it to PNG or JPEG");
    expect(imageBytesProblem(fixture("orange.webp"))).toBe("unsupported format: WebP; convert it to PNG or JPEG");
    expect(imageBytesProblem(ftyp("heic"))).toBe("unsupported format: HEIC; convert it to PNG or JPEG");
    expect(imageBytesProblem(bytes("hello"))).toBe("not an image (the bytes are not PNG or JPEG)");
  });

  it("reports a cut-off PNG or JPEG when given the whole file", () => {
    const whole = jpg(16, 16);
    expect(imageBytesProblem(whole.subarray(0, whole.length - 2))).toBe("corrupt or truncated JPEG: unexpected end of file");
    const p = png(4, 4);
    expect(imageBytesProblem(p.subarray(0, p.length - 12))).toBe("corrupt or truncated PNG: unexpected end of file");
    // only the head of a longer file: no verdict on its end
    expect(imageBytesProblem(whole.subarray(0, 64), whole.length)).toBeUndefined();
  });

  it("judges a head of bytes by the whole file's size", () => {
    expect(imageBytesProblem(new Uint8Array(0), 1000)).toBe("not an image (the bytes are not PNG or JPEG)");
    expect(imageBytesProblem(png(1, 1).subarray(0, 8), 0)).toBe("empty file (0 bytes)");
  });
});

describe("decodeFailureReason(format, error)", () => {
  it("names the format and keeps the decoder's first line, short", () => {
    expect(decodeFailureReason("png", new Error("Invalid file signature"))).toBe("corrupt or truncated PNG: Invalid file signature");
    expect(decodeFailureReason("jpeg", new Error("marker was not found\nat line 2"))).toBe("corrupt or truncated JPEG: marker was not found");
    expect(decodeFailureReason("png", new Error("There are some read requests waitng on finished stream"))).toBe(
      "corrupt or truncated PNG: unexpected end of file",
    );
    expect(decodeFailureReason("jpeg", new Error("x".repeat(300))).length).toBeLessThan(130);
  });

  it("passes an ImageDecodeError's reason through", () => {
    expect(decodeFailureReason("png", new ImageDecodeError("image too large: …"))).toBe("image too large: …");
  });
});

describe("tooLargeProblem(width, height)", () => {
  it("refuses images over 100 megapixels", () => {
    expect(tooLargeProblem(6000, 4000)).toBeUndefined();
    expect(tooLargeProblem(20000, 20000)).toBe(
      "image too large: 20000×20000 pixels (400 megapixels, the limit is 100 megapixels); shrink it first",
    );
  });
});

describe("readImageHeader(bytes)", () => {
  it("reads a PNG's and a JPEG's size without decoding", () => {
    expect(readImageHeader(png(7, 3))).toEqual({ width: 7, height: 3, orientation: 1 });
    expect(readImageHeader(jpg(9, 5))).toEqual({ width: 9, height: 5, orientation: 1 });
    expect(readImageHeader(fixture("cmyk-quadrants.jpg"))).toEqual({ width: 16, height: 16, orientation: 1 });
  });

  it("is undefined for other formats and cut-off headers", () => {
    expect(readImageHeader(fixture("orange.gif"))).toBeUndefined();
    expect(readImageHeader(jpg(9, 5).subarray(0, 30))).toBeUndefined();
  });
});

describe("endsEarly(bytes)", () => {
  it("is false for whole files, with or without data after the end marker", () => {
    const j = jpg(16, 16);
    const p = png(3, 3);
    expect(endsEarly(j)).toBe(false);
    expect(endsEarly(p)).toBe(false);
    expect(endsEarly(new Uint8Array([...j, 0, 0, 1, 2]))).toBe(false);
    expect(endsEarly(fixture("cmyk-quadrants.jpg"))).toBe(false);
    expect(endsEarly(fixture("gray77.jpg"))).toBe(false);
  });

  it("is true for a PNG cut anywhere after its signature and a JPEG cut anywhere after its start", () => {
    const j = jpg(16, 16);
    const p = png(3, 3);
    for (const keep of [9, 40, p.length - 12, p.length - 1]) expect(endsEarly(p.subarray(0, keep)), `PNG kept ${keep}`).toBe(true);
    for (const keep of [4, 100, j.length - 50, j.length - 1]) expect(endsEarly(j.subarray(0, keep)), `JPEG kept ${keep}`).toBe(true);
  });

  it("is false for other formats", () => {
    expect(endsEarly(fixture("orange.gif").subarray(0, 10))).toBe(false);
  });
});
