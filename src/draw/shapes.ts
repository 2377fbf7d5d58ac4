/**
 * Shapes as signed distance functions (SDFs) in local units: negative inside, zero on the outline,
 * positive outside. The rasterizer turns the distance at each pixel centre into anti-aliased coverage.
 * Strokes (lines, curves: `strokes.ts`) instead give the unsigned distance to their centre line and carry
 * `halfWidth`, so the rasterizer can keep hairlines thinner than a pixel visible but faint. Combinators
 * (union, intersection, rounding) are in `combine.ts`; all three are re-exported here.
 */
export { bezierPoints, curve, line, polyline } from "./strokes.js";
export { intersect, rounded, subtract, union } from "./combine.js";
export { boundsOf, lipschitzRange, type Bounds, type Point, type Shape } from "./sdf.js";
import { boundsOf, lipschitzRange, type Point, type Shape } from "./sdf.js";

/** An ellipse centred at (cx, cy) with radii rx, ry, its x axis turned by `angle` radians. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, angle = 0): Shape {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const irx2 = 1 / (rx * rx);
  const iry2 = 1 / (ry * ry);
  const inner = Math.min(rx, ry);
  const hx = Math.sqrt((rx * cos) ** 2 + (ry * sin) ** 2);
  const hy = Math.sqrt((rx * sin) ** 2 + (ry * cos) ** 2);
  const k0 = (x: number, y: number) => {
    const dx = x - cx;
    const dy = y - cy;
    const u = dx * cos + dy * sin;
    const v = dy * cos - dx * sin;
    return Math.sqrt(u * u * irx2 + v * v * iry2);
  };
  return {
    bounds: { x0: cx - hx, y0: cy - hy, x1: cx + hx, y1: cy + hy },
    sdf(x, y) {
      const dx = x - cx;
      const dy = y - cy;
      const u = dx * cos + dy * sin;
      const v = dy * cos - dx * sin;
      // Quílez's approximation: the implicit function over its gradient, exact on the outline's neighbourhood.
      const k0 = Math.sqrt(u * u * irx2 + v * v * iry2);
      const k1 = Math.sqrt(u * u * irx2 * irx2 + v * v * iry2 * iry2);
      return k1 < 1e-12 ? -inner : (k0 * (k0 - 1)) / k1;
    },
    range(x, y, reach) {
      // k0 = |p/r| changes by at most reach/min(r); and k1 ≤ k0/min(r), so |sdf| ≥ |k0 − 1|·min(r)
      const k = k0(x, y);
      const spread = reach / inner;
      const lo = k - spread >= 1 ? (k - spread - 1) * inner : -Infinity;
      const hi = k + spread <= 1 ? -(1 - k - spread) * inner : Infinity;
      return [lo, hi];
    },
  };
}

/** A circle centred at (cx, cy) with radius r (exact distance). */
export function circle(cx: number, cy: number, r: number): Shape {
  const sdf = (x: number, y: number) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - r;
  return {
    bounds: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r },
    sdf,
    range: (x, y, reach) => lipschitzRange(sdf(x, y), reach),
  };
}

/** A filled polygon (any simple polygon, either winding), exact distance. Needs ≥ 3 points. */
export function polygon(points: readonly Point[]): Shape {
  if (points.length < 3) throw new Error(`a polygon needs at least 3 points, got ${points.length}`);
  const n = points.length;
  const xs = Float64Array.from(points, (p) => p[0]);
  const ys = Float64Array.from(points, (p) => p[1]);
  const sdf = (x: number, y: number) => {
    let best = (x - xs[0]!) ** 2 + (y - ys[0]!) ** 2;
    let sign = 1;
    for (let i = 0, j = n - 1; i < n; j = i, i++) {
      const ex = xs[j]! - xs[i]!;
      const ey = ys[j]! - ys[i]!;
      const wx = x - xs[i]!;
      const wy = y - ys[i]!;
      const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
      const bx = wx - ex * t;
      const by = wy - ey * t;
      best = Math.min(best, bx * bx + by * by);
      const c1 = y >= ys[i]!;
      const c2 = y < ys[j]!;
      const c3 = ex * wy > ey * wx;
      if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) sign = -sign;
    }
    return sign * Math.sqrt(best);
  };
  return { bounds: boundsOf(points, 0), sdf, range: (x, y, reach) => lipschitzRange(sdf(x, y), reach) };
}

/** An axis-aligned rectangle from (x0, y0) to (x1, y1) with corners rounded by `radius` (exact distance). */
export function rect(x0: number, y0: number, x1: number, y1: number, radius = 0): Shape {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const r = Math.min(radius, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2);
  const hx = Math.abs(x1 - x0) / 2 - r;
  const hy = Math.abs(y1 - y0) / 2 - r;
  const sdf = (x: number, y: number) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    const outside = Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2);
    return outside + Math.min(Math.max(qx, qy), 0) - r;
  };
  return {
    bounds: { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) },
    sdf,
    range: (x, y, reach) => lipschitzRange(sdf(x, y), reach),
  };
}
