import { describe, expect, it } from "vitest";
import type { Color } from "../../src/draw/color.js";
import { createCanvas, fill, paintAll, pixelAt, toImage, type Canvas } from "../../src/draw/raster.js";
import {
  circle,
  curve,
  ellipse,
  intersect,
  line,
  polygon,
  rect,
  rounded,
  subtract,
  union,
  type Shape,
} from "../../src/draw/shapes.js";
import { IDENTITY, rotate, scale, translate } from "../../src/draw/transform.js";

const WHITE: Color = [1, 1, 1];

/** Summed coverage of `shape` drawn white on black: its area in pixels as the rasterizer sees it. */
function coveredArea(shape: Shape, size = 64, transform = IDENTITY): number {
  const canvas = createCanvas(size, size);
  fill(canvas, shape, WHITE, { transform });
  let sum = 0;
  for (let i = 0; i < canvas.data.length; i += 3) sum += canvas.data[i]!;
  return sum;
}

function sameCanvas(a: Canvas, b: Canvas, digits = 5): void {
  expect(a.data.length).toBe(b.data.length);
  for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i]!, digits);
}

describe("createCanvas(width, height, background)", () => {
  it("fills every pixel with the background", () => {
    const canvas = createCanvas(3, 2, [0.25, 0.5, 1]);
    expect(canvas.data.length).toBe(18);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) expect(pixelAt(canvas, x, y)).toEqual([0.25, 0.5, 1]);
  });

  it("rejects a size that is not a positive integer, naming it", () => {
    expect(() => createCanvas(0, 4)).toThrow(/invalid canvas size: 0×4/);
    expect(() => createCanvas(2.5, 4)).toThrow(/positive integers/);
  });
});

describe("fill(canvas, shape, paint, options)", () => {
  it("covers a filled ellipse's area πab to within 0.5 %", () => {
    const area = coveredArea(ellipse(31.3, 32.6, 20, 12));
    expect(Math.abs(area / (Math.PI * 20 * 12) - 1)).toBeLessThan(0.005);
  });

  it("covers a rotated ellipse's area πab to within 0.5 %", () => {
    const area = coveredArea(ellipse(32, 32, 24, 8, 0.7));
    expect(Math.abs(area / (Math.PI * 24 * 8) - 1)).toBeLessThan(0.005);
  });

  it("covers a circle's area πr² to within 0.2 %", () => {
    expect(Math.abs(coveredArea(circle(30.2, 33.7, 15)) / (Math.PI * 225) - 1)).toBeLessThan(0.002);
  });

  it("covers a triangle's area (½·base·height) and a rounded rectangle's (wh − (4 − π)r²)", () => {
    expect(
      coveredArea(
        polygon([
          [10.5, 50],
          [50.5, 50],
          [30, 10],
        ]),
      ),
    ).toBeCloseTo(0.5 * 40 * 40, -0.5);
    expect(
      coveredArea(
        polygon([
          [30, 10],
          [50.5, 50],
          [10.5, 50],
        ]),
      ),
    ).toBeCloseTo(800, -0.5); // either winding
    const r = 6;
    expect(Math.abs(coveredArea(rect(10, 12, 50, 42, r)) - (40 * 30 - (4 - Math.PI) * r * r))).toBeLessThan(1);
  });

  it("paints the fill colour inside, leaves the background outside and blends the edge", () => {
    const canvas = createCanvas(32, 32, [0, 0, 1]);
    fill(canvas, circle(16, 16, 8), [1, 0, 0]);
    expect(pixelAt(canvas, 16, 16)).toEqual([1, 0, 0]);
    expect(pixelAt(canvas, 2, 2)).toEqual([0, 0, 1]);
    // pixel (24, 16): its centre (24.5, 16.5) lies 0.515 px outside the outline, so coverage 0.5 − 0.515 < 0
    expect(pixelAt(canvas, 24, 16)[0]).toBe(0);
    // pixel (23, 16): centre 0.483 px inside (d = −0.483), so coverage 0.5 − d = 0.983, blended red over blue
    const d = Math.hypot(23.5 - 16, 16.5 - 16) - 8;
    const [r, , b] = pixelAt(canvas, 23, 16);
    expect(r).toBeCloseTo(0.5 - d, 5);
    expect(r + b).toBeCloseTo(1, 5);
  });

  it("scales coverage by opacity", () => {
    const canvas = createCanvas(8, 8);
    fill(canvas, rect(0, 0, 8, 8), [1, 1, 1], { opacity: 0.25 });
    expect(pixelAt(canvas, 3, 3)).toEqual([0.25, 0.25, 0.25]);
  });

  it("maps local units through the transform: a unit circle scaled by 10 at (32, 32) equals a radius-10 circle there", () => {
    const a = createCanvas(64, 64);
    fill(a, circle(0, 0, 1), WHITE, { transform: scale(translate(IDENTITY, 32, 32), 10) });
    const b = createCanvas(64, 64);
    fill(b, circle(32, 32, 10), WHITE);
    sameCanvas(a, b);
  });

  it("rotates with the transform: a 10×40 bar turned 90° covers a 40×10 bar", () => {
    const a = createCanvas(64, 64);
    fill(a, rect(-5, -20, 5, 20), WHITE, { transform: rotate(translate(IDENTITY, 32, 32), Math.PI / 2) });
    const b = createCanvas(64, 64);
    fill(b, rect(12, 27, 52, 37), WHITE);
    sameCanvas(a, b, 4);
  });

  it("draws a stroke as a band: a 2 px line 30 px long covers 30·2 + π·1² (round caps)", () => {
    expect(Math.abs(coveredArea(line(15, 20.5, 45, 20.5, 2)) - (60 + Math.PI))).toBeLessThan(0.6);
  });

  it("keeps hairlines visible but faint: a 0.2 px line peaks at 0.2 coverage", () => {
    const canvas = createCanvas(16, 16);
    fill(canvas, line(0, 8.5, 16, 8.5, 0.2), WHITE);
    expect(pixelAt(canvas, 8, 8)[0]).toBeCloseTo(0.2, 5);
    expect(pixelAt(canvas, 8, 6)[0]).toBe(0);
  });

  it("follows a Bézier curve through its midpoint ¼p0 + ½c + ¼p2", () => {
    const canvas = createCanvas(32, 32);
    fill(canvas, curve([4, 24], [16, 0], [28, 24], 2), WHITE);
    expect(pixelAt(canvas, 15, 12)[0]).toBeGreaterThan(0.9); // (16, 12) is on the curve
    expect(pixelAt(canvas, 15, 20)[0]).toBe(0);
  });

  it("combines shapes: union adds disjoint areas, intersect and subtract split a circle in half", () => {
    const a = circle(16, 32, 10);
    const b = circle(48, 32, 10);
    expect(coveredArea(union(a, b))).toBeCloseTo(coveredArea(a) + coveredArea(b), 4);
    const c = circle(32, 32, 16);
    const left = rect(0, 0, 32, 64);
    expect(coveredArea(intersect(c, left))).toBeCloseTo(Math.PI * 128, -0.5);
    expect(coveredArea(subtract(c, left))).toBeCloseTo(Math.PI * 128, -0.5);
    expect(coveredArea(rounded(rect(20, 20, 44, 44), 4))).toBeCloseTo(24 * 24 + 4 * 24 * 4 + Math.PI * 16, -0.5);
  });

  it("evaluates a pattern paint at local coordinates", () => {
    const canvas = createCanvas(4, 1);
    fill(canvas, rect(0, 0, 4, 1), (x, _y, out) => ((out[0] = x / 4), (out[1] = 0), (out[2] = 0)));
    expect([0, 1, 2, 3].map((px) => pixelAt(canvas, px, 0)[0])).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it("softens the edge over `feather` local units", () => {
    const sharp = createCanvas(64, 64);
    fill(sharp, circle(32, 32, 16), WHITE);
    const soft = createCanvas(64, 64);
    fill(soft, circle(32, 32, 16), WHITE, { feather: 8 });
    expect(pixelAt(soft, 32 + 19, 32)[0]).toBeGreaterThan(0); // 3 px outside, inside the 8 px ramp
    expect(pixelAt(sharp, 32 + 19, 32)[0]).toBe(0);
    expect(pixelAt(soft, 32, 32)[0]).toBe(1);
  });
});

describe("fill(…) tile skipping and Shape.range(x, y, reach)", () => {
  const shapes: [string, Shape][] = [
    ["a thin rotated ellipse", ellipse(30, 34, 26, 3, 0.4)],
    ["a union of ellipses", union(ellipse(20, 30, 14, 9), ellipse(40, 36, 9, 20, 1))],
    ["a ring cut from a disc", subtract(circle(32, 32, 24), circle(36, 30, 12))],
    [
      "a rounded triangle",
      rounded(
        polygon([
          [8, 50],
          [56, 44],
          [30, 6],
        ]),
        3,
      ),
    ],
    ["an intersection", intersect(ellipse(32, 32, 30, 12, -0.3), rect(10, 10, 40, 60, 4))],
    ["a thick curve", curve([4, 60], [30, -10], [60, 50], 5)],
  ];

  it.each(shapes)("gives exactly the pixels of per-pixel testing for %s", (_name, shape) => {
    const { bounds, sdf, halfWidth } = shape;
    const plain: Shape =
      halfWidth === undefined ? { bounds, sdf: (x, y) => sdf(x, y) } : { bounds, sdf: (x, y) => sdf(x, y), halfWidth };
    const transform = rotate(scale(translate(IDENTITY, 3, -2), 1.1), 0.05);
    const a = createCanvas(72, 72, [0.2, 0.3, 0.4]);
    const b = createCanvas(72, 72, [0.2, 0.3, 0.4]);
    fill(a, shape, (x, y, out) => ((out[0] = x / 64), (out[1] = y / 64), (out[2] = 0.5)), { transform, opacity: 0.8 });
    fill(b, plain, (x, y, out) => ((out[0] = x / 64), (out[1] = y / 64), (out[2] = 0.5)), { transform, opacity: 0.8 });
    expect(a.data).toEqual(b.data);
  });

  it.each(shapes)("bounds the distance over the disc for %s", (_name, shape) => {
    for (let k = 0; k < 300; k++) {
      const x = (k * 37) % 64,
        y = (k * 53) % 64,
        reach = 1 + (k % 7);
      const [lo, hi] = shape.range!(x, y, reach);
      for (let j = 0; j < 12; j++) {
        const angle = j * 0.5236,
          r = (reach * ((j % 4) + 1)) / 4;
        const d = shape.sdf(x + r * Math.cos(angle), y + r * Math.sin(angle));
        expect(d).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(d).toBeLessThanOrEqual(hi + 1e-9);
      }
    }
  });
});

describe("paintAll(canvas, paint, {transform, opacity})", () => {
  it("paints every pixel, evaluating the paint at pixel centres in local units", () => {
    const canvas = createCanvas(2, 2);
    paintAll(canvas, (x, y, out) => ((out[0] = x), (out[1] = y), (out[2] = 0)), { transform: scale(IDENTITY, 2) });
    expect(pixelAt(canvas, 1, 0)).toEqual([0.75, 0.25, 0]);
    expect(pixelAt(canvas, 0, 1)).toEqual([0.25, 0.75, 0]);
  });
});

describe("toImage(canvas)", () => {
  it("clamps to [0, 1], scales by 255 and rounds half up", () => {
    const canvas = createCanvas(2, 1);
    canvas.data.set([-0.2, 1.3, 0.5, 0.2, 0.999, 0.002]);
    const image = toImage(canvas);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect(Array.from(image.data)).toEqual([0, 255, 128, 51, 255, 1]);
  });
});
