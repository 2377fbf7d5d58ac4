/**
 * A PNG decoder that hands the image out one RGB row at a time, top to bottom, so a big image is
 * shrunk while it is decoded instead of after: each row is unfiltered, converted and pushed as soon as
 * its bytes are inflated. Up to INFLATE_AT_ONCE bytes of image data are inflated in one go by Node's
 * zlib (one buffer of exactly that size); more are streamed through fflate a slice at a time, so
 * memory stays at a few rows (plus garbage the collector takes back as it goes). An interlaced (Adam7)
 * PNG is assembled whole as RGB (3 bytes a pixel) first: each of its passes covers the whole image.
 *
 * Pixels are pngjs's, byte for byte: palette and grayscale expanded, 1/2/4/16-bit scaled to 8-bit
 * (round(v·255/max)), a tRNS colour made transparent, alpha composited over white as
 * {@link rgbaToRgb} does; gamma is ignored, as pngjs ignores it.
 */
import { crc32, inflateSync } from "node:zlib";
import { Unzlib } from "fflate";
import type { RowSink } from "../data/downscale.js";
import { rgbaToRgb, type RgbImage } from "../data/image.js";
import { u32 } from "../data/sniff.js";

/** Adam7's passes: first column and row, then the steps between columns and rows. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Samples a pixel by colour type: 0 gray, 2 RGB, 3 palette index, 4 gray + alpha, 6 RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The bit depths each colour type allows. */
const DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Image data that inflates to at most this many bytes is inflated in one go; more is streamed. */
const INFLATE_AT_ONCE = 32 * 1024 * 1024;
/** Compressed bytes streamed at once: what one step can inflate (deflate expands at most ~1000×). */
const SLICE = 16 * 1024;

interface Pass {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  width: number;
  height: number;
  /** Bytes of one row, without its filter-type byte. */
  rowBytes: number;
}

/**
 * Decodes PNG `bytes` (only read) and pushes its RGB rows, top to bottom, into the sink that
 * `rows(width, height)` returns once the header gives the size; returns that sink's image. Throws an
 * Error with the decoder's words on damaged data ("CRC mismatch in chunk IDAT", "unexpected end of file").
 */
export function decodePngRows(bytes: Uint8Array, rows: (width: number, height: number) => RowSink): RgbImage {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error("Invalid file signature");

  // the chunks: header, palette, transparency and the compressed image data
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let interlaced = false;
  let sink: RowSink | undefined;
  const palette = new Uint8Array(256 * 4);
  let paletteSize = 0;
  let transparent: number[] | undefined; // the tRNS colour of a gray or RGB PNG, in its own depth
  const compressed: Uint8Array[] = []; // the IDAT chunks' data
  for (let pos = 8; ;) {
    if (pos + 8 > bytes.length) throw new Error("unexpected end of file");
    const length = u32(bytes, pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const end = pos + 8 + length;
    if (end + 4 > bytes.length) throw new Error("unexpected end of file");
    if (crc32(bytes.subarray(pos + 4, end)) >>> 0 !== u32(bytes, end)) {
      throw new Error(`CRC mismatch in chunk ${type}`);
    }
    const data = bytes.subarray(pos + 8, end);
    if (sink === undefined && type !== "IHDR") throw new Error(`the first chunk is ${type}, not IHDR`);
    if (type === "IHDR") {
      width = u32(data, 0);
      height = u32(data, 4);
      depth = data[8]!;
      colorType = data[9]!;
      if (!(colorType in CHANNELS)) throw new Error(`Unsupported color type ${colorType}`);
      if (!DEPTHS[colorType]!.includes(depth)) throw new Error(`Unsupported bit depth ${depth}`);
      if (data[10] !== 0) throw new Error("Unsupported compression method");
      if (data[11] !== 0) throw new Error("Unsupported filter method");
      if (data[12] !== 0 && data[12] !== 1) throw new Error("Unsupported interlace method");
      if (width === 0 || height === 0) throw new Error(`bad image size: ${width}×${height}`);
      interlaced = data[12] === 1;
      sink = rows(width, height);
    } else if (type === "PLTE") {
      paletteSize = Math.min(256, Math.floor(length / 3));
      for (let i = 0; i < paletteSize; i++) palette.set([data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!, 255], i * 4);
    } else if (type === "tRNS") {
      if (colorType === 3) {
        if (paletteSize === 0) throw new Error("Transparency chunk must be after palette");
        if (length > paletteSize) throw new Error("More transparent colors than palette size");
        for (let i = 0; i < length; i++) palette[i * 4 + 3] = data[i]!;
      } else if (colorType === 0) {
        transparent = [(data[0]! << 8) | data[1]!];
      } else if (colorType === 2) {
        transparent = [(data[0]! << 8) | data[1]!, (data[2]! << 8) | data[3]!, (data[4]! << 8) | data[5]!];
      }
    } else if (type === "IDAT") {
      compressed.push(data);
    } else if (type === "IEND") {
      break;
    } else if (!(bytes[pos + 4]! & 0x20)) {
      throw new Error(`Unsupported critical chunk type ${type}`);
    }
    pos = end + 4;
  }
  if (compressed.length === 0) throw new Error("no image data (IDAT)");
  if (colorType === 3 && paletteSize === 0) throw new Error("no palette (PLTE) for a palette image");

  // the rows: filtered rows of each pass with pixels (one pass, the whole image, when not interlaced)
  const bitsPerPixel = CHANNELS[colorType]! * depth;
  const step = Math.max(1, bitsPerPixel >> 3); // bytes back to the same sample of the pixel to the left
  const passes: Pass[] = (interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const))
    .map(([x0, y0, dx, dy]) => {
      const passWidth = Math.max(0, Math.ceil((width - x0) / dx));
      const rowBytes = Math.ceil((passWidth * bitsPerPixel) / 8);
      return { x0, y0, dx, dy, width: passWidth, height: Math.max(0, Math.ceil((height - y0) / dy)), rowBytes };
    })
    .filter((p) => p.width > 0 && p.height > 0);
  const expected = passes.reduce((sum, p) => sum + p.height * (p.rowBytes + 1), 0);
  const rowLength = Math.max(...passes.map((p) => p.rowBytes + 1));
  let current = new Uint8Array(rowLength); // the row being filled: filter type, then the bytes
  let previous = new Uint8Array(current.length); // the row above, unfiltered (zeros above a pass's first)
  const rgba = new Uint8Array(width * 4);
  const full = interlaced ? new Uint8Array(width * height * 3) : undefined;
  let passIndex = 0;
  let row = 0; // rows of the pass done
  let filled = 0; // bytes of `current` received

  /** The `count` pixels of unfiltered row `cur` (from byte 1) as 8-bit RGBA in `rgba`, as pngjs makes them. */
  const toRgba = (cur: Uint8Array, count: number) => {
    const max = 2 ** depth - 1;
    const scale = depth !== 8 && colorType !== 3;
    const channels = CHANNELS[colorType]!;
    const sample =
      depth === 8
        ? (i: number) => cur[1 + i]!
        : depth === 16
          ? (i: number) => (cur[1 + 2 * i]! << 8) | cur[2 + 2 * i]!
          : (i: number) => (cur[1 + ((i * depth) >> 3)]! >> (8 - depth - ((i * depth) & 7))) & max;
    for (let x = 0; x < count; x++) {
      const o = x * 4;
      const s = x * channels;
      if (colorType === 3) {
        const index = sample(s);
        if (index >= paletteSize) throw new Error(`index ${index} not in palette`);
        rgba.set(palette.subarray(index * 4, index * 4 + 4), o);
        continue;
      }
      let r: number;
      let g: number;
      let b: number;
      let a = max;
      if (colorType === 0 || colorType === 4) {
        r = g = b = sample(s);
        if (colorType === 4) a = sample(s + 1);
        else if (transparent && transparent[0] === r) r = g = b = a = 0;
      } else {
        r = sample(s);
        g = sample(s + 1);
        b = sample(s + 2);
        if (colorType === 6) a = sample(s + 3);
        else if (transparent && transparent[0] === r && transparent[1] === g && transparent[2] === b) r = g = b = a = 0;
      }
      if (scale) {
        r = Math.floor((r * 255) / max + 0.5);
        g = Math.floor((g * 255) / max + 0.5);
        b = Math.floor((b * 255) / max + 0.5);
        a = Math.floor((a * 255) / max + 0.5);
      }
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = a;
    }
  };

  /** `current` holds a whole filtered row of pass `pass`: unfilter it, turn it into RGB and hand it on. */
  const finishRow = (pass: Pass) => {
    const cur = current;
    const prev = previous;
    const type = cur[0];
    const n = pass.rowBytes + 1;
    if (type === 1) {
      for (let i = 1 + step; i < n; i++) cur[i] = cur[i]! + cur[i - step]!;
    } else if (type === 2) {
      for (let i = 1; i < n; i++) cur[i] = cur[i]! + prev[i]!;
    } else if (type === 3) {
      for (let i = 1; i < n; i++) cur[i] = cur[i]! + (((i > step ? cur[i - step]! : 0) + prev[i]!) >> 1);
    } else if (type === 4) {
      for (let i = 1; i < n; i++) {
        const a = i > step ? cur[i - step]! : 0;
        const b = prev[i]!;
        const c = i > step ? prev[i - step]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        cur[i] = cur[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    } else if (type !== 0) {
      throw new Error(`Unrecognised filter type - ${type}`);
    }
    toRgba(cur, pass.width);
    const rgb = rgbaToRgb(rgba.subarray(0, pass.width * 4), pass.width, 1, { inPlace: true }).data;
    if (full === undefined) sink!.push(rgb);
    else {
      const y = pass.y0 + row * pass.dy;
      for (let i = 0; i < pass.width; i++)
        full.set(rgb.subarray(i * 3, i * 3 + 3), (y * width + pass.x0 + i * pass.dx) * 3);
    }
    [current, previous] = [previous, current];
    if (++row === pass.height) {
      row = 0;
      passIndex++;
      previous.fill(0);
    }
  };

  /** Takes the next inflated bytes: fills rows, finishing each as it completes; bytes after the last row are ignored. */
  const take = (chunk: Uint8Array) => {
    for (let i = 0; i < chunk.length && passIndex < passes.length;) {
      const pass = passes[passIndex]!;
      const n = Math.min(pass.rowBytes + 1 - filled, chunk.length - i);
      current.set(chunk.subarray(i, i + n), filled);
      filled += n;
      i += n;
      if (filled === pass.rowBytes + 1) {
        filled = 0;
        finishRow(pass);
      }
    }
  };

  if (expected <= INFLATE_AT_ONCE) {
    let inflated: Buffer;
    try {
      inflated = inflateSync(Buffer.concat(compressed), {
        chunkSize: Math.max(64, expected),
        maxOutputLength: expected,
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw code === "ERR_BUFFER_TOO_LARGE" ? new Error("more image data than the header's size") : error;
    }
    take(inflated);
  } else {
    const inflater = new Unzlib((chunk) => take(chunk));
    for (const data of compressed) {
      for (let i = 0; i < data.length; i += SLICE) inflater.push(data.subarray(i, i + SLICE));
    }
    inflater.push(new Uint8Array(0), true);
  }
  if (passIndex < passes.length) throw new Error("unexpected end of image data");
  if (full !== undefined) for (let y = 0; y < height; y++) sink!.push(full, y * width * 3);
  return sink!.finish();
}
