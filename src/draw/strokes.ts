import { boundsOf, lipschitzRange, type Point, type Shape } from "./sdf.js";

/**
 * Strokes: lines and curves of a given width, with round joins and caps. Their `sdf` is the distance
 * to the centre line (≥ 0) and `halfWidth` the half line width, both in local units.
 */

/** A stroke through `points` (open unless `closed`), `width` wide. */
export function polyline(points: readonly Point[], width: number, closed = false): Shape {
  if (points.length < 2) throw new Error(`a line needs at least 2 points, got ${points.length}`);
  const pts = closed ? [...points, points[0]!] : points;
  const m = pts.length;
  const xs = Float64Array.from(pts, (p) => p[0]);
  const ys = Float64Array.from(pts, (p) => p[1]);
  const sdf = (x: number, y: number) => {
    let best = Infinity;
    for (let i = 0; i + 1 < m; i++) {
      const ex = xs[i + 1]! - xs[i]!;
      const ey = ys[i + 1]! - ys[i]!;
      const wx = x - xs[i]!;
      const wy = y - ys[i]!;
      const len2 = ex * ex + ey * ey;
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, (wx * ex + wy * ey) / len2));
      best = Math.min(best, (wx - ex * t) ** 2 + (wy - ey * t) ** 2);
    }
    return Math.sqrt(best);
  };
  return {
    bounds: boundsOf(points, width / 2),
    halfWidth: width / 2,
    sdf,
    range: (x, y, reach) => lipschitzRange(sdf(x, y), reach),
  };
}

/** A straight stroke from (x0, y0) to (x1, y1). */
export function line(x0: number, y0: number, x1: number, y1: number, width: number): Shape {
  return polyline(
    [
      [x0, y0],
      [x1, y1],
    ],
    width,
  );
}

/** The points of a quadratic Bézier from `p0` to `p2` pulled towards `control`, `segments` + 1 of them. */
export function bezierPoints(p0: Point, control: Point, p2: Point, segments = 10): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments;
    const u = 1 - t;
    out.push([
      u * u * p0[0] + 2 * u * t * control[0] + t * t * p2[0],
      u * u * p0[1] + 2 * u * t * control[1] + t * t * p2[1],
    ]);
  }
  return out;
}

/** A curved stroke: quadratic Bézier from `p0` to `p2` pulled towards `control`. */
export function curve(p0: Point, control: Point, p2: Point, width: number, segments = 10): Shape {
  return polyline(bezierPoints(p0, control, p2, segments), width);
}
