/**
 * The contract every shape meets (see `shapes.ts`): a signed distance function in local units, its
 * bounding box, and optionally guaranteed distance bounds over a disc for tile skipping.
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
  /**
   * Guaranteed bounds [lo, hi] on `sdf` over the disc of radius `reach` around (x, y) (−∞/+∞ when
   * unknown), so the rasterizer can skip whole tiles that are surely outside or surely inside.
   */
  range?(x: number, y: number, reach: number): [number, number];
}

export type Point = readonly [number, number];

/** Bounds for an exact (1-Lipschitz) distance: it changes by at most `reach` within the disc. */
export function lipschitzRange(d: number, reach: number): [number, number] {
  return [d - reach, d + reach];
}

/** The bounding box of `points`, grown by `pad`. */
export function boundsOf(points: readonly Point[], pad: number): Bounds {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x0: x0 - pad, y0: y0 - pad, x1: x1 + pad, y1: y1 + pad };
}
