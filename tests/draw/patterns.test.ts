import { describe, expect, it } from "vitest";
import { hex, hsl, mix } from "../../src/draw/color.js";
import { hash2, smoothstep, spots, stripe, valueNoise } from "../../src/draw/patterns.js";

describe("hex(code) and hsl(h, s, l)", () => {
  it("decode CSS colours to [0, 1] channels", () => {
    expect(hex("#ff8000")).toEqual([1, 128 / 255, 0]);
    expect(hsl(0, 1, 0.5)).toEqual([1, 0, 0]);
    expect(hsl(120, 1, 0.25)).toEqual([0, 0.5, 0]);
    expect(hsl(240, 0, 0.6)).toEqual([0.6, 0.6, 0.6]);
    expect(mix([0, 0, 0], [1, 0.5, 0], 0.5)).toEqual([0.5, 0.25, 0]);
  });
});

describe("stripe(t, duty, soft)", () => {
  it("is 1 on integers, 0 half-way between, ½ on the stripe's edge", () => {
    expect(stripe(3, 0.4, 0.1)).toBe(1);
    expect(stripe(-2.5, 0.4, 0.1)).toBe(0);
    expect(stripe(7.2, 0.4, 0.1)).toBeCloseTo(0.5, 10);
  });
});

describe("smoothstep(edge0, edge1, x)", () => {
  it("is 0, ½ and 1 below, between and above the edges", () => {
    expect([smoothstep(1, 2, 0), smoothstep(1, 2, 1.5), smoothstep(1, 2, 3)]).toEqual([0, 0.5, 1]);
  });
});

describe("valueNoise(x, y, seed) and hash2", () => {
  it("is continuous across lattice lines, varies, and stays in [0, 1]", () => {
    expect(valueNoise(3 - 1e-9, 4.3, 0)).toBeCloseTo(valueNoise(3, 4.3, 0), 6);
    expect(valueNoise(2.7, 5 - 1e-9, 0)).toBeCloseTo(valueNoise(2.7, 5, 0), 6);
    let min = 1,
      max = 0;
    for (let i = 0; i < 2000; i++) {
      const v = valueNoise(i * 0.173, i * 0.071, 5);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5);
    expect(valueNoise(1.5, 2.5, 1)).not.toBe(valueNoise(1.5, 2.5, 2));
  });

  it("hashes cells to [0, 1) the same way every time", () => {
    expect(hash2(12, -7, 3)).toBe(hash2(12, -7, 3));
    expect(hash2(12, -7, 3)).not.toBe(hash2(13, -7, 3));
    const values = Array.from({ length: 1000 }, (_, i) => hash2(i, 0, 1));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / 1000).toBeCloseTo(0.5, 1);
  });
});

describe("spots(x, y, cell, radius, density, seed)", () => {
  it("covers about density × π·radius² of the plane", () => {
    let inside = 0;
    const n = 200;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inside += spots(i * 0.05, j * 0.05, 1, 0.3, 0.8, 9);
    // radius varies in [0.7, 1] × 0.3: mean r² = 0.09 × (0.7² + 0.7·1 + 1²)/3 = 0.0657
    expect(inside / (n * n) / (0.8 * Math.PI * 0.0657)).toBeCloseTo(1, 1);
  });
});
