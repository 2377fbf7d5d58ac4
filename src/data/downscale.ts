/**
 * Shrinking and turning decoded images. Area averaging (each output pixel is the mean of the source
 * area it covers, partial pixels weighted by their overlap): the right filter for large reductions,
 * where nearest or bilinear sampling would alias. Universal: plain typed arrays.
 */
import { createImage, type RgbImage } from "./image.js";

function checkMaxSize(maxSize: number): void {
  if (!(Number.isInteger(maxSize) && maxSize > 0)) {
    throw new Error(`invalid maxSize: ${maxSize}; it must be a positive integer (pixels on the shorter side)`);
  }
}

/**
 * The size a `width`×`height` image gets when its shorter side is brought down to `maxSize`, aspect
 * ratio kept (longer side rounded, at least 1); the same size when the shorter side is already ≤ maxSize.
 */
export function fitSize(width: number, height: number, maxSize: number): { width: number; height: number } {
  checkMaxSize(maxSize);
  const short = Math.min(width, height);
  if (short <= maxSize) return { width, height };
  const scale = maxSize / short;
  return width <= height
    ? { width: maxSize, height: Math.max(1, Math.round(height * scale)) }
    : { width: Math.max(1, Math.round(width * scale)), height: maxSize };
}

/**
 * For each of `dst` output positions, the source positions it covers and their weights (summing to 1):
 * output i covers source [i·s, (i+1)·s) with s = src/dst. `start[i]..start[i+1]` index `index`/`weight`.
 */
function spans(src: number, dst: number): { start: Int32Array; index: Int32Array; weight: Float64Array } {
  const s = src / dst;
  const start = new Int32Array(dst + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < dst; i++) {
    const from = i * s;
    const to = Math.min(src, (i + 1) * s);
    for (let j = Math.floor(from); j < to; j++) {
      const overlap = Math.min(to, j + 1) - Math.max(from, j);
      if (overlap > 1e-9) {
        index.push(j);
        weight.push(overlap / s);
      }
    }
    start[i + 1] = index.length;
  }
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/**
 * Takes an image's RGB rows top to bottom and builds an image from them, so a decoder can shrink a
 * photo without ever holding it whole. Made by {@link resizeAreaRows} and {@link downscaleRowsToFit}.
 */
export interface RowSink {
  /** The next row: the source width's RGB pixels, 3 bytes each, in `data` from `offset`; only read during the call. */
  push(data: Uint8Array, offset?: number): void;
  /** The image built, once every source row has been pushed (throws when some are missing). It owns its pixels. */
  finish(): RgbImage;
}

function checkShrink(srcWidth: number, srcHeight: number, width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`invalid size: ${width}×${height}; width and height must be positive integers`);
  }
  if (width > srcWidth || height > srcHeight) {
    throw new Error(`resizeArea only shrinks: asked for ${width}×${height} from ${srcWidth}×${srcHeight}`);
  }
}

/**
 * The streaming form of {@link resizeArea}: a sink for the `srcHeight` rows of a `srcWidth`×`srcHeight`
 * image that builds its `width`×`height` area average, pixel for pixel the same. Each source row is
 * averaged horizontally once, then added to the (at most two) output rows it overlaps; an output row is
 * rounded into the result as soon as its last source row arrives. Besides the result it holds three
 * rows of `width` RGB floats.
 */
export function resizeAreaRows(srcWidth: number, srcHeight: number, width: number, height: number): RowSink {
  checkShrink(srcWidth, srcHeight, width, height);
  const out = createImage(width, height);
  const xs = spans(srcWidth, width);
  const ys = spans(srcHeight, height);
  const row = new Float64Array(width * 3); // the pushed row, averaged horizontally
  let acc = new Float64Array(width * 3); // output row `oy`, so far
  let next = new Float64Array(width * 3); // output row `oy + 1`, so far
  let sy = 0; // the next source row
  let oy = 0; // the first output row not yet written
  let k = ys.start[0]!; // ys entry of row oy that the next source row may be
  let kNext = ys.start[1]!; // the same for row oy + 1
  return {
    push(src, offset = 0) {
      if (sy >= srcHeight) throw new Error(`resizeAreaRows: more than the ${srcHeight} rows of the source`);
      for (let ox = 0; ox < width; ox++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let m = xs.start[ox]!; m < xs.start[ox + 1]!; m++) {
          const p = offset + xs.index[m]! * 3;
          const wx = xs.weight[m]!;
          r += wx * src[p]!;
          g += wx * src[p + 1]!;
          b += wx * src[p + 2]!;
        }
        row[ox * 3] = r;
        row[ox * 3 + 1] = g;
        row[ox * 3 + 2] = b;
      }
      // a shrink (s ≥ 1) puts each source row in at most two consecutive output rows
      if (k < ys.start[oy + 1]! && ys.index[k] === sy) {
        const wy = ys.weight[k++]!;
        for (let i = 0; i < acc.length; i++) acc[i]! += wy * row[i]!;
      }
      if (oy + 1 < height && kNext < ys.start[oy + 2]! && ys.index[kNext] === sy) {
        const wy = ys.weight[kNext++]!;
        for (let i = 0; i < next.length; i++) next[i]! += wy * row[i]!;
      }
      sy++;
      while (oy < height && k === ys.start[oy + 1]!) {
        const base = oy * width * 3;
        for (let i = 0; i < acc.length; i++) out.data[base + i] = Math.min(255, Math.max(0, Math.round(acc[i]! + 1e-7)));
        [acc, next] = [next, acc];
        next.fill(0);
        oy++;
        k = kNext;
        kNext = ys.start[Math.min(oy + 1, height)]!;
      }
    },
    finish() {
      if (sy !== srcHeight || oy !== height) {
        throw new Error(`resizeAreaRows: got ${sy} of the source's ${srcHeight} rows`);
      }
      return out;
    },
  };
}

/**
 * A new `width`×`height` image, each pixel the area average of the part of `image` it covers. Only
 * shrinks: `width` ≤ image.width and `height` ≤ image.height. Works one source row at a time (every
 * source row is read once; see {@link resizeAreaRows}), so the only extra memory is three output rows
 * of floats.
 */
export function resizeArea(image: RgbImage, width: number, height: number): RgbImage {
  const rows = resizeAreaRows(image.width, image.height, width, height);
  for (let y = 0; y < image.height; y++) rows.push(image.data, y * image.width * 3);
  return rows.finish();
}

/**
 * A sink for the rows of a `width`×`height` image that builds it shrunk as {@link downscaleToFit} would
 * (same pixels): area averaged to {@link fitSize}, or copied when it already fits. Decoders push rows
 * into it, so only the small image is ever whole.
 */
export function downscaleRowsToFit(width: number, height: number, maxSize: number): RowSink {
  const size = fitSize(width, height, maxSize);
  if (size.width !== width || size.height !== height) return resizeAreaRows(width, height, size.width, size.height);
  const out = createImage(width, height);
  const stride = width * 3;
  let y = 0;
  return {
    push(src, offset = 0) {
      if (y >= height) throw new Error(`downscaleRowsToFit: more than the ${height} rows of the source`);
      out.data.set(src.subarray(offset, offset + stride), y++ * stride);
    },
    finish() {
      if (y !== height) throw new Error(`downscaleRowsToFit: got ${y} of the source's ${height} rows`);
      return out;
    },
  };
}

/**
 * `image` shrunk by area averaging so its SHORTER side is at most `maxSize`, aspect ratio kept
 * (see {@link fitSize}). Returns `image` itself, untouched, when it is already small enough;
 * otherwise a new image (the input is never modified).
 */
export function downscaleToFit(image: RgbImage, maxSize: number): RgbImage {
  const size = fitSize(image.width, image.height, maxSize);
  if (size.width === image.width && size.height === image.height) return image;
  return resizeArea(image, size.width, size.height);
}

/**
 * `image` turned upright by its EXIF orientation (1–8), as browsers show it: 2 mirror, 3 rotate 180°,
 * 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
 * 5–8 swap width and height. Returns `image` itself for 1 or an unknown value; otherwise a new image.
 */
export function orientImage(image: RgbImage, orientation: number): RgbImage {
  if (!(Number.isInteger(orientation) && orientation >= 2 && orientation <= 8)) return image;
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5;
  const out = createImage(swap ? h : w, swap ? w : h);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; break; // 8
      }
      const s = (sy * w + sx) * 3;
      const d = (y * out.width + x) * 3;
      out.data[d] = data[s]!;
      out.data[d + 1] = data[s + 1]!;
      out.data[d + 2] = data[s + 2]!;
    }
  }
  return out;
}
