// The row-streaming JPEG decoder (src/data/jpeg*.ts) against two references on the fixtures of
// tests/fixtures/jpeg/ (how each was made: its README.md):
// - libjpeg-turbo 2.1.5's `djpeg -dct float -nosmooth` (a float IDCT, chroma replicated as ours is):
//   the SHA-256 of the RGB bytes must match exactly (gray expanded to v, v, v);
// - jpeg-js, decoding the same bytes: every channel within 3 and the mean difference within 1. jpeg-js
//   uses an integer IDCT and its own YCbCr rounding, so ±1 differences are everywhere (measured: max 3,
//   mean 0.52 for colour, max 1, mean 0.07 for gray); a wrong block, table or upsampling gives tens.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import jpeg from "jpeg-js";
import { describe, expect, it } from "vitest";
import type { RowSink } from "../../src/data/downscale.js";
import { createImage, type RgbImage } from "../../src/data/image.js";
import { ImageDecodeError } from "../../src/data/sniff.js";
import { decodeImage } from "../../src/node/decode.js";
import { EntropyReader, buildHuffmanTable } from "../../src/data/jpeg-huffman.js";
import { ZIGZAG, inverseDct } from "../../src/data/jpeg-idct.js";
import { decodeJpegRows } from "../../src/data/jpeg.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));

/** SHA-256 (first 16 hex digits) of djpeg -dct float -nosmooth's RGB for each fixture. */
const DJPEG_FLOAT: Record<string, string> = {
  "pet-444.jpg": "af6dc1634436a69d",
  "pet-422.jpg": "a098407f91313372",
  "pet-420.jpg": "2fe3b2b82f7d4b20",
  "pet-440.jpg": "d1571ada1599c1a3",
  "pet-411.jpg": "b412e5d1e7574a1b",
  "pet-420-restart.jpg": "2fe3b2b82f7d4b20",
  "pet-420-optimized-restart-row.jpg": "2fe3b2b82f7d4b20",
  "pet-420-separate-scans.jpg": "2fe3b2b82f7d4b20",
  "pet-420-progressive.jpg": "2fe3b2b82f7d4b20",
  "pet-444-progressive-restart.jpg": "af6dc1634436a69d",
  "pet-gray.jpg": "5124fc32b300e3eb",
  "pet-gray-progressive.jpg": "5124fc32b300e3eb",
  "pet-rgb.jpg": "f1768091557ca15d",
  "tile-420-restart.jpg": "685cd55e21186bce",
  "tile-420-progressive-restart.jpg": "685cd55e21186bce",
};

/** decodeJpegRows into a full-size image, with the size `rows` was called with and the rows pushed. */
function decodeFull(bytes: Uint8Array): { image: RgbImage | undefined; calls: number[][]; pushed: number } {
  const calls: number[][] = [];
  let pushed = 0;
  const image = decodeJpegRows(bytes, (width, height): RowSink => {
    calls.push([width, height]);
    const out = createImage(width, height);
    return {
      push(data, offset = 0) {
        out.data.set(data.subarray(offset, offset + width * 3), pushed++ * width * 3);
      },
      finish: () => out,
    };
  });
  return { image, calls, pushed };
}

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex").slice(0, 16);

/** The largest and the mean absolute difference between two equal-length byte arrays. */
function difference(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

/** The offsets of a JPEG's marker segments up to its first scan: [marker, offset of the 0xFF]. */
function segments(bytes: Uint8Array): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 2; i + 4 <= bytes.length; i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!)) {
    found.push([bytes[i + 1]!, i]);
    if (bytes[i + 1] === 0xda) break;
  }
  return found;
}

/** `bytes` without its marker segments of kind `marker` before the first scan. */
function without(bytes: Uint8Array, marker: number): Uint8Array {
  const kept: number[] = [0xff, 0xd8];
  const found = segments(bytes);
  found.forEach(([m, at], i) => {
    const next = i + 1 < found.length ? found[i + 1]![1] : at;
    if (m !== marker) kept.push(...bytes.subarray(at, m === 0xda ? bytes.length : next));
  });
  return Uint8Array.from(kept);
}

/** Where the first scan's entropy-coded data starts. */
function scanDataStart(bytes: Uint8Array): number {
  const [, sos] = segments(bytes).at(-1)!;
  return sos + 2 + ((bytes[sos + 2]! << 8) | bytes[sos + 3]!);
}

/** The decode error's reason. */
function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

describe("decodeJpegRows(bytes, rows)", () => {
  it("gives libjpeg-turbo's float-IDCT pixels exactly for every sampling, restart and progressive fixture", () => {
    for (const [name, hash] of Object.entries(DJPEG_FLOAT)) {
      const { image, calls, pushed } = decodeFull(fixture(`jpeg/${name}`));
      const size = name.startsWith("tile") ? [16, 16] : [61, 45];
      expect(calls, name).toEqual([size]);
      expect(pushed, name).toBe(size[1]);
      expect(sha(image!.data), name).toBe(hash);
    }
  });

  it("stays within 3 of jpeg-js on every channel, mean difference within 1", () => {
    for (const name of Object.keys(DJPEG_FLOAT).filter((n) => n !== "pet-rgb.jpg")) {
      const bytes = fixture(`jpeg/${name}`);
      const ours = decodeFull(bytes).image!;
      const theirs = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
      const { max, mean } = difference(ours.data, theirs.data);
      expect(max, name).toBeLessThanOrEqual(3);
      expect(mean, name).toBeLessThanOrEqual(1);
    }
  });

  it("keeps an Adobe RGB JPEG's channels as stored, without a YCbCr conversion", () => {
    // the same drawing coded as YCbCr: the two differ only by their coding losses (measured mean 4.4)
    const rgb = decodeFull(fixture("jpeg/pet-rgb.jpg")).image!;
    const ycc = decodeFull(fixture("jpeg/pet-444.jpg")).image!;
    expect(difference(rgb.data, ycc.data).mean).toBeLessThan(6);
    // read as YCbCr (as jpeg-js does) the colours are far off
    const misread = jpeg.decode(fixture("jpeg/pet-rgb.jpg"), { useTArray: true, formatAsRGBA: false });
    expect(difference(misread.data, ycc.data).mean).toBeGreaterThan(30);
  });

  it("pushes a baseline JPEG's rows as its MCU rows are decoded, before the scan ends", () => {
    // the scan cut at half its data, then an end marker: the first MCU rows are out before the error
    const good = fixture("jpeg/pet-420.jpg");
    const start = scanDataStart(good);
    const cut = Uint8Array.from([...good.subarray(0, start + ((good.length - start) >> 1)), 0xff, 0xd9]);
    let pushed = 0;
    const reason = reasonOf(() =>
      decodeJpegRows(cut, () => ({
        push: () => void pushed++,
        finish: () => createImage(1, 1),
      })),
    );
    expect(reason).toBe("the JPEG's image data stops before its last block (cut short or damaged)");
    expect(pushed % 16).toBe(0); // whole MCU rows of 16 lines
    expect(pushed).toBeGreaterThanOrEqual(16);
    expect(pushed).toBeLessThan(45);
  });

  it("returns undefined for a CMYK JPEG without calling rows, and decodeImage gives it to jpeg-js", () => {
    const cmyk = fixture("cmyk-quadrants.jpg");
    const { image, calls } = decodeFull(cmyk);
    expect(image).toBeUndefined();
    expect(calls).toEqual([]);
    expect([decodeImage(cmyk, "cmyk.jpg").width, decodeImage(cmyk, "cmyk.jpg").height]).toEqual([16, 16]);
  });

  it("throws 'the JPEG has no image data (no scan)' for headers followed by the end marker", () => {
    const good = fixture("jpeg/pet-420.jpg");
    const sos = segments(good).at(-1)![1];
    expect(reasonOf(() => decodeFull(Uint8Array.from([...good.subarray(0, sos), 0xff, 0xd9])))).toBe(
      "the JPEG has no image data (no scan)",
    );
  });

  it("throws 'the JPEG ends before its image data does' for a file cut in its headers", () => {
    const good = fixture("jpeg/pet-420.jpg");
    for (const keep of [3, 100, scanDataStart(good) - 3]) {
      expect(
        reasonOf(() => decodeFull(good.subarray(0, keep))),
        `${keep} bytes`,
      ).toBe("the JPEG ends before its image data does");
    }
  });
});

describe("decodeImage(bytes, file) on a damaged or unsupported JPEG", () => {
  const good = fixture("jpeg/pet-420.jpg");
  const start = scanDataStart(good);
  const at = (marker: number) => segments(good).find(([m]) => m === marker)![1];
  const sof = at(0xc0);
  const sofSegment = good.subarray(sof, at(0xc4));
  const cases: [string, Uint8Array, string][] = [
    [
      "scan data cut, end marker kept",
      Uint8Array.from([...good.subarray(0, start + 200), 0xff, 0xd9]),
      "the JPEG's image data stops before its last block (cut short or damaged)",
    ],
    [
      "scan data of all 1 bits",
      Uint8Array.from([...good.subarray(0, start), ...new Array(400).fill([0xff, 0x00]).flat(), 0xff, 0xd9]),
      "the image data holds a bit pattern that is no Huffman code of its table",
    ],
    ["no Huffman tables", without(good, 0xc4), "a scan uses DC Huffman table 0, which the JPEG does not define"],
    [
      "no quantisation tables",
      without(good, 0xdb),
      "a component uses quantisation table 0, which the JPEG does not define",
    ],
    [
      "a second frame header",
      Uint8Array.from([...good.subarray(0, sof), ...sofSegment, ...good.subarray(sof)]),
      "the JPEG has more than one frame header (SOF)",
    ],
    [
      "stray bytes between segments",
      Uint8Array.from([...good.subarray(0, sof), 0x12, 0x34, ...good.subarray(sof)]),
      `the JPEG has data where a marker should be (byte ${sof})`,
    ],
  ];
  for (const [what, bytes, reason] of cases) {
    it(`says "${reason}" for ${what}`, () => {
      let error: unknown;
      try {
        decodeImage(bytes, "bad.jpg");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect((error as ImageDecodeError).message).toBe(`corrupt or truncated JPEG: ${reason}`);
      expect((error as ImageDecodeError).file).toBe("bad.jpg");
    });
  }

  it("refuses an arithmetic-coded JPEG with a sentence", () => {
    expect(reasonOf(() => decodeImage(fixture("jpeg/pet-arithmetic.jpg"), "a.jpg"))).toBe(
      "unsupported JPEG: arithmetic coding (SOF9); re-save it as an ordinary JPEG or as PNG",
    );
  });
});

describe("inverseDct(coefficients, at, quant, out, outAt, stride)", () => {
  it("equals T.81's IDCT formula (A.3.3), level-shifted, rounded and clamped", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (let trial = 0; trial < 20; trial++) {
      const coefficients = new Int16Array(64 + 5);
      const quant = new Float64Array(64);
      for (let i = 0; i < 64; i++) {
        // a DC level, then AC terms fading with frequency; some blocks DC-only
        coefficients[5 + i] =
          i === 0 ? Math.round(random() * 60) : trial % 4 === 0 ? 0 : Math.round(random() * (40 / (1 + i)));
        quant[i] = (1 + (i % 7)) / 4;
      }
      const out = new Uint8Array(3 + 8 * 10);
      inverseDct(coefficients, 5, quant, out, 3, 10);
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          let sum = 0;
          for (let v = 0; v < 8; v++) {
            for (let u = 0; u < 8; u++) {
              const cu = u === 0 ? Math.SQRT1_2 : 1;
              const cv = v === 0 ? Math.SQRT1_2 : 1;
              const f = coefficients[5 + v * 8 + u]! * quant[v * 8 + u]! * 4;
              sum +=
                cu * cv * f * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
            }
          }
          const expected = Math.min(255, Math.max(0, Math.round(sum / 4 + 128)));
          expect(out[3 + y * 10 + x], `trial ${trial} (${x}, ${y})`).toBe(expected);
        }
      }
    }
  });

  it("ZIGZAG lists T.81's zig-zag order (figure A.6) as natural indices", () => {
    expect(Array.from(ZIGZAG.subarray(0, 10))).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    expect(Array.from(ZIGZAG.subarray(60))).toEqual([47, 55, 62, 63]);
    expect(new Set(ZIGZAG).size).toBe(64);
  });
});

describe("EntropyReader(data, pos).symbol(table)", () => {
  it("reads canonical Huffman codes, short and long, across a stuffed 0xFF byte, and flags bits past a marker", () => {
    // lengths: two codes of 2 bits (00 → 5, 01 → 7), one of 3 (100 → 9), one of 12 (101000000000 → 42)
    const counts = new Uint8Array(16);
    counts[1] = 2;
    counts[2] = 1;
    counts[11] = 1;
    const table = buildHuffmanTable(counts, Uint8Array.from([5, 7, 9, 42]));
    // 00 01 100 101000000000, then thirteen 1 bits (the last eight from 0xFF 0x00), then a marker:
    // 0001 1001 | 0100 0000 | 0001 1111 | 1111 1111 (stuffed) | FF D9
    const data = Uint8Array.from([0x19, 0x40, 0x1f, 0xff, 0x00, 0xff, 0xd9]);
    const reader = new EntropyReader(data, 0);
    expect([reader.symbol(table), reader.symbol(table), reader.symbol(table), reader.symbol(table)]).toEqual([
      5, 7, 9, 42,
    ]);
    expect(reader.bits(13)).toBe(0b1111111111111);
    expect(reader.overrun()).toBe(false);
    expect(reader.bits(1)).toBe(0); // past the marker: padding
    expect(reader.overrun()).toBe(true);
    expect(reader.end()).toBe(5);
  });

  it("throws on bits that are no code of the table", () => {
    const counts = new Uint8Array(16);
    counts[0] = 1; // the single code 0
    const reader = new EntropyReader(Uint8Array.from([0x80, 0, 0]), 0);
    expect(() => reader.symbol(buildHuffmanTable(counts, Uint8Array.from([3])))).toThrow(
      "the image data holds a bit pattern that is no Huffman code of its table",
    );
  });
});
