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
 * A new `width`×`height` image, each pixel the area average of the part of `image` it covers. Only
 * shrinks: `width` ≤ image.width and `height` ≤ image.height. Works one source row at a time (every
 * source row is read once), so the only extra memory is two output rows of floats.
 */
export function resizeArea(image: RgbImage, width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`invalid size: ${width}×${height}; width and height must be positive integers`);
  }
  if (width > image.width || height > image.height) {
    throw new Error(`resizeArea only shrinks: asked for ${width}×${height} from ${image.width}×${image.height}`);
  }
  const out = createImage(width, height);
  const xs = spans(image.width, width);
  const ys = spans(image.height, height);
  const src = image.data;
  const rowStride = image.width * 3;
  const row = new Float64Array(width * 3); // one source row, averaged horizontally
  const acc = new Float64Array(width * 3); // the output row being built
  let cachedRow = -1;
  for (let oy = 0; oy < height; oy++) {
    acc.fill(0);
    for (let k = ys.start[oy]!; k < ys.start[oy + 1]!; k++) {
      const sy = ys.index[k]!;
      const wy = ys.weight[k]!;
      if (sy !== cachedRow) {
        // consecutive output rows share at most their boundary source row: cache it
        const base = sy * rowStride;
        for (let ox = 0; ox < width; ox++) {
          let r = 0;
          let g = 0;
          let b = 0;
          for (let m = xs.start[ox]!; m < xs.start[ox + 1]!; m++) {
            const p = base + xs.index[m]! * 3;
            const wx = xs.weight[m]!;
            r += wx * src[p]!;
            g += wx * src[p + 1]!;
            b += wx * src[p + 2]!;
          }
          row[ox * 3] = r;
          row[ox * 3 + 1] = g;
          row[ox * 3 + 2] = b;
        }
        cachedRow = sy;
      }
      for (let i = 0; i < acc.length; i++) acc[i]! += wy * row[i]!;
    }
    const offset = oy * width * 3;
    for (let i = 0; i < acc.length; i++) out.data[offset + i] = Math.min(255, Math.max(0, Math.round(acc[i]! + 1e-7)));
  }
  return out;
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
