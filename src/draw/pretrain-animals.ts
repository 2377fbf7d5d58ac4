import { pick, uniform, type Random } from "../random.js";
import { chance } from "./choice.js";
import { darken, hex, lighten, mix, vary, WHITE, type Color } from "./color.js";
import {
  draw,
  drawBigMouth,
  drawBigNose,
  drawEye,
  drawSmallMouth,
  drawSmallNose,
  drawWhiskers,
  type EyeStyle,
  type Pen,
} from "./face-parts.js";
import { furPaint, randomFur, type Fur } from "./fur.js";
import { radialGradient } from "./patterns.js";
import type { PaintFn } from "./raster.js";
import { circle, curve, ellipse, polygon, rect, rounded, union } from "./shapes.js";

/**
 * Animal faces for pretraining — bear, frog, mouse, owl, pig, rabbit — built from the same parts and
 * coats as the cats and dogs (ears, eyes, noses, whiskers, fur patterns) but never a cat or dog face.
 * Each is drawn in face coordinates (centred at (0, 0), radius about 1, y down).
 */
const PINK = hex("#eda3a8");
const DARK = hex("#1c1616");

function coat(
  random: Random,
  colors: string[],
  patterns: Parameters<typeof randomFur>[1] = { solid: 4, patches: 1, bicolor: 1 },
): Fur {
  return randomFur(random, patterns, colors);
}

function eyes(random: Random, iris: Color, size: number, rim: Color = DARK): EyeStyle {
  return { shape: chance(random, 0.05) ? "closed" : "round", pupil: "round", iris, size, rim };
}

function pair(pen: Pen, spacing: number, y: number, style: EyeStyle): void {
  for (const s of [-1, 1]) drawEye(pen, s * spacing, y, s, style);
}

function body(pen: Pen, paint: PaintFn | Color, y: number): void {
  draw(pen, union(ellipse(0, y, 0.6, 0.45), ellipse(0, y + 0.75, 1.15, 0.8)), paint);
}

export function drawBear(pen: Pen, random: Random): void {
  const panda = chance(random, 0.2);
  const fur = panda
    ? coat(random, ["white"], { solid: 1 })
    : coat(random, ["brown", "chocolate", "black", "cream", "tan"], { solid: 1 });
  const paint = furPaint(fur);
  const dark = panda ? hex("#222024") : darken(fur.base, 0.35);
  body(pen, panda ? dark : paint, 0.95);
  for (const s of [-1, 1]) {
    draw(pen, circle(s * 0.7, -0.72, 0.27), panda ? dark : paint);
    draw(pen, circle(s * 0.7, -0.7, 0.15), panda ? hex("#3a3638") : dark);
  }
  draw(pen, ellipse(0, 0.02, 1.02, 0.92), [0, 0, 0], 0.25, 0.08);
  draw(pen, ellipse(0, 0, 1, 0.9), paint);
  const y = uniform(random, -0.2, -0.08);
  if (panda) for (const s of [-1, 1]) draw(pen, ellipse(s * 0.34, y + 0.03, 0.2, 0.26, s * -0.6), dark);
  draw(pen, ellipse(0, 0.35, 0.38, 0.28), panda ? WHITE : mix(fur.base, hex("#e8d2b0"), 0.6));
  pair(pen, uniform(random, 0.3, 0.36), y, eyes(random, hex("#3b2616"), uniform(random, 0.6, 0.8)));
  drawBigMouth(pen, 0, 0.3, 0.1, 0.4, DARK, 0.03, chance(random, 0.1) ? PINK : null);
  drawBigNose(pen, 0, 0.22, uniform(random, 0.24, 0.32), DARK);
}

export function drawMouse(pen: Pen, random: Random): void {
  const fur = coat(random, ["grey", "silver", "brown", "white", "tan", "cream"]);
  const paint = furPaint(fur);
  body(pen, paint, 0.9);
  const r = uniform(random, 0.42, 0.56);
  for (const s of [-1, 1]) {
    draw(pen, circle(s * 0.78, -0.62, r), paint);
    draw(pen, circle(s * 0.78, -0.6, r * 0.68), vary(random, PINK, 0.08));
  }
  draw(pen, union(ellipse(0, 0, 0.8, 0.72), ellipse(0, 0.38, 0.4, 0.42)), paint);
  pair(
    pen,
    uniform(random, 0.28, 0.34),
    uniform(random, -0.1, 0.02),
    eyes(random, hex("#201814"), uniform(random, 0.6, 0.85)),
  );
  for (const s of [-1, 1])
    drawWhiskers(pen, s * 0.1, 0.7, s, uniform(random, 0.9, 1.3), darken(fur.base, 0.6), 0.016, 0.8);
  draw(pen, circle(0, 0.76, 0.08), vary(random, PINK, 0.1));
}

export function drawRabbit(pen: Pen, random: Random): void {
  const fur = coat(random, ["white", "grey", "brown", "cream", "tan", "silver"]);
  const paint = furPaint(fur);
  const inner = vary(random, PINK, 0.08);
  body(pen, paint, 0.9);
  const lop = chance(random, 0.1);
  for (const s of [-1, 1]) {
    const angle = s * (lop ? -0.25 : uniform(random, 0.05, 0.35));
    const [cx, cy] = lop ? [s * 0.95, 0.05] : [s * 0.35 + Math.sin(angle) * 0.6, -1.35];
    draw(pen, ellipse(cx, cy, lop ? 0.17 : 0.21, lop ? 0.8 : 0.7, angle), paint);
    if (!lop) draw(pen, ellipse(cx, cy + 0.06, 0.11, 0.52, angle), inner);
  }
  draw(pen, ellipse(0, 0.02, 0.92, 0.84), [0, 0, 0], 0.25, 0.08);
  draw(pen, union(ellipse(0, 0, 0.9, 0.8), ellipse(0, 0.25, 0.95, 0.55)), paint);
  pair(
    pen,
    uniform(random, 0.38, 0.45),
    uniform(random, -0.12, 0),
    eyes(random, pick(random, [hex("#2a1a12"), hex("#5a2a1a")]), uniform(random, 0.9, 1.15)),
  );
  draw(pen, rect(-0.07, 0.36, 0.07, 0.52, 0.02), WHITE);
  draw(pen, curve([0, 0.36], [0, 0.44], [0, 0.52], 0.012), hex("#999999"));
  drawSmallMouth(pen, 0, 0.26, 0.2, darken(fur.base, 0.6), 0.02);
  drawSmallNose(pen, 0, 0.22, 0.13, vary(random, PINK, 0.1));
  for (const s of [-1, 1])
    drawWhiskers(pen, s * 0.15, 0.3, s, uniform(random, 0.9, 1.2), darken(fur.base, 0.5), 0.014, 0.6);
}

export function drawPig(pen: Pen, random: Random): void {
  const base = vary(random, pick(random, [hex("#f2b8b4"), hex("#f0c4b0"), hex("#e8a79e"), hex("#d9a08a")]), 0.06);
  const fur: Fur = { ...coat(random, ["cream"], { solid: 3, patches: 1 }), base };
  const paint = furPaint({ ...fur, grain: 0.02 });
  body(pen, paint, 0.9);
  for (const s of [-1, 1]) {
    const ear = rounded(
      polygon([
        [s * 0.25, -0.7],
        [s * 0.8, -0.5],
        [s * 1.15, -1.05],
      ]),
      0.05,
    );
    draw(pen, ear, paint);
    draw(
      pen,
      rounded(
        polygon([
          [s * 0.42, -0.68],
          [s * 0.8, -0.56],
          [s * 1.02, -0.92],
        ]),
        0.03,
      ),
      darken(base, 0.15),
    );
  }
  draw(pen, ellipse(0, 0.02, 1.06, 0.9), [0, 0, 0], 0.25, 0.08);
  draw(pen, ellipse(0, 0, 1.05, 0.88), paint);
  pair(
    pen,
    uniform(random, 0.36, 0.44),
    uniform(random, -0.3, -0.18),
    eyes(random, hex("#2a1e1a"), uniform(random, 0.55, 0.75)),
  );
  const sy = uniform(random, 0.22, 0.3);
  draw(pen, ellipse(0, sy, 0.36, 0.25), radialGradient(0, sy - 0.05, 0.4, lighten(base, 0.15), darken(base, 0.12)));
  draw(pen, ellipse(0, sy, 0.36, 0.25), darken(base, 0.3), 0.25);
  draw(pen, ellipse(0, sy - 0.01, 0.32, 0.21), lighten(base, 0.1));
  for (const s of [-1, 1]) draw(pen, ellipse(s * 0.12, sy, 0.05, 0.09), darken(base, 0.5));
  draw(pen, curve([-0.25, sy + 0.38], [0, sy + 0.5], [0.25, sy + 0.38], 0.03), darken(base, 0.45));
}

export function drawOwl(pen: Pen, random: Random): void {
  const fur = coat(random, ["brown", "tan", "grey", "white", "cream", "chocolate"], { spots: 3, tortie: 1, solid: 1 });
  const paint = furPaint(fur);
  const disc = mix(fur.base, WHITE, uniform(random, 0.3, 0.6));
  for (const s of [-1, 1]) draw(pen, ellipse(s * 0.85, 0.55, 0.35, 0.7, s * -0.2), darken(fur.base, 0.25));
  if (chance(random, 0.5)) {
    for (const s of [-1, 1])
      draw(
        pen,
        rounded(
          polygon([
            [s * 0.3, -0.75],
            [s * 0.75, -0.55],
            [s * 0.75, -1.25],
          ]),
          0.03,
        ),
        darken(fur.base, 0.15),
      );
  }
  draw(pen, ellipse(0, 0.25, 0.95, 1.15), paint);
  for (const s of [-1, 1]) draw(pen, circle(s * 0.36, -0.15, 0.42), disc);
  pair(pen, 0.36, -0.15, {
    shape: "round",
    pupil: "round",
    iris: vary(random, pick(random, [hex("#f2c230"), hex("#f08a24"), hex("#2a1a12")]), 0.06),
    size: uniform(random, 1.8, 2.2),
    rim: DARK,
  });
  const beak = vary(random, pick(random, [hex("#e0b040"), hex("#8a8478"), hex("#3b3a36")]), 0.08);
  draw(
    pen,
    rounded(
      polygon([
        [-0.1, 0.05],
        [0.1, 0.05],
        [0, 0.35],
      ]),
      0.02,
    ),
    beak,
  );
  for (const s of [-1, 1]) draw(pen, curve([s * 0.1, 1.3], [s * 0.2, 1.38], [s * 0.32, 1.3], 0.06), hex("#d89a30"));
}

export function drawFrog(pen: Pen, random: Random): void {
  const base = vary(
    random,
    pick(random, [hex("#5aa640"), hex("#8cc63f"), hex("#6b7a3a"), hex("#8a6a3a"), hex("#d9492c"), hex("#3a7fd0")]),
    0.1,
  );
  const fur: Fur = { ...coat(random, ["grey"], { solid: 2, spots: 2 }), base, accent: darken(base, 0.45), grain: 0.02 };
  const paint = furPaint(fur);
  draw(
    pen,
    union(ellipse(0, 0.9, 1.0, 0.55), ellipse(-0.75, 1.15, 0.25, 0.35), ellipse(0.75, 1.15, 0.25, 0.35)),
    paint,
  );
  for (const s of [-1, 1]) draw(pen, circle(s * 0.52, -0.45, 0.33), paint);
  draw(pen, ellipse(0, 0.15, 1.12, 0.72), paint);
  draw(pen, ellipse(0, 0.35, 0.9, 0.42), lighten(base, 0.35), 0.5, 0.2);
  for (const s of [-1, 1]) {
    draw(pen, circle(s * 0.52, -0.47, 0.23), DARK);
    draw(pen, circle(s * 0.52, -0.47, 0.2), hex("#d8b030"));
    draw(pen, ellipse(s * 0.52, -0.47, 0.16, 0.07), DARK);
    draw(pen, circle(s * 0.46, -0.53, 0.05), WHITE, 0.9);
    draw(pen, circle(s * 0.12, 0.02, 0.03), darken(base, 0.6));
  }
  draw(pen, curve([-0.75, 0.2], [0, 0.55], [0.75, 0.2], 0.04), darken(base, 0.55));
  if (chance(random, 0.5))
    for (const s of [-1, 1]) draw(pen, ellipse(s * 0.72, 0.32, 0.14, 0.08), hex("#f08a8a"), 0.5, 0.06);
}
