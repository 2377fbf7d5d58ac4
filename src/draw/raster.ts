import { createImage, type RgbImage } from "../data/image.js";
import type { Color } from "./color.js";
import type { Shape } from "./shapes.js";
import { IDENTITY, invert, scaleOf, type Transform } from "./transform.js";

/**
 * A float drawing surface: `data` is row-major RGB, 3 floats per pixel, each in [0, 1] (filters may
 * overshoot; `toImage` clamps). Pixel (px, py) covers [px, px+1) × [py, py+1); its centre is (px+½, py+½).
 */
export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Colour at a point given in the shape's local coordinates, written into `out` as [r, g, b] in [0, 1]. */
export type PaintFn = (x: number, y: number, out: number[]) => void;

/** A flat colour, or a pattern evaluated per pixel in local coordinates. */
export type Paint = Color | PaintFn;

export interface FillOptions {
  /** Local units → pixels (default identity: local units are pixels). */
  transform?: Transform;
  /** Multiplies coverage, in [0, 1] (default 1). */
  opacity?: number;
  /** Width of the soft edge in local units (default 0: a one-pixel anti-aliasing ramp). */
  feather?: number;
}

/** A `width`×`height` canvas filled with `background` (default black). */
export function createCanvas(width: number, height: number, background: Color = [0, 0, 0]): Canvas {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`invalid canvas size: ${width}×${height}; width and height must be positive integers`);
  }
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
  }
  return { width, height, data };
}

/**
 * Composites `shape` over the canvas. Coverage of each pixel is 0.5 − d (d: signed distance from the
 * pixel centre to the outline, in pixels), clamped to [0, 1]: a one-pixel box-filter ramp, so edges are
 * anti-aliased and a filled shape's summed coverage equals its area up to a fraction of a pixel per edge
 * pixel. Strokes narrower than a pixel are drawn one pixel wide at proportionally lower opacity.
 */
export function fill(canvas: Canvas, shape: Shape, paint: Paint, options: FillOptions = {}): void {
  const transform = options.transform ?? IDENTITY;
  let alpha = options.opacity ?? 1;
  if (!(alpha > 0)) return;
  const s = scaleOf(transform);
  const inv = invert(transform);
  let halfPx = 0;
  const stroke = shape.halfWidth !== undefined;
  if (stroke) {
    halfPx = shape.halfWidth! * s;
    if (halfPx < 0.5) {
      alpha *= 2 * halfPx;
      halfPx = 0.5;
    }
  }
  const ramp = Math.max(1, (options.feather ?? 0) * s);
  const { x0, y0, x1, y1 } = shape.bounds;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of [
    [x0, y0],
    [x1, y0],
    [x0, y1],
    [x1, y1],
  ] as const) {
    const px = transform.a * x + transform.c * y + transform.e;
    const py = transform.b * x + transform.d * y + transform.f;
    minX = Math.min(minX, px);
    maxX = Math.max(maxX, px);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py);
  }
  const pad = ramp + 1;
  const startX = Math.max(0, Math.floor(minX - pad));
  const endX = Math.min(canvas.width - 1, Math.ceil(maxX + pad));
  const startY = Math.max(0, Math.floor(minY - pad));
  const endY = Math.min(canvas.height - 1, Math.ceil(maxY + pad));
  const solid = typeof paint === "function" ? null : paint;
  const fn = typeof paint === "function" ? paint : null;
  const out = [0, 0, 0];
  const data = canvas.data;
  const width = canvas.width;
  const sigma = minStretch(transform);
  // Tiles of TILE×TILE pixels: where the shape's `range` proves a tile entirely outside (coverage 0) or
  // inside (coverage 1), skip it or fill it without distances. Same pixels as testing each one.
  for (let ty = startY; ty <= endY; ty += TILE) {
    const ty1 = Math.min(endY, ty + TILE - 1);
    for (let tx = startX; tx <= endX; tx += TILE) {
      const tx1 = Math.min(endX, tx + TILE - 1);
      let full = false;
      if (shape.range) {
        const cx = (tx + tx1 + 1) / 2;
        const cy = (ty + ty1 + 1) / 2;
        const reach = Math.sqrt((tx1 - tx) ** 2 + (ty1 - ty) ** 2) / 2 / sigma;
        const [lo, hi] = shape.range(inv.a * cx + inv.c * cy + inv.e, inv.b * cx + inv.d * cy + inv.f, reach);
        if (lo * s - halfPx >= ramp / 2 + EPSILON) continue;
        full = hi * s - halfPx <= -ramp / 2 - EPSILON;
      }
      for (let py = ty; py <= ty1; py++) {
        const cy = py + 0.5;
        for (let px = tx; px <= tx1; px++) {
          const cx = px + 0.5;
          const lx = inv.a * cx + inv.c * cy + inv.e;
          const ly = inv.b * cx + inv.d * cy + inv.f;
          let k = alpha;
          if (!full) {
            let d = shape.sdf(lx, ly) * s;
            if (stroke) d -= halfPx;
            const cover = 0.5 - d / ramp;
            if (cover <= 0) continue;
            if (cover < 1) k = cover * alpha;
          }
          let r: number, g: number, b: number;
          if (solid) {
            r = solid[0];
            g = solid[1];
            b = solid[2];
          } else {
            fn!(lx, ly, out);
            r = out[0]!;
            g = out[1]!;
            b = out[2]!;
          }
          const i = (py * width + px) * 3;
          data[i] = data[i]! + (r - data[i]!) * k;
          data[i + 1] = data[i + 1]! + (g - data[i + 1]!) * k;
          data[i + 2] = data[i + 2]! + (b - data[i + 2]!) * k;
        }
      }
    }
  }
}

const TILE = 8;
/** Margin (pixels) that keeps rounding error from flipping a tile decision. */
const EPSILON = 1e-6;

/** The smallest stretch of the transform's linear part (its smaller singular value). */
function minStretch(t: Transform): number {
  const sum = t.a * t.a + t.b * t.b + t.c * t.c + t.d * t.d;
  const det = t.a * t.d - t.b * t.c;
  return Math.sqrt(Math.max(0, (sum - Math.sqrt(Math.max(0, sum * sum - 4 * det * det))) / 2)) * (1 - 1e-9);
}

/** Paints every pixel with `paint`, evaluated at the pixel centre mapped into local coordinates. */
export function paintAll(
  canvas: Canvas,
  paint: Paint,
  options: { transform?: Transform; opacity?: number } = {},
): void {
  const inv = invert(options.transform ?? IDENTITY);
  const k = options.opacity ?? 1;
  const out = [0, 0, 0];
  const data = canvas.data;
  for (let py = 0, i = 0; py < canvas.height; py++) {
    for (let px = 0; px < canvas.width; px++, i += 3) {
      if (typeof paint === "function") {
        const cx = px + 0.5,
          cy = py + 0.5;
        paint(inv.a * cx + inv.c * cy + inv.e, inv.b * cx + inv.d * cy + inv.f, out);
      } else {
        out[0] = paint[0];
        out[1] = paint[1];
        out[2] = paint[2];
      }
      data[i] = data[i]! + (out[0]! - data[i]!) * k;
      data[i + 1] = data[i + 1]! + (out[1]! - data[i + 1]!) * k;
      data[i + 2] = data[i + 2]! + (out[2]! - data[i + 2]!) * k;
    }
  }
}

/** The colour at pixel (px, py), channels in [0, 1] (for tests and pickers). */
export function pixelAt(canvas: Canvas, px: number, py: number): [number, number, number] {
  const i = (py * canvas.width + px) * 3;
  return [canvas.data[i]!, canvas.data[i + 1]!, canvas.data[i + 2]!];
}

/** Bytes: each channel clamped to [0, 1], times 255, rounded. */
export function toImage(canvas: Canvas): RgbImage {
  const image = createImage(canvas.width, canvas.height);
  const src = canvas.data;
  const dst = image.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    dst[i] = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255 + 0.5) | 0; // = Math.round(v × 255)
  }
  return image;
}
