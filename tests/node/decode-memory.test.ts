// Peak memory of decoding very large images, measured as a fresh Node process's RSS (decode-peak.ts)
// above the process's RSS just before decoding: a PNG at most 2.2× the decoded image's RGBA bytes
// (+ SLACK); a 9000×9000 baseline JPEG at most JPEG_ROWS (it is shown an MCU row at a time), a
// progressive one at most its coefficients (2 bytes each) + JPEG_ROWS. Each test prints its peak.
import { tiledJpeg } from "../util/tiled-jpeg.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import pngjs from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { downscaleRowsToFit } from "../../src/data/downscale.js";
import { decodeImage } from "../../src/node/decode.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./decode-peak.ts", import.meta.url));
const MiB = 1024 * 1024;
/** What decoding costs whatever the image's size: compiled code, zlib's state, row buffers. */
const SLACK = 2 * MiB;
/** What a streamed JPEG decode may hold besides any coefficients: MCU rows of a 9000-pixel-wide image, code, garbage. */
const JPEG_ROWS = 16 * MiB;
const dir = mkdtempSync(join(tmpdir(), "dlcourse-peak-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Peak {
  width: number;
  height: number;
  pixels: number[][];
  baseline: number;
  peak: number;
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Decodes `file` in a fresh Node process after `warmup`: the result's size, its pixels at `points` ("x,y") and RSS in bytes. */
function measure(warmup: string, file: string, points: string[]): Peak {
  // --single-threaded: V8's background threads (compilers, GC) would add their own page faults, which
  // Linux counts per thread and adds to the process's RSS only in batches: megabytes of noise
  const run = spawnSync(process.execPath, ["--single-threaded", "--import", "tsx", CHILD, warmup, file, ...points], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`decode-peak.ts exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Peak;
}

/** Checks the peak against 2.2 × the RGBA size (+ SLACK) and prints it. */
function expectCeiling(what: string, width: number, height: number, { baseline, peak }: Peak): void {
  const rgba = width * height * 4;
  const bound = 2.2 * rgba + SLACK;
  const mib = (n: number) => (n / MiB).toFixed(1);
  console.log(
    `${what}: peak RSS ${mib(peak)} MiB, ${mib(peak - baseline)} MiB above the ${mib(baseline)} MiB before decoding ` +
      `(${((peak - baseline) / rgba).toFixed(2)}× its ${mib(rgba)} MiB of RGBA; bound ${mib(bound)} MiB)`,
  );
  expect(peak - baseline).toBeLessThanOrEqual(bound);
}

/** A width×height RGBA buffer (4 bytes a pixel) whose pixel (x, y) is `pixel(x)` on every row. */
function rows(width: number, height: number, pixel: (x: number) => readonly number[]): Uint8Array {
  const line = new Uint8Array(width * 4);
  for (let x = 0; x < width; x++) line.set(pixel(x), x * 4);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) data.set(line, y * width * 4);
  return data;
}

/** A PNG of RGBA rows, each with filter type 0, in one IDAT (zlib level 1). */
function rgbaPng(width: number, height: number, data: Uint8Array): Uint8Array {
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, "latin1");
    out.set(body, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, not interlaced
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const signature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = deflateSync(raw, { level: 1 });
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))]);
}

function expectClose(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((v, i) =>
    expect(Math.abs(v - expected[i]!), `channel ${i}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance),
  );
}

describe("decodeImage(bytes, file) peak memory", () => {
  const smallPng = () => {
    const png = new pngjs.PNG({ width: 16, height: 16 });
    png.data = Buffer.from(rows(16, 16, () => [9, 9, 9, 255]));
    return write("small.png", pngjs.PNG.sync.write(png));
  };

  it("keeps a 20000×20 PNG whole within 2.2× its RGBA size plus 2 MiB", { timeout: 60_000 }, () => {
    const png = new pngjs.PNG({ width: 20000, height: 20 });
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20000; x++) png.data.set([x & 255, y * 10, 100, 255], (y * 20000 + x) * 4);
    }
    const file = write("wide.png", pngjs.PNG.sync.write(png));
    const result = measure(smallPng(), file, ["300,5", "19999,19"]);
    expect([result.width, result.height]).toEqual([20000, 20]); // the shorter side already fits 256
    expect(result.pixels).toEqual([
      [44, 50, 100],
      [31, 190, 100],
    ]);
    expectCeiling("20000×20 PNG", 20000, 20, result);
  });

  it(
    "streams a 6000×4000 RGBA PNG (96 MB of pixel data) down to 384×256 within 2.2× its RGBA size",
    { timeout: 60_000 },
    () => {
      const data = rows(6000, 4000, (x) => (x < 3000 ? [200, 100, 0, 128] : [0, 0, 255, 255]));
      const file = write("big.png", rgbaPng(6000, 4000, data));
      const result = measure(smallPng(), file, ["10,128", "373,128"]);
      expect([result.width, result.height]).toEqual([384, 256]);
      // half-transparent orange over white: c·128/255 + 255·127/255
      expect(result.pixels).toEqual([
        [227, 177, 127],
        [0, 0, 255],
      ]);
      expectCeiling("6000×4000 PNG", 6000, 4000, result);
    },
  );
});

const jpegFixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/jpeg/${name}`, import.meta.url))));

/** What decodeImage (maxSize 256) gives for a `width`×`height` image tiled with the 16×16 `tile`, at `points`. */
function tiledPixels(tile: Uint8Array, width: number, height: number, points: string[]): number[][] {
  const small = decodeImage(tile, "tile.jpg");
  const sink = downscaleRowsToFit(width, height, 256);
  const lines = Array.from({ length: 16 }, (_, y) => {
    const line = new Uint8Array(width * 3);
    for (let x = 0; x < width; x++)
      line.set(small.data.subarray((y * 16 + (x % 16)) * 3, (y * 16 + (x % 16)) * 3 + 3), x * 3);
    return line;
  });
  for (let y = 0; y < height; y++) sink.push(lines[y % 16]!);
  const image = sink.finish();
  return points.map((point) => {
    const [x, y] = point.split(",").map(Number) as [number, number];
    return Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
  });
}

/** Checks the peak against `bound` bytes and prints it. */
function expectJpegPeak(what: string, bound: number, { baseline, peak }: Peak): void {
  const mib = (n: number) => (n / MiB).toFixed(1);
  console.log(
    `${what}: peak RSS ${mib(peak)} MiB, ${mib(peak - baseline)} MiB above the ${mib(baseline)} MiB before decoding ` +
      `(bound ${mib(bound)} MiB)`,
  );
  expect(peak - baseline).toBeLessThanOrEqual(bound);
}

describe("decodeImage(bytes, file) peak memory for a 9000×9000 JPEG", () => {
  const points = ["0,0", "37,101", "128,128", "255,255"];
  const warmup = () => write("small.jpg", jpegFixture("pet-420.jpg"));

  it("shows a baseline 4:2:0 JPEG an MCU row at a time, within 16 MiB", { timeout: 60_000 }, () => {
    const tile = jpegFixture("tile-420-restart.jpg");
    const file = write("big-baseline.jpg", tiledJpeg(tile, 9000, 9000));
    const result = measure(warmup(), file, points);
    expect([result.width, result.height]).toEqual([256, 256]);
    expect(result.pixels).toEqual(tiledPixels(tile, 9000, 9000, points));
    expectJpegPeak("9000×9000 baseline 4:2:0 JPEG", JPEG_ROWS, result);
  });

  it("keeps a progressive 4:2:0 JPEG's coefficients only (232 MiB), within 248 MiB", { timeout: 60_000 }, () => {
    const tile = jpegFixture("tile-420-progressive-restart.jpg");
    const file = write("big-progressive.jpg", tiledJpeg(tile, 9000, 9000));
    const result = measure(warmup(), file, points);
    expect([result.width, result.height]).toEqual([256, 256]);
    expect(result.pixels).toEqual(tiledPixels(tile, 9000, 9000, points));
    // 2 bytes a coefficient: Y 1126×1126 blocks, Cb and Cr 563×563 each (the MCU grid), 64 a block
    const coefficients = (1126 * 1126 + 2 * 563 * 563) * 64 * 2;
    expectJpegPeak("9000×9000 progressive 4:2:0 JPEG", coefficients + JPEG_ROWS, result);
  });
});
