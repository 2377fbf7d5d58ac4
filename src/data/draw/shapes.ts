/**
 * Shapes as signed distance functions (SDFs) in local units: negative inside, zero on the outline,
 * positive outside. The rasterizer turns the distance at each pixel centre into anti-aliased coverage.
 * Strokes (lines, curves) instead give the unsigned distance to their centre line and carry `halfWidth`,
 * so the rasterizer can keep hairlines thinner than a pixel visible but faint.
 */

/** An axis-aligned box in local units: x0 ≤ x ≤ x1, y0 ≤ y ≤ y1. */
export interface Bounds {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Shape {
  /** Contains every point where the shape (with its stroke width) can cover anything. */
  readonly bounds: Bounds;
  /** Signed distance from (x, y) to the outline; for strokes, distance to the centre line (≥ 0). */
  sdf(x: number, y: number): number;
  /** Set on strokes: half the line width, in local units. */
  readonly halfWidth?: number;
}

export type Point = readonly [number, number];

/** Signed distance of the filled shape (a stroke counts as its inked band). */
function solidDistance(shape: Shape, x: number, y: number): number {
  return shape.halfWidth === undefined ? shape.sdf(x, y) : shape.sdf(x, y) - shape.halfWidth;
}

/** An ellipse centred at (cx, cy) with radii rx, ry, its x axis turned by `angle` radians. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, angle = 0): Shape {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const irx2 = 1 / (rx * rx);
  const iry2 = 1 / (ry * ry);
  const inner = Math.min(rx, ry);
  const hx = Math.sqrt((rx * cos) ** 2 + (ry * sin) ** 2);
  const hy = Math.sqrt((rx * sin) ** 2 + (ry * cos) ** 2);
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
  };
}

/** A circle centred at (cx, cy) with radius r (exact distance). */
export function circle(cx: number, cy: number, r: number): Shape {
  return {
    bounds: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r },
    sdf: (x, y) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - r,
  };
}

/** A filled polygon (any simple polygon, either winding), exact distance. Needs ≥ 3 points. */
export function polygon(points: readonly Point[]): Shape {
  if (points.length < 3) throw new Error(`a polygon needs at least 3 points, got ${points.length}`);
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  points.forEach(([x, y], i) => ((xs[i] = x), (ys[i] = y)));
  return {
    bounds: boundsOf(points, 0),
    sdf(x, y) {
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
    },
  };
}

/** An axis-aligned rectangle from (x0, y0) to (x1, y1) with corners rounded by `radius` (exact distance). */
export function rect(x0: number, y0: number, x1: number, y1: number, radius = 0): Shape {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const r = Math.min(radius, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2);
  const hx = Math.abs(x1 - x0) / 2 - r;
  const hy = Math.abs(y1 - y0) / 2 - r;
  return {
    bounds: { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) },
    sdf(x, y) {
      const qx = Math.abs(x - cx) - hx;
      const qy = Math.abs(y - cy) - hy;
      const outside = Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2);
      return outside + Math.min(Math.max(qx, qy), 0) - r;
    },
  };
}

/** A stroke through `points` (open unless `closed`), `width` wide, with round joins and caps. */
export function polyline(points: readonly Point[], width: number, closed = false): Shape {
  if (points.length < 2) throw new Error(`a line needs at least 2 points, got ${points.length}`);
  const pts = closed ? [...points, points[0]!] : points;
  const m = pts.length;
  const xs = Float64Array.from(pts, (p) => p[0]);
  const ys = Float64Array.from(pts, (p) => p[1]);
  return {
    bounds: boundsOf(points, width / 2),
    halfWidth: width / 2,
    sdf(x, y) {
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
    },
  };
}

/** A straight stroke from (x0, y0) to (x1, y1). */
export function line(x0: number, y0: number, x1: number, y1: number, width: number): Shape {
  return polyline([[x0, y0], [x1, y1]], width);
}

/** The points of a quadratic Bézier from `p0` to `p2` pulled towards `control`, `segments` + 1 of them. */
export function bezierPoints(p0: Point, control: Point, p2: Point, segments = 10): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments;
    const u = 1 - t;
    out.push([u * u * p0[0] + 2 * u * t * control[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * control[1] + t * t * p2[1]]);
  }
  return out;
}

/** A curved stroke: quadratic Bézier from `p0` to `p2` pulled towards `control`. */
export function curve(p0: Point, control: Point, p2: Point, width: number, segments = 10): Shape {
  return polyline(bezierPoints(p0, control, p2, segments), width);
}

/** `shape` grown by `radius` on every side, which rounds its corners. */
export function rounded(shape: Shape, radius: number): Shape {
  const b = shape.bounds;
  return {
    bounds: { x0: b.x0 - radius, y0: b.y0 - radius, x1: b.x1 + radius, y1: b.y1 + radius },
    sdf: (x, y) => solidDistance(shape, x, y) - radius,
  };
}

/** Everything covered by any of `shapes`. */
export function union(...shapes: Shape[]): Shape {
  return {
    bounds: shapes.map((s) => s.bounds).reduce((a, b) => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) })),
    sdf(x, y) {
      let d = Infinity;
      for (const s of shapes) d = Math.min(d, solidDistance(s, x, y));
      return d;
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
  };
}

/** `a` with `b` cut out of it. */
export function subtract(a: Shape, b: Shape): Shape {
  return { bounds: a.bounds, sdf: (x, y) => Math.max(solidDistance(a, x, y), -solidDistance(b, x, y)) };
}

function boundsOf(points: readonly Point[], pad: number): Bounds {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return { x0: x0 - pad, y0: y0 - pad, x1: x1 + pad, y1: y1 + pad };
}
