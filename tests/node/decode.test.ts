import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import jpeg from "jpeg-js";
import pngjs from "pngjs";
import { downscaleToFit } from "../../src/data/downscale.js";
import { rgbaToRgb, type RgbImage } from "../../src/data/image.js";
import { ImageDecodeError } from "../../src/data/sniff.js";
import { decodeImage } from "../../src/node/decode.js";

// Fixtures made once with ImageMagick (jpeg-js cannot write these):
//   cmyk-quadrants.jpg: convert \( xc:red xc:lime +append \) \( xc:blue xc:white +append \) -append -scale 800% -colorspace CMYK -quality 95 -strip
//   gray77.jpg:         convert -size 8x8 xc:"gray(77)" -colorspace Gray -quality 95 -strip
//   orange.gif:         convert -size 2x2 xc:orange -strip
const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));

/** A PNG of `data` in pngjs's input colour type (0 gray, 4 gray+alpha, 2 RGB, 6 RGBA), written in the same type. */
function png(
  width: number,
  height: number,
  data: number[],
  colorType: 0 | 2 | 4 | 6 = 6,
  bitDepth: 8 | 16 = 8,
): Uint8Array {
  const image = new pngjs.PNG({ width, height });
  image.data = bitDepth === 16 ? Buffer.from(Uint16Array.from(data).buffer) : Buffer.from(data);
  return new Uint8Array(
    pngjs.PNG.sync.write(image, { colorType, inputColorType: colorType, inputHasAlpha: colorType >= 4, bitDepth }),
  );
}

/** A JPEG of RGB pixels (jpeg-js takes RGBA). */
function jpg(image: RgbImage, quality = 95): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4).fill(255);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i]!;
    rgba[j + 1] = image.data[i + 1]!;
    rgba[j + 2] = image.data[i + 2]!;
  }
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: rgba }, quality).data);
}

/** A width×height image painted by `colour(x, y)`. */
function paint(width: number, height: number, colour: (x: number, y: number) => number[]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { width, height, data };
}

const pixel = (image: RgbImage, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

function expectClose(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((v, i) =>
    expect(Math.abs(v - expected[i]!), `channel ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance),
  );
}

/** A PNG file from IHDR fields, extra chunks before the image data ([type, bytes]) and the filtered rows. */
function pngFile(
  width: number,
  height: number,
  header: { depth: number; colorType: number; interlace?: 0 | 1 },
  chunks: [string, number[]][],
  rows: number[],
): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([header.depth, header.colorType, 0, 0, header.interlace ?? 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    ...chunks.map(([type, data]) => chunk(type, Uint8Array.from(data))),
    chunk("IDAT", deflateSync(Uint8Array.from(rows))),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** The filtered rows (filter type 0) of an 8-bit RGB image laid out in Adam7's seven passes. */
function adam7Rows(image: RgbImage): number[] {
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  const rows: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    if (x0 >= image.width) continue; // a pass with no columns has no rows
    for (let y = y0; y < image.height; y += dy) {
      rows.push(0);
      for (let x = x0; x < image.width; x += dx) rows.push(...pixel(image, x, y));
    }
  }
  return rows;
}

// Made once with libjpeg-turbo's cjpeg from a 24×16 image of four colour quadrants (see `quadrants`):
//   progressive 4:2:0, a restart marker after every MCU: cjpeg -quality 90 -sample 2x2 -progressive -restart 1B
const PROGRESSIVE_JPEG =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAQABgDASIAAhEBAxEB/8QAGQAAAgMBAAAAAAAAAAAAAAAAAAYEBQcI/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/3QAEAAH/2gAMAwEAAhADEAAAAVG8Qd5SU//QlHTAFI//xAAWEAEBAQAAAAAAAAAAAAAAAAAABQf/2gAIAQEAAQUCf//QmP/Rf//Sf//Ty1//1H//xAAjEQAAAwYHAAAAAAAAAAAAAAAAARECBBIVMVEFBhMhY6Hh/9oACAEDAQE/AcVzBO3Ntw0oI03VaGR0QrXH/9CQcvXo/8QAIREAAAMIAwAAAAAAAAAAAAAAAAQRAgMGExQVYWJxoeH/2gAIAQIBAT8BPwrTF2ns5U1zyP/Qtm/Xo//EABkQAQACAwAAAAAAAAAAAAAAAAADBYGDwv/aAAgBAQAGPwJ//9CTD//Rf//Sf//Ts9fT/9R//8QAFhABAQEAAAAAAAAAAAAAAAAAAIHw/9oACAEBAAE/IX//0Mq//9F//9J//9Nf/9R//9oADAMBAAIAAwAAABDT/9D7/8QAGREBAAIDAAAAAAAAAAAAAAAAEQAhMWGh/9oACAEDAQE/EOBh96mmAthP/9CV/8QAGREAAgMBAAAAAAAAAAAAAAAAAFEBITER/9oACAECAQE/EE/KpsI3to//0CP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/9oACAEBAAE/EH//0A//0X//0n//0z//1H//2Q==";
//   baseline 4:2:2, a restart marker every 2 MCUs: cjpeg -quality 90 -sample 2x1 -restart 2B
const BASELINE_422_JPEG =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAQABgDASEAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/90ABAAC/9oADAMBAAIRAxEAPwDySu4+Gf8AzEv+2f8A7PX5NiP4T/rqf0N4zf8AJCZh/wBwv/T1M7iivFP8wT//0Pl+vvP/AIJa/wDNTf8AuGf+3df1Bxn/AMiHEf8Abv8A6XE+Jy7/AHqHz/Jn3lRX8vn2x//Z";

/** The decode error's reason. */
function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImageDecodeError);
    return (error as Error).message;
  }
  throw new Error("expected decodeImage to throw");
}

describe("decodeImage(bytes, file, {maxSize})", () => {
  it("decodes an RGBA PNG with opaque pixels to exactly its RGB bytes", () => {
    const image = decodeImage(
      png(2, 2, [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 12, 34, 56, 255]),
      "cat/a.png",
    );
    expect({ width: image.width, height: image.height }).toEqual({ width: 2, height: 2 });
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(image.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 12, 34, 56]);
  });

  it("decodes an RGB PNG exactly", () => {
    const image = decodeImage(png(3, 1, [1, 2, 3, 4, 5, 6, 250, 251, 252], 2), "a.png");
    expect(Array.from(image.data)).toEqual([1, 2, 3, 4, 5, 6, 250, 251, 252]);
  });

  it("turns a grayscale PNG's value v into (v, v, v), 8- and 16-bit", () => {
    expect(Array.from(decodeImage(png(3, 1, [0, 77, 255], 0), "g.png").data)).toEqual([
      0, 0, 0, 77, 77, 77, 255, 255, 255,
    ]);
    // 16-bit samples v·257 scale to v
    expect(Array.from(decodeImage(png(2, 1, [77 * 257, 65535], 0, 16), "g16.png").data)).toEqual([
      77, 77, 77, 255, 255, 255,
    ]);
  });

  it("composites alpha over white: (200, 100, 0, α=128) → (227, 177, 127)", () => {
    // c·128/255 + 255·(1 − 128/255): 100.39 + 127 → 227, 50.20 + 127 → 177, 0 + 127 → 127
    const image = decodeImage(png(2, 1, [200, 100, 0, 128, 9, 9, 9, 0]), "alpha.png");
    expect(Array.from(image.data)).toEqual([227, 177, 127, 255, 255, 255]);
  });

  it("composites gray+alpha over white: (0, α=64) → 191", () => {
    expect(Array.from(decodeImage(png(1, 1, [0, 64], 4), "ga.png").data)).toEqual([191, 191, 191]);
  });

  it("decodes a 1×1 PNG and a 1×1 JPEG", () => {
    expect(Array.from(decodeImage(png(1, 1, [9, 8, 7, 255]), "dot.png").data)).toEqual([9, 8, 7]);
    const dot = decodeImage(jpg(paint(1, 1, () => [200, 100, 50])), "dot.jpg");
    expect([dot.width, dot.height]).toEqual([1, 1]);
    expectClose(pixel(dot, 0, 0), [200, 100, 50], 6);
  });

  it("decodes a JPEG within a small tolerance of its source", () => {
    const colours = [
      [220, 40, 40],
      [40, 200, 60],
      [30, 60, 210],
      [250, 250, 250],
    ];
    const source = paint(16, 16, (x, y) => colours[(y < 8 ? 0 : 2) + (x < 8 ? 0 : 1)]!);
    const image = decodeImage(jpg(source), "q.jpg");
    expect([image.width, image.height]).toEqual([16, 16]);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) expectClose(pixel(image, x, y), pixel(source, x, y), 6);
  });

  it("decodes a grayscale JPEG to (v, v, v)", () => {
    const image = decodeImage(fixture("gray77.jpg"), "gray77.jpg");
    expect([image.width, image.height]).toEqual([8, 8]);
    expect(new Set(image.data)).toEqual(new Set([77]));
  });

  it("decodes a CMYK (Adobe) JPEG to RGB", () => {
    const image = decodeImage(fixture("cmyk-quadrants.jpg"), "cmyk.jpg");
    expect([image.width, image.height]).toEqual([16, 16]);
    expectClose(pixel(image, 3, 3), [255, 0, 0], 10); // red
    expectClose(pixel(image, 12, 3), [0, 255, 0], 10); // lime
    expectClose(pixel(image, 3, 12), [0, 0, 255], 10); // blue
    expectClose(pixel(image, 12, 12), [255, 255, 255], 10); // white
  });

  it("shrinks at decode time so the shorter side is maxSize (a 10×4 PNG to 5×2 by 2×2 averages)", () => {
    const source = paint(10, 4, (x, y) => [x * 20, y * 40, (x + y) % 2 ? 200 : 0]);
    const rgba = Array.from({ length: 40 }, (_, i) => [...pixel(source, i % 10, Math.floor(i / 10)), 255]).flat();
    const image = decodeImage(png(10, 4, rgba), "wide.png", { maxSize: 2 });
    expect([image.width, image.height]).toEqual([5, 2]);
    // block (0,0): x 0–1, y 0–1 → r (0+20)/2 = 10, g (0+40)/2 = 20, b (0+200+200+0)/4 = 100
    expect(pixel(image, 0, 0)).toEqual([10, 20, 100]);
    expect(pixel(image, 4, 1)).toEqual([170, 100, 100]);
  });

  it("brings a 3000×2000 JPEG down to 384×256 (maxSize 256), colours kept", () => {
    const source = paint(3000, 2000, (x) => (x < 1500 ? [200, 30, 30] : [30, 30, 200]));
    const bytes = jpg(source, 50);
    const start = performance.now();
    const image = decodeImage(bytes, "big.jpg", { maxSize: 256 });
    const ms = performance.now() - start;
    expect([image.width, image.height]).toEqual([384, 256]);
    expect(image.data.length).toBe(384 * 256 * 3);
    expectClose(pixel(image, 10, 128), [200, 30, 30], 8);
    expectClose(pixel(image, 373, 128), [30, 30, 200], 8);
    expect(ms).toBeLessThan(10_000);
  });

  it("decodes progressive and restart-marked 4:2:0 / 4:2:2 JPEGs to within 2 of jpeg-js's pixels", () => {
    // the source: 24×16, quadrants (220, 40, 40) (40, 200, 60) / (30, 60, 210) (250, 250, 250)
    for (const [name, base64] of [
      ["progressive 4:2:0", PROGRESSIVE_JPEG],
      ["baseline 4:2:2", BASELINE_422_JPEG],
    ] as const) {
      const bytes = new Uint8Array(Buffer.from(base64, "base64"));
      const image = decodeImage(bytes, "q.jpg");
      const reference = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
      expect([image.width, image.height], name).toEqual([24, 16]);
      // our float IDCT (djpeg -dct float's output exactly, tests/data/jpeg.test.ts) against jpeg-js's integer one
      const diff = image.data.reduce((m, v, i) => Math.max(m, Math.abs(v - reference.data[i]!)), 0);
      expect(diff, name).toBeLessThanOrEqual(2);
      expectClose(pixel(image, 3, 3), [220, 40, 40], 12);
      expectClose(pixel(image, 20, 3), [40, 200, 60], 12);
      expectClose(pixel(image, 3, 12), [30, 60, 210], 12);
      expectClose(pixel(image, 20, 12), [250, 250, 250], 12);
    }
  });

  it("decodes an interlaced (Adam7) PNG to the same pixels as a plain one", () => {
    const source = paint(11, 9, (x, y) => [x * 20, y * 25, (x * y) % 256]);
    const rgb = Array.from({ length: 99 }, (_, i) => pixel(source, i % 11, Math.floor(i / 11))).flat();
    const plain = decodeImage(png(11, 9, rgb, 2), "plain.png");
    const interlaced = decodeImage(
      pngFile(11, 9, { depth: 8, colorType: 2, interlace: 1 }, [], adam7Rows(source)),
      "i.png",
    );
    expect(interlaced.data).toEqual(source.data);
    expect(plain.data).toEqual(source.data);
    expect(pixel(interlaced, 10, 8)).toEqual([200, 200, 80]);
  });

  it("expands a 2-bit palette PNG with tRNS alphas, over white: index 1 (0, 255, 0, α=128) → (127, 255, 127)", () => {
    // 4×1, indices 0 1 2 3 packed two bits each: 0b00_01_10_11
    const bytes = pngFile(
      4,
      1,
      { depth: 2, colorType: 3 },
      [
        ["PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]],
        ["tRNS", [255, 128, 0]],
      ],
      [0, 0b00_01_10_11],
    );
    // 0·128/255 + 255·127/255 = 127; index 2 is fully transparent: white; index 3 has no tRNS entry: opaque
    expect(Array.from(decodeImage(bytes, "p.png").data)).toEqual([255, 0, 0, 127, 255, 127, 255, 255, 255, 10, 20, 30]);
  });

  it("streams a PNG with more than 32 MiB of pixel data to pngjs's pixels, shrunk as downscaleToFit shrinks them", () => {
    const image = new pngjs.PNG({ width: 3000, height: 3000 });
    for (let i = 0; i < image.data.length; i++) image.data[i] = Math.imul(i, 2654435761) >>> 24;
    const bytes = new Uint8Array(pngjs.PNG.sync.write(image, { deflateLevel: 1 }));
    const decoded = decodeImage(bytes, "big.png", { maxSize: 300 });
    const reference = pngjs.PNG.sync.read(Buffer.from(bytes));
    const expected = downscaleToFit(rgbaToRgb(new Uint8Array(reference.data), 3000, 3000), 300);
    expect([decoded.width, decoded.height]).toEqual([300, 300]);
    expect(decoded.data).toEqual(expected.data);
  });

  it("returns pixels it owns: a small PNG's data is a tight copy", () => {
    const image = decodeImage(png(2, 1, [1, 2, 3, 255, 4, 5, 6, 255]), "a.png");
    expect(image.data.byteLength).toBe(6);
    expect(image.data.buffer.byteLength).toBe(6);
  });

  it("turns a JPEG upright by its EXIF orientation (6: rotate 90° clockwise)", () => {
    const source = paint(16, 8, (x) => (x < 8 ? [230, 20, 20] : [20, 20, 230]));
    const plain = jpg(source);
    // APP1: "Exif\0\0", big-endian TIFF, one IFD0 entry: 0x0112 Orientation SHORT 1 = 6
    const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
    const payload = [...new TextEncoder().encode("Exif\0\0"), ...tiff];
    const app1 = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload];
    const bytes = new Uint8Array([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]);
    const image = decodeImage(bytes, "rotated.jpg");
    expect([image.width, image.height]).toEqual([8, 16]);
    expectClose(pixel(image, 4, 2), [230, 20, 20], 8); // the left (red) half is now on top
    expectClose(pixel(image, 4, 13), [20, 20, 230], 8);
  });

  it("throws the learner's reason for empty, unsupported and non-image bytes", () => {
    expect(reasonOf(() => decodeImage(new Uint8Array(0), "empty.png"))).toBe("empty file (0 bytes)");
    expect(reasonOf(() => decodeImage(fixture("orange.gif"), "x.png"))).toBe(
      "unsupported format: GIF; convert it to PNG or JPEG",
    );
    expect(reasonOf(() => decodeImage(fixture("orange.webp"), "x.jpg"))).toBe(
      "unsupported format: WebP; convert it to PNG or JPEG",
    );
    expect(reasonOf(() => decodeImage(new TextEncoder().encode("just text"), "x.jpg"))).toBe(
      "not an image (the bytes are not PNG or JPEG)",
    );
  });

  it("names the file on the error", () => {
    try {
      decodeImage(new Uint8Array(0), "cat/empty.png");
    } catch (error) {
      expect((error as ImageDecodeError).file).toBe("cat/empty.png");
    }
  });

  it("throws 'corrupt or truncated PNG/JPEG: …' for cut-off files", () => {
    const good = png(8, 8, new Array(256).fill(100));
    for (const keep of [30, good.length - 20, good.length - 1]) {
      expect(reasonOf(() => decodeImage(good.subarray(0, keep), "cut.png"))).toBe(
        "corrupt or truncated PNG: unexpected end of file",
      );
    }
    const photo = jpg(paint(32, 32, (x, y) => [x * 8, y * 8, 128]));
    // cut in the headers, in the scan data, and just before the end marker
    for (const keep of [300, photo.length >> 1, photo.length - 2]) {
      expect(reasonOf(() => decodeImage(photo.subarray(0, keep), "cut.jpg"))).toBe(
        "corrupt or truncated JPEG: unexpected end of file",
      );
    }
  });

  it("throws 'corrupt or truncated PNG: …' for a PNG with a damaged chunk", () => {
    const bad = png(4, 4, new Array(64).fill(50)).slice();
    bad[40] = bad[40]! ^ 0xff; // inside IDAT: the CRC no longer matches
    expect(reasonOf(() => decodeImage(bad, "bad.png"))).toMatch(/^corrupt or truncated PNG: \S/);
  });

  it("refuses a PNG whose header claims more than 100 megapixels, before decoding", () => {
    const bomb = png(1, 1, [0, 0, 0, 255]).slice();
    const view = new DataView(bomb.buffer);
    view.setUint32(16, 20000);
    view.setUint32(20, 20000);
    expect(reasonOf(() => decodeImage(bomb, "bomb.png"))).toBe(
      "image too large: 20000×20000 pixels (400 megapixels, the limit is 100 megapixels); shrink it first",
    );
  });
});
