import { darken, lighten, mix, WHITE, type Color } from "./color.js";
import { radialGradient } from "./patterns.js";
import { fill, type Canvas, type Paint } from "./raster.js";
import { circle, curve, ellipse, intersect, polygon, rounded, type Point, type Shape } from "./shapes.js";
import type { Transform } from "./transform.js";

/**
 * Facial features drawn in face coordinates (head centred at (0, 0), radius about 1, y down).
 * `side` is −1 for the viewer's left, +1 for the right. Shared by pets and pretraining animals.
 */
export interface Pen {
  canvas: Canvas;
  transform: Transform;
}

/** Fills `shape` through the pen's transform. */
export function draw(pen: Pen, shape: Shape, paint: Paint, opacity = 1, feather = 0): void {
  fill(pen.canvas, shape, paint, { transform: pen.transform, opacity, feather });
}

export type EyeShape = "almond" | "round" | "closed";

export interface EyeStyle {
  shape: EyeShape;
  pupil: "slit" | "round";
  iris: Color;
  /** 1 = a typical cat eye (radius ≈ 0.17 head radii). */
  size: number;
  /** Eyelid and rim colour. */
  rim: Color;
}

/** One eye centred at (x, y); `squash` < 1 narrows it (a face turned away). */
export function drawEye(pen: Pen, x: number, y: number, side: number, style: EyeStyle, squash = 1): void {
  const sz = style.size;
  if (style.shape === "closed") {
    const w = 0.15 * sz * squash;
    draw(pen, curve([x - w, y], [x, y + 0.09 * sz], [x + w, y], 0.035 * sz), style.rim);
    return;
  }
  const almond = style.shape === "almond";
  const rx = (almond ? 0.17 : 0.125) * sz * squash;
  const ry = (almond ? 0.125 : 0.125) * sz;
  const tilt = almond ? -side * 0.2 : 0;
  const eye = ellipse(x, y, rx, ry, tilt);
  draw(pen, ellipse(x, y, rx + 0.03 * sz, ry + 0.03 * sz, tilt), style.rim);
  draw(pen, eye, radialGradient(x, y + 0.02, Math.max(rx, ry), lighten(style.iris, 0.25), darken(style.iris, 0.25)));
  const pupil =
    style.pupil === "slit"
      ? ellipse(x, y, 0.035 * sz * squash, 0.115 * sz)
      : circle(x, y, (almond ? 0.075 : 0.085) * sz * Math.sqrt(squash));
  draw(pen, intersect(pupil, eye), [0.04, 0.03, 0.03]);
  draw(pen, circle(x - 0.045 * sz * squash, y - 0.045 * sz, 0.03 * sz), WHITE, 0.9);
}

/** A small rounded inverted triangle (cats, rabbits, mice): top edge at y − h/2, point at y + h/2. */
export function drawSmallNose(pen: Pen, x: number, y: number, width: number, color: Color): void {
  const r = width * 0.15;
  const h = width * 0.7;
  draw(
    pen,
    rounded(
      polygon([
        [x - width / 2 + r, y - h / 2 + r],
        [x + width / 2 - r, y - h / 2 + r],
        [x, y + h / 2 - r],
      ]),
      r,
    ),
    color,
  );
  draw(pen, ellipse(x - width * 0.12, y - h * 0.22, width * 0.14, h * 0.1), lighten(color, 0.5), 0.7);
}

/** A big rounded dog-style nose (dogs, bears): `width` across, top at y − 0.3·width. */
export function drawBigNose(pen: Pen, x: number, y: number, width: number, color: Color): void {
  const h = width * 0.62;
  const r = width * 0.2;
  const shape = rounded(
    polygon([
      [x - width / 2 + r, y - h / 2 + r],
      [x + width / 2 - r, y - h / 2 + r],
      [x + width * 0.12, y + h / 2 - r],
      [x - width * 0.12, y + h / 2 - r],
    ]),
    r,
  );
  draw(pen, shape, radialGradient(x - width * 0.1, y - h * 0.2, width * 0.6, lighten(color, 0.18), darken(color, 0.2)));
  for (const s of [-1, 1])
    draw(pen, ellipse(x + s * width * 0.2, y + h * 0.08, width * 0.09, h * 0.12, s * 0.5), darken(color, 0.6), 0.8);
  draw(pen, ellipse(x - width * 0.12, y - h * 0.28, width * 0.16, h * 0.1), lighten(color, 0.7), 0.75);
}

/** A cat's "ω" mouth hanging from (x, y): a short philtrum line and two upturned curls `width` across. */
export function drawSmallMouth(pen: Pen, x: number, y: number, width: number, color: Color, lineWidth: number): void {
  const drop = width * 0.45;
  draw(pen, curve([x, y], [x, y + drop / 2], [x, y + drop], lineWidth), color);
  for (const s of [-1, 1])
    draw(
      pen,
      curve(
        [x, y + drop],
        [x + s * width * 0.25, y + drop + width * 0.45],
        [x + s * width * 0.55, y + drop + width * 0.05],
        lineWidth,
      ),
      color,
    );
}

/** A dog's mouth: a line down from the nose to (x, y + drop), a wide smile `width` across, an optional hanging tongue. */
export function drawBigMouth(
  pen: Pen,
  x: number,
  y: number,
  drop: number,
  width: number,
  color: Color,
  lineWidth: number,
  tongue: Color | null,
): void {
  const my = y + drop;
  if (tongue) {
    draw(pen, ellipse(x, my + width * 0.12, width * 0.3, width * 0.2), darken(color, 0.2));
    const t = ellipse(x, my + width * 0.32, width * 0.2, width * 0.3);
    draw(pen, t, radialGradient(x, my + width * 0.25, width * 0.35, lighten(tongue, 0.15), darken(tongue, 0.15)));
    draw(
      pen,
      curve([x, my + width * 0.15], [x, my + width * 0.35], [x, my + width * 0.48], lineWidth * 0.7),
      darken(tongue, 0.35),
      0.7,
    );
  }
  draw(pen, curve([x, y], [x, y + drop / 2], [x, my], lineWidth), color);
  for (const s of [-1, 1])
    draw(
      pen,
      curve([x, my], [x + s * width * 0.2, my + width * 0.22], [x + s * width * 0.5, my - width * 0.02], lineWidth),
      color,
    );
}

/** Three whiskers fanning out from (x, y) on `side`, reaching `length` head radii out. */
export function drawWhiskers(
  pen: Pen,
  x: number,
  y: number,
  side: number,
  length: number,
  color: Color,
  width: number,
  opacity = 0.9,
): void {
  for (let i = 0; i < 3; i++) {
    const start: Point = [x, y + i * 0.05];
    const end: Point = [x + side * length, y - 0.14 + i * 0.15];
    const control: Point = [x + side * length * 0.55, y - 0.08 + i * 0.06];
    draw(pen, curve(start, control, end, width * (1 - i * 0.15), 8), color, opacity);
  }
}

/** Rows of small dark dots on a muzzle where whiskers grow, on `side`. */
export function drawWhiskerDots(pen: Pen, x: number, y: number, side: number, spread: number, color: Color): void {
  for (let row = 0; row < 3; row++) {
    for (let k = 0; k < 3; k++) {
      draw(
        pen,
        circle(x + side * (k + 0.5) * spread * 0.3, y + row * spread * 0.16 - k * spread * 0.03, spread * 0.035),
        color,
        0.6,
      );
    }
  }
}

export type EarStyle = "pointy" | "rounded" | "floppy" | "folded";

export interface EarSpec {
  style: EarStyle;
  /** About 0.7–1.3; 1 = a typical cat ear. */
  size: number;
  /** About 0–1: how far out the tips sit. */
  spread: number;
  /** Outer coat of the ear, and its inside. */
  paint: Paint;
  inner: Color;
}

/** Ears are drawn before the head (pointy, rounded, folded) or after it (floppy): see `earsInFront`. */
export function earsInFront(style: EarStyle): boolean {
  return style === "floppy";
}

/** One ear on `side` (−1 left, +1 right), attached to a head of half-width `w` and half-height `h`. */
export function drawEar(pen: Pen, ear: EarSpec, side: number, w: number, h: number): void {
  const s = side;
  const z = ear.size;
  if (ear.style === "pointy" || ear.style === "folded") {
    const tipX = s * w * (0.55 + 0.3 * ear.spread);
    const tipY = -h * (0.55 + 0.85 * z) - 0.05;
    const inner: Point = [s * w * 0.12, -h * 0.78];
    const outer: Point = [s * w * 0.98, -h * 0.25];
    if (ear.style === "pointy") {
      draw(pen, rounded(polygon([inner, [tipX, tipY], outer]), 0.04), ear.paint);
      const c: Point = [(inner[0] + tipX + outer[0]) / 3, (inner[1] + tipY + outer[1]) / 3];
      const k = 0.58;
      const shrink = (p: Point): Point => [c[0] + (p[0] - c[0]) * k, c[1] + (p[1] - c[1]) * k + 0.06];
      draw(pen, rounded(polygon([shrink(inner), shrink([tipX, tipY]), shrink(outer)]), 0.03), ear.inner);
    } else {
      const fold = 0.5;
      const fi: Point = [inner[0] + (tipX - inner[0]) * fold, inner[1] + (tipY - inner[1]) * fold];
      const fo: Point = [outer[0] + (tipX - outer[0]) * fold, outer[1] + (tipY - outer[1]) * fold];
      draw(pen, rounded(polygon([inner, fi, fo, outer]), 0.04), ear.paint);
      const flapTip: Point = [(fi[0] + fo[0]) / 2 + s * 0.12 * z, Math.max(fi[1], fo[1]) + 0.28 * z];
      draw(pen, rounded(polygon([fi, fo, flapTip]), 0.03), ear.paint);
      draw(pen, rounded(polygon([fi, fo, flapTip]), 0.03), [0, 0, 0], 0.18);
    }
  } else if (ear.style === "rounded") {
    // broad, round-tipped ears leaning well out (French bulldog, corgi): not a bear's small round ones
    const angle = s * (0.55 + 0.3 * ear.spread);
    const cx = s * w * (0.68 + 0.12 * ear.spread);
    const cy = -h * 0.72 - 0.12 * z;
    draw(pen, ellipse(cx, cy, 0.3 * z, 0.42 * z, angle), ear.paint);
    draw(pen, ellipse(cx + s * 0.01, cy + 0.05, 0.17 * z, 0.28 * z, angle), ear.inner);
  } else {
    const cx = s * w * (0.86 + 0.12 * ear.spread);
    const cy = -h * 0.1 + 0.12 * z;
    const shape = ellipse(cx, cy, 0.27 * z, 0.6 * z, -s * (0.15 + 0.2 * ear.spread));
    draw(
      pen,
      ellipse(cx - s * 0.04, cy + 0.04, 0.28 * z, 0.6 * z, -s * (0.15 + 0.2 * ear.spread)),
      [0, 0, 0],
      0.25,
      0.06,
    );
    draw(pen, shape, ear.paint);
  }
}

/** A collar round the neck below a head of half-height `h`, with a round tag. */
export function drawCollar(pen: Pen, h: number, color: Color, tag: Color): void {
  const y = h * 0.82;
  draw(pen, curve([-0.66, y - 0.05], [0, y + 0.26], [0.66, y - 0.05], 0.13), color);
  draw(pen, circle(0, y + 0.2, 0.075), mix(tag, WHITE, 0.1));
  draw(pen, circle(-0.02, y + 0.18, 0.025), WHITE, 0.6);
}
