import type { Shape } from "./sdf.js";

/**
 * Shape combinators on signed distances: union = min, intersection = max, difference = max(a, −b),
 * rounding = d − r. A stroke takes part as its inked band (distance minus half width). Each keeps the
 * tile-skipping `range` when every part has one.
 */
type Range = [number, number];

const FULL: Range = [-Infinity, Infinity];

/** Signed distance of the filled shape (a stroke counts as its inked band). */
function solidDistance(shape: Shape, x: number, y: number): number {
  return shape.halfWidth === undefined ? shape.sdf(x, y) : shape.sdf(x, y) - shape.halfWidth;
}

function solidRange(shape: Shape, x: number, y: number, reach: number): Range {
  if (!shape.range) return FULL;
  const [lo, hi] = shape.range(x, y, reach);
  const hw = shape.halfWidth ?? 0;
  return [lo - hw, hi - hw];
}

/** `shape` grown by `radius` on every side, which rounds its corners. */
export function rounded(shape: Shape, radius: number): Shape {
  const b = shape.bounds;
  return {
    bounds: { x0: b.x0 - radius, y0: b.y0 - radius, x1: b.x1 + radius, y1: b.y1 + radius },
    sdf: (x, y) => solidDistance(shape, x, y) - radius,
    range(x, y, reach) {
      const [lo, hi] = solidRange(shape, x, y, reach);
      return [lo - radius, hi - radius];
    },
  };
}

/** Everything covered by any of `shapes`. */
export function union(...shapes: Shape[]): Shape {
  return {
    bounds: shapes
      .map((s) => s.bounds)
      .reduce((a, b) => ({
        x0: Math.min(a.x0, b.x0),
        y0: Math.min(a.y0, b.y0),
        x1: Math.max(a.x1, b.x1),
        y1: Math.max(a.y1, b.y1),
      })),
    sdf(x, y) {
      let d = Infinity;
      for (const s of shapes) d = Math.min(d, solidDistance(s, x, y));
      return d;
    },
    range(x, y, reach) {
      let lo = Infinity,
        hi = Infinity;
      for (const s of shapes) {
        const [l, h] = solidRange(s, x, y, reach);
        lo = Math.min(lo, l);
        hi = Math.min(hi, h);
      }
      return [lo, hi];
    },
  };
}

/** Where `a` and `b` overlap. */
export function intersect(a: Shape, b: Shape): Shape {
  const A = a.bounds;
  const B = b.bounds;
  return {
    bounds: { x0: Math.max(A.x0, B.x0), y0: Math.max(A.y0, B.y0), x1: Math.min(A.x1, B.x1), y1: Math.min(A.y1, B.y1) },
    sdf: (x, y) => Math.max(solidDistance(a, x, y), solidDistance(b, x, y)),
    range(x, y, reach) {
      const [la, ha] = solidRange(a, x, y, reach);
      const [lb, hb] = solidRange(b, x, y, reach);
      return [Math.max(la, lb), Math.max(ha, hb)];
    },
  };
}

/** `a` with `b` cut out of it. */
export function subtract(a: Shape, b: Shape): Shape {
  return {
    bounds: a.bounds,
    sdf: (x, y) => Math.max(solidDistance(a, x, y), -solidDistance(b, x, y)),
    range(x, y, reach) {
      const [la, ha] = solidRange(a, x, y, reach);
      const [lb, hb] = solidRange(b, x, y, reach);
      return [Math.max(la, -hb), Math.max(ha, -lb)];
    },
  };
}
