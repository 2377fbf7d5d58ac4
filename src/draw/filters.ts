import type { Random } from "../random.js";
import type { Canvas } from "./raster.js";

/** Gaussian blur with standard deviation `sigma` pixels (separable, edges clamped); sigma < 0.2 is a no-op. */
export function gaussianBlur(canvas: Canvas, sigma: number): void {
  if (!(sigma >= 0.2)) return;
  const radius = Math.ceil(sigma * 2.5);
  const weights = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += weights[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < weights.length; k++) weights[k]! /= total;
  const { width, height, data } = canvas;
  const tmp = new Float32Array(data.length);
  convolve(data, tmp, width, height, weights, radius, 3, width * 3, width);
  convolve(tmp, data, height, width, weights, radius, width * 3, 3, height);
}

/** Box blur of `radius` whole pixels (a (2r+1)² mean, edges clamped). */
export function boxBlur(canvas: Canvas, radius: number): void {
  if (!(radius >= 1)) return;
  const r = Math.round(radius);
  const weights = new Float64Array(2 * r + 1).fill(1 / (2 * r + 1));
  const { width, height, data } = canvas;
  const tmp = new Float32Array(data.length);
  convolve(data, tmp, width, height, weights, r, 3, width * 3, width);
  convolve(tmp, data, height, width, weights, r, width * 3, 3, height);
}

/** 1-D convolution along lines of `length` samples `step` apart; `lines` of them `lineStep` apart. */
function convolve(
  src: Float32Array,
  dst: Float32Array,
  length: number,
  lines: number,
  w: Float64Array,
  radius: number,
  step: number,
  lineStep: number,
  last: number,
): void {
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    for (let i = 0; i < length; i++) {
      let r = 0,
        g = 0,
        b = 0;
      const inside = i >= radius && i + radius < last;
      for (let k = -radius; k <= radius; k++) {
        const j = inside ? i + k : i + k < 0 ? 0 : i + k >= last ? last - 1 : i + k;
        const o = base + j * step;
        const wk = w[k + radius]!;
        r += src[o]! * wk;
        g += src[o + 1]! * wk;
        b += src[o + 2]! * wk;
      }
      const o = base + i * step;
      dst[o] = r;
      dst[o + 1] = g;
      dst[o + 2] = b;
    }
  }
}

/**
 * Adds sensor-like noise: per pixel a brightness offset shared by the channels (standard deviation
 * `amount`) plus a smaller independent offset per channel (amount / 2). Approximately Gaussian (a sum of
 * three uniforms), using only arithmetic so every platform gives the same values.
 */
export function addNoise(canvas: Canvas, random: Random, amount: number): void {
  if (!(amount > 0)) return;
  const data = canvas.data;
  const k = 2 * amount; // a sum of 3 uniforms minus 1.5 has standard deviation 0.5
  for (let i = 0; i < data.length; i += 3) {
    const shared = (random() + random() + random() - 1.5) * k;
    data[i] = data[i]! + shared + (random() - 0.5) * amount * 1.7;
    data[i + 1] = data[i + 1]! + shared + (random() - 0.5) * amount * 1.7;
    data[i + 2] = data[i + 2]! + shared + (random() - 0.5) * amount * 1.7;
  }
}

/** Lighting: v ↦ ((v − ½)·contrast + ½ + brightness)·tint per channel, applied to every pixel. */
export function adjust(
  canvas: Canvas,
  brightness: number,
  contrast: number,
  tint: readonly [number, number, number] = [1, 1, 1],
): void {
  const data = canvas.data;
  for (let i = 0; i < data.length; i += 3) {
    for (let c = 0; c < 3; c++) data[i + c] = ((data[i + c]! - 0.5) * contrast + 0.5 + brightness) * tint[c]!;
  }
}
