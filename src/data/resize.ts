import { createImage, type RgbImage } from "./image.js";

/** fastai's ResizeMethod: stretch the whole image, cut the centre square, or fit it inside and pad. */
export type ResizeMode = "squish" | "crop" | "pad";

export const RESIZE_MODES: readonly ResizeMode[] = ["squish", "crop", "pad"];

export interface ResizeOptions {
  /** Default "crop" (fastai's Resize default). */
  mode?: ResizeMode;
  /** Fill for "pad" borders, RGB 0–255. Default black, as fastai's zero padding. */
  padColor?: [number, number, number];
}

/**
 * Resizes to `size × size` (an item transform). Downscaling averages each output pixel's footprint,
 * upscaling interpolates bilinearly, so big images do not alias. Returns a new image; `image` is
 * untouched.
 */
export function resizeImage(image: RgbImage, size: number, { mode = "crop", padColor = [0, 0, 0] }: ResizeOptions = {}): RgbImage {
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid size: ${size}; use a positive integer number of pixels, e.g. 64`);
  if (!RESIZE_MODES.includes(mode)) throw new Error(`invalid resize mode: ${JSON.stringify(mode)}; use "squish", "crop" or "pad"`);
  const { width: w, height: h } = image;
  if (mode === "squish") return resample(image, { x: 0, y: 0, w, h }, size, size);
  if (mode === "crop") {
    const side = Math.min(w, h);
    return resample(image, { x: (w - side) / 2, y: (h - side) / 2, w: side, h: side }, size, size);
  }
  const scale = size / Math.max(w, h);
  const [outW, outH] = [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
  const inner = resample(image, { x: 0, y: 0, w, h }, outW, outH);
  const out = createImage(size, size);
  for (let i = 0; i < size * size; i++) out.data.set(padColor, i * 3);
  const [left, top] = [Math.floor((size - outW) / 2), Math.floor((size - outH) / 2)];
  for (let y = 0; y < outH; y++) out.data.set(inner.data.subarray(y * outW * 3, (y + 1) * outW * 3), ((top + y) * size + left) * 3);
  return out;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Per output index along one axis: the source indices and weights that make it. Downscaling weights
 * each source pixel by how much of the output pixel's footprint it covers (an exact area average);
 * upscaling interpolates linearly between the two nearest centres. Only pixels inside
 * [start, start + length) are read, so a crop never bleeds in what lies outside it.
 */
function axisWeights(start: number, length: number, outLength: number, limit: number): { index: Int32Array; weight: Float32Array; taps: number } {
  const scale = length / outLength;
  const taps = scale >= 1 ? Math.ceil(scale) + 1 : 2;
  const index = new Int32Array(outLength * taps);
  const weight = new Float32Array(outLength * taps);
  const [first, last] = [Math.max(0, Math.floor(start)), Math.min(limit, Math.ceil(start + length)) - 1];
  const clamp = (s: number) => Math.min(last, Math.max(first, s));
  for (let o = 0; o < outLength; o++) {
    const k = o * taps;
    if (scale >= 1) {
      const [lo, hi] = [start + o * scale, start + (o + 1) * scale];
      for (let t = 0, s = Math.floor(lo); t < taps; t++, s++) {
        index[k + t] = clamp(s);
        weight[k + t] = Math.max(0, Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
      }
    } else {
      const centre = start + (o + 0.5) * scale - 0.5;
      const s = Math.floor(centre);
      index[k] = clamp(s);
      index[k + 1] = clamp(s + 1);
      weight[k] = 1 - (centre - s);
      weight[k + 1] = centre - s;
    }
  }
  return { index, weight, taps };
}

/** Separable resampling of the `rect` of `image` to `outW × outH`. */
function resample(image: RgbImage, rect: Rect, outW: number, outH: number): RgbImage {
  const { width, height, data } = image;
  const xs = axisWeights(rect.x, rect.w, outW, width);
  const ys = axisWeights(rect.y, rect.h, outH, height);
  // horizontal pass over every source row: [height, outW, 3]
  const rows = new Float32Array(height * outW * 3);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < outW; o++) {
      let r = 0, g = 0, b = 0;
      for (let t = 0; t < xs.taps; t++) {
        const k = o * xs.taps + t;
        const wgt = xs.weight[k]!;
        if (wgt === 0) continue;
        const p = (y * width + xs.index[k]!) * 3;
        r += data[p]! * wgt;
        g += data[p + 1]! * wgt;
        b += data[p + 2]! * wgt;
      }
      const q = (y * outW + o) * 3;
      rows[q] = r;
      rows[q + 1] = g;
      rows[q + 2] = b;
    }
  }
  const out = createImage(outW, outH);
  for (let o = 0; o < outH; o++) {
    for (let x = 0; x < outW; x++) {
      let r = 0, g = 0, b = 0;
      for (let t = 0; t < ys.taps; t++) {
        const k = o * ys.taps + t;
        const wgt = ys.weight[k]!;
        if (wgt === 0) continue;
        const p = (ys.index[k]! * outW + x) * 3;
        r += rows[p]! * wgt;
        g += rows[p + 1]! * wgt;
        b += rows[p + 2]! * wgt;
      }
      const q = (o * outW + x) * 3;
      out.data[q] = Math.round(r);
      out.data[q + 1] = Math.round(g);
      out.data[q + 2] = Math.round(b);
    }
  }
  return out;
}
