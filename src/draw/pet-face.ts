import { darken, lighten, type Color } from "./color.js";
import {
  drawBigMouth,
  drawBigNose,
  drawCollar,
  drawEar,
  drawEye,
  drawSmallMouth,
  drawSmallNose,
  drawWhiskerDots,
  drawWhiskers,
  draw,
  earsInFront,
  type EarSpec,
  type EyeStyle,
  type Pen,
} from "./face-parts.js";
import { furPaint, type Fur } from "./fur.js";
import { ellipse, union } from "./shapes.js";

/**
 * Everything that decides how one cat or dog face looks, in face coordinates (head centred at (0, 0),
 * half-width about 1, y down). Sampled by `pet-traits.ts`, drawn by `drawPetFace`.
 */
export interface PetFace {
  /** Half-width and half-height of the head; `cheeks` in [0, 1] widens the lower face (cat jowls). */
  head: { width: number; height: number; cheeks: number };
  ears: EarSpec;
  eyes: EyeStyle & { spacing: number; y: number };
  /** "small": inverted triangle; "big": a dog's rounded nose. `width` in head radii. */
  nose: { kind: "small" | "big"; width: number; color: Color };
  /**
   * "pads": two whisker pads under a nose at mid-face (a short, flat face);
   * "snout": a protruding muzzle, longer with `length` in [0, 1], `width` its half-width.
   */
  muzzle: { kind: "pads" | "snout"; length: number; width: number; color: Color | null };
  mouth: "small" | "big";
  tongue: Color | null;
  /** "long": three whiskers a side; "dots": whisker spots on the muzzle. */
  whiskers: { kind: "long" | "dots" | "none"; color: Color; length: number; opacity: number };
  fur: Fur;
  body: boolean;
  collar: { color: Color; tag: Color } | null;
  /** Head turned left (< 0) or right (> 0), in [−0.6, 0.6]: features shift, the far eye narrows. */
  yaw: number;
}

/** Draws the face (and shoulders, collar) through `pen`. */
export function drawPetFace(pen: Pen, face: PetFace): void {
  const paint = furPaint(face.fur);
  const { width: w, height: h } = face.head;
  const dx = face.yaw * 0.2;
  if (face.body) {
    draw(pen, union(ellipse(0, h * 0.95, 0.62, 0.45), ellipse(0, h + 0.75, 1.15, 0.8)), paint);
    if (face.collar) drawCollar(pen, h, face.collar.color, face.collar.tag);
  }
  if (!earsInFront(face.ears.style)) for (const s of [-1, 1]) drawEar(pen, face.ears, s, w, h);
  const headShape =
    face.muzzle.kind === "pads"
      ? union(ellipse(0, 0, w, h), ellipse(0, h * 0.25, w * (1 + 0.09 * face.head.cheeks), h * 0.7))
      : union(ellipse(0, -0.04, w, h), ellipse(0, h * 0.2, w * 0.9, h * 0.75));
  draw(pen, ellipse(0, 0.02, w * 1.02, h * 1.02), [0, 0, 0], 0.25, 0.08);
  draw(pen, headShape, paint);

  // muzzle and nose
  const muzzlePaint = face.muzzle.color ?? paint;
  let noseY: number;
  if (face.muzzle.kind === "snout") {
    const L = face.muzzle.length;
    const my = 0.3 + 0.22 * L;
    const mry = 0.28 + 0.2 * L;
    const mrx = face.muzzle.width;
    draw(pen, ellipse(dx, my + 0.03, mrx * 1.03, mry * 1.03), [0, 0, 0], 0.2, 0.06);
    draw(pen, ellipse(dx, my, mrx, mry), muzzlePaint);
    if (face.muzzle.color === null)
      draw(pen, ellipse(dx, my - mry * 0.1, mrx * 0.85, mry * 0.75), [1, 1, 1], 0.2, 0.15);
    noseY = my - mry + (face.nose.kind === "big" ? face.nose.width * 0.36 : face.nose.width * 0.4) + 0.03;
  } else {
    noseY = 0.16 + 0.1 * face.muzzle.length + (face.eyes.y + 0.02) * 0.5;
    const pads = union(ellipse(dx - 0.11, noseY + 0.13, 0.13, 0.1), ellipse(dx + 0.11, noseY + 0.13, 0.13, 0.1));
    draw(pen, pads, muzzlePaint);
    if (face.muzzle.color === null) draw(pen, pads, [1, 1, 1], 0.15);
  }

  // eyes
  for (const s of [-1, 1]) {
    const far = s * face.yaw > 0;
    const squash = far ? 1 - 0.35 * Math.abs(face.yaw) : 1;
    drawEye(
      pen,
      dx * (far ? 1.1 : 0.9) + s * face.eyes.spacing * (far ? 1 - 0.2 * Math.abs(face.yaw) : 1),
      face.eyes.y,
      s,
      face.eyes,
      squash,
    );
  }

  // mouth, nose, whiskers
  const line = darken(face.nose.color, 0.3);
  if (face.nose.kind === "big") {
    const nh = face.nose.width * 0.62;
    const bottom = noseY + nh / 2 - 0.02;
    drawWhiskerMarks(pen, face, dx, noseY + nh * 0.5);
    if (face.mouth === "big")
      drawBigMouth(
        pen,
        dx,
        bottom,
        0.08 + (face.muzzle.kind === "snout" ? 0.1 * face.muzzle.length : 0),
        0.5,
        line,
        0.03,
        face.tongue,
      );
    else drawSmallMouth(pen, dx, bottom, 0.2, line, 0.025);
    drawBigNose(pen, dx, noseY, face.nose.width, face.nose.color);
  } else {
    const bottom = noseY + face.nose.width * 0.35 - 0.01;
    drawWhiskerMarks(pen, face, dx, noseY + 0.1);
    if (face.mouth === "big") drawBigMouth(pen, dx, bottom, 0.07, 0.42, line, 0.028, face.tongue);
    else {
      if (face.tongue) draw(pen, ellipse(dx, bottom + 0.14, 0.06, 0.07), face.tongue);
      drawSmallMouth(pen, dx, bottom, 0.22, darken(line, 0.2), 0.022);
    }
    drawSmallNose(pen, dx, noseY, face.nose.width, face.nose.color);
  }
  if (earsInFront(face.ears.style)) for (const s of [-1, 1]) drawEar(pen, face.ears, s, w, h);
}

function drawWhiskerMarks(pen: Pen, face: PetFace, dx: number, y: number): void {
  const wk = face.whiskers;
  for (const s of [-1, 1]) {
    if (wk.kind === "long") drawWhiskers(pen, dx + s * 0.17, y, s, wk.length, wk.color, 0.02, wk.opacity);
    else if (wk.kind === "dots")
      drawWhiskerDots(pen, dx + s * 0.1, y - 0.02, s, face.muzzle.width, lighten(darken(face.fur.base, 0.5), 0.05));
  }
}
