import { describe, expect, it } from "vitest";
import { addNoise, adjust, boxBlur, gaussianBlur } from "../../src/draw/filters.js";
import { createCanvas, pixelAt } from "../../src/draw/raster.js";
import { seededRandom } from "../../src/random.js";

function impulse(size: number) {
  const canvas = createCanvas(size, size);
  canvas.data.set([1, 1, 1], ((size >> 1) * size + (size >> 1)) * 3);
  return canvas;
}

const sum = (data: Float32Array, channel = 0) => data.reduce((s, v, i) => (i % 3 === channel ? s + v : s), 0);

describe("gaussianBlur(canvas, sigma)", () => {
  it("spreads an impulse into a symmetric bell that keeps its total", () => {
    const canvas = impulse(21);
    gaussianBlur(canvas, 1.5);
    expect(sum(canvas.data)).toBeCloseTo(1, 5);
    const c = 10;
    expect(pixelAt(canvas, c + 2, c)[0]).toBeCloseTo(pixelAt(canvas, c - 2, c)[0], 7);
    expect(pixelAt(canvas, c, c + 2)[0]).toBeCloseTo(pixelAt(canvas, c + 2, c)[0], 7);
    // separable: the centre weight is w0², w0 = 1/Σ exp(−k²/2σ²) over k = −4…4 (radius ⌈2.5σ⌉)
    let total = 0;
    for (let k = -4; k <= 4; k++) total += Math.exp(-(k * k) / 4.5);
    expect(pixelAt(canvas, c, c)[0]).toBeCloseTo(1 / total ** 2, 6);
    expect(pixelAt(canvas, c + 1, c)[0]).toBeLessThan(pixelAt(canvas, c, c)[0]);
  });

  it("leaves the canvas alone for a tiny sigma and keeps a flat colour flat", () => {
    const canvas = impulse(9);
    gaussianBlur(canvas, 0.1);
    expect(pixelAt(canvas, 4, 4)).toEqual([1, 1, 1]);
    const flat = createCanvas(9, 9, [0.3, 0.6, 0.9]);
    gaussianBlur(flat, 2);
    for (const [i, v] of flat.data.entries()) expect(v).toBeCloseTo([0.3, 0.6, 0.9][i % 3]!, 5);
  });
});

describe("boxBlur(canvas, radius)", () => {
  it("turns an impulse into a 3×3 square of 1/9 at radius 1", () => {
    const canvas = impulse(7);
    boxBlur(canvas, 1);
    for (let y = 2; y <= 4; y++) for (let x = 2; x <= 4; x++) expect(pixelAt(canvas, x, y)[1]).toBeCloseTo(1 / 9, 6);
    expect(pixelAt(canvas, 1, 3)[1]).toBe(0);
  });
});

describe("addNoise(canvas, random, amount)", () => {
  it("adds zero-mean noise with per-channel standard deviation ≈ 1.11 × amount", () => {
    const canvas = createCanvas(128, 128, [0.5, 0.5, 0.5]);
    addNoise(canvas, seededRandom(7), 0.04);
    const values = Array.from(canvas.data, (v) => v - 0.5);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    // shared part: std = amount; per channel: uniform × 1.7·amount, std = 1.7/√12·amount
    expect(std / (0.04 * Math.sqrt(1 + 1.7 ** 2 / 12))).toBeCloseTo(1, 1);
  });

  it("gives the same noise for the same seed and different noise for another", () => {
    const a = createCanvas(8, 8),
      b = createCanvas(8, 8),
      c = createCanvas(8, 8);
    addNoise(a, seededRandom(1), 0.05);
    addNoise(b, seededRandom(1), 0.05);
    addNoise(c, seededRandom(2), 0.05);
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
  });
});

describe("adjust(canvas, brightness, contrast, tint)", () => {
  it("applies ((v − ½)·contrast + ½ + brightness)·tint", () => {
    const canvas = createCanvas(1, 1, [0.2, 0.5, 0.8]);
    adjust(canvas, 0.1, 2, [1, 1, 0.5]);
    expect(pixelAt(canvas, 0, 0)[0]).toBeCloseTo((0.2 - 0.5) * 2 + 0.6, 6);
    expect(pixelAt(canvas, 0, 0)[1]).toBeCloseTo(0.6, 6);
    expect(pixelAt(canvas, 0, 0)[2]).toBeCloseTo(((0.8 - 0.5) * 2 + 0.6) * 0.5, 6);
  });
});
