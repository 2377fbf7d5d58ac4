import type { Color } from "./color.js";
import type { PaintFn } from "./raster.js";

/**
 * Pattern building blocks: pure arithmetic (integer hashes, no unseeded randomness and no trigonometry per
 * pixel), so every platform computes the same values. All return numbers in [0, 1] unless stated.
 */

/** A hash of the integer cell (ix, iy) and `seed`, as a float in [0, 1). */
export function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix | 0, 0x27d4eb2d) ^ Math.imul(iy | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** 0 below `edge0`, 1 above `edge1`, a smooth cubic between. */
export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Stripes centred on the integers of `t`: 1 on a stripe, 0 between; `duty` is the stripe's share of a period, `soft` its edge width (periods). */
export function stripe(t: number, duty: number, soft: number): number {
  const f = t - Math.floor(t);
  const distance = f < 0.5 ? f : 1 - f; // to the nearest integer, in [0, 0.5]
  return 1 - smoothstep(duty / 2 - soft / 2, duty / 2 + soft / 2, distance);
}

/** Lattice values for `valueNoise`: a fixed 256×256 table of hashes, built once (same on every platform). */
const LATTICE = (() => {
  const table = new Float64Array(256 * 256);
  for (let iy = 0; iy < 256; iy++) for (let ix = 0; ix < 256; ix++) table[iy * 256 + ix] = hash2(ix, iy, 0x5eed);
  return table;
})();

/**
 * Smooth value noise in [0, 1]: lattice values on the integer grid, blended with smoothstep weights.
 * The lattice repeats every 256 units; `seed` shifts it, so different seeds give different fields.
 */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const u = fx * fx * (3 - 2 * fx);
  const v = fy * fy * (3 - 2 * fy);
  const x0 = (ix + seed) & 255;
  const x1 = (x0 + 1) & 255;
  const y0 = ((iy + (seed >> 8)) & 255) << 8;
  const y1 = (y0 + 256) & 0xffff;
  const a = LATTICE[y0 + x0]!;
  const b = LATTICE[y0 + x1]!;
  const c = LATTICE[y1 + x0]!;
  const d = LATTICE[y1 + x1]!;
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

/** Two octaves of value noise, in [0, 1]. */
export function fractalNoise(x: number, y: number, seed: number): number {
  return (valueNoise(x, y, seed) * 2 + valueNoise(x * 2.3 + 17.1, y * 2.3 + 5.3, seed + 1)) / 3;
}

/**
 * Spots on a jittered grid of `cell`-sized squares: one spot per cell with probability `density`,
 * radius `radius` × cell (≤ 0.45) with per-spot variation; 1 inside a spot, 0 outside, `soft` edge (cells).
 */
export function spots(
  x: number,
  y: number,
  cell: number,
  radius: number,
  density: number,
  seed: number,
  soft = 0.06,
): number {
  const gx = x / cell;
  const gy = y / cell;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  if (hash2(ix, iy, seed + 7) >= density) return 0;
  const r = radius * (0.7 + 0.3 * hash2(ix, iy, seed + 3));
  const room = 0.5 - r;
  const sx = ix + 0.5 + (hash2(ix, iy, seed) * 2 - 1) * room;
  const sy = iy + 0.5 + (hash2(ix, iy, seed + 1) * 2 - 1) * room;
  const d = Math.sqrt((gx - sx) ** 2 + (gy - sy) ** 2);
  return 1 - smoothstep(r - soft, r + soft, d);
}

/** Writes `a` blended towards `b` by `t` into `out`. */
export function blendInto(out: number[], a: Color, b: Color, t: number): void {
  out[0] = a[0] + (b[0] - a[0]) * t;
  out[1] = a[1] + (b[1] - a[1]) * t;
  out[2] = a[2] + (b[2] - a[2]) * t;
}

/** A linear gradient from `c0` at `p0` to `c1` at `p1` (clamped beyond). */
export function linearGradient(
  p0: readonly [number, number],
  p1: readonly [number, number],
  c0: Color,
  c1: Color,
): PaintFn {
  const dx = p1[0] - p0[0];
  const dy = p1[1] - p0[1];
  const len2 = dx * dx + dy * dy;
  return (x, y, out) => blendInto(out, c0, c1, Math.min(1, Math.max(0, ((x - p0[0]) * dx + (y - p0[1]) * dy) / len2)));
}

/** A radial gradient: `inner` at (cx, cy), `outer` at distance `radius` and beyond. */
export function radialGradient(cx: number, cy: number, radius: number, inner: Color, outer: Color): PaintFn {
  return (x, y, out) => blendInto(out, inner, outer, Math.min(1, Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) / radius));
}

/** Two colours in stripes of `period` local units along direction `angle` (radians), `duty` share of colour `b`. */
export function stripes(a: Color, b: Color, period: number, angle: number, duty = 0.5): PaintFn {
  const ux = Math.cos(angle) / period;
  const uy = Math.sin(angle) / period;
  return (x, y, out) => blendInto(out, a, b, stripe(x * ux + y * uy, duty, 0.08));
}

/** Polka dots of colour `b` on `a`, `cell` local units apart (regular grid, offset every other row). */
export function dots(a: Color, b: Color, cell: number, radius: number): PaintFn {
  return (x, y, out) => {
    const gy = y / cell;
    const row = Math.floor(gy);
    const gx = x / cell + (row & 1 ? 0.5 : 0);
    const dx = gx - Math.floor(gx) - 0.5;
    const dy = gy - row - 0.5;
    blendInto(out, a, b, 1 - smoothstep(radius - 0.05, radius + 0.05, Math.sqrt(dx * dx + dy * dy)));
  };
}

/** Gingham: stripes of `b` both ways, `cell` local units apart, darker where they cross. */
export function gingham(a: Color, b: Color, cell: number): PaintFn {
  return (x, y, out) => blendInto(out, a, b, (stripe(x / cell, 0.5, 0.08) + stripe(y / cell, 0.5, 0.08)) / 2);
}
