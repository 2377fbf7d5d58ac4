/**
 * A 2-D affine map in canvas convention (y points down):
 * x' = a·x + c·y + e, y' = b·x + d·y + f. Built like the canvas API: each call appends an operation
 * that acts first, in the current local coordinates.
 */
export interface Transform {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

export const IDENTITY: Transform = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };

/** `outer ∘ inner`: apply `inner`, then `outer`. */
export function multiply(outer: Transform, inner: Transform): Transform {
  return {
    a: outer.a * inner.a + outer.c * inner.b,
    b: outer.b * inner.a + outer.d * inner.b,
    c: outer.a * inner.c + outer.c * inner.d,
    d: outer.b * inner.c + outer.d * inner.d,
    e: outer.a * inner.e + outer.c * inner.f + outer.e,
    f: outer.b * inner.e + outer.d * inner.f + outer.f,
  };
}

/** `t` then moved by (dx, dy) in local units. */
export function translate(t: Transform, dx: number, dy: number): Transform {
  return multiply(t, { a: 1, b: 0, c: 0, d: 1, e: dx, f: dy });
}

/** `t` with local coordinates rotated by `angle` radians (clockwise on screen, since y points down). */
export function rotate(t: Transform, angle: number): Transform {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return multiply(t, { a: cos, b: sin, c: -sin, d: cos, e: 0, f: 0 });
}

/** `t` with local units scaled by `sx` (and `sy`, default `sx`); a negative factor mirrors. */
export function scale(t: Transform, sx: number, sy = sx): Transform {
  return multiply(t, { a: sx, b: 0, c: 0, d: sy, e: 0, f: 0 });
}

/** The image of the point (x, y). */
export function apply(t: Transform, x: number, y: number): [number, number] {
  return [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
}

/** The inverse map; throws on a degenerate (zero-area) transform. */
export function invert(t: Transform): Transform {
  const det = t.a * t.d - t.b * t.c;
  if (det === 0 || !Number.isFinite(det)) throw new Error("cannot invert a degenerate transform (zero scale)");
  return {
    a: t.d / det,
    b: -t.b / det,
    c: -t.c / det,
    d: t.a / det,
    e: (t.c * t.f - t.d * t.e) / det,
    f: (t.b * t.e - t.a * t.f) / det,
  };
}

/** How many output units one local unit spans on average: √|det| (exact for rotations and uniform scales). */
export function scaleOf(t: Transform): number {
  return Math.sqrt(Math.abs(t.a * t.d - t.b * t.c));
}
