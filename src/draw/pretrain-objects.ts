import { pick, randomInt, uniform, type Random } from "../random.js";
import { chance } from "./choice.js";
import { darken, hex, hsl, lighten, mix, vary, WHITE, type Color } from "./color.js";
import { draw, type Pen } from "./face-parts.js";
import { furPaint, randomFur } from "./fur.js";
import { dots, linearGradient, radialGradient, stripes } from "./patterns.js";
import type { Paint } from "./raster.js";
import {
  circle,
  curve,
  ellipse,
  intersect,
  line,
  polygon,
  polyline,
  rect,
  rounded,
  union,
  type Point,
} from "./shapes.js";
import { scale } from "./transform.js";

/**
 * Objects and whole animals for pretraining — bird, car, cup, fish, flower, house — in subject
 * coordinates (centred at (0, 0), radius about 1, y down), with the same outlines, textures and
 * colours as the faces. Side views face left or right at random.
 */
const DARK = hex("#1c1616");

function bright(random: Random): Color {
  return hsl(uniform(random, 0, 360), uniform(random, 0.45, 0.85), uniform(random, 0.4, 0.62));
}

function mirrored(pen: Pen, random: Random): Pen {
  return chance(random, 0.5) ? { ...pen, transform: scale(pen.transform, -1, 1) } : pen;
}

/** A small eye: dark disc and a highlight. */
function bead(pen: Pen, x: number, y: number, r: number): void {
  draw(pen, circle(x, y, r), DARK);
  draw(pen, circle(x - r * 0.35, y - r * 0.35, r * 0.35), WHITE, 0.9);
}

export function drawBird(pen: Pen, random: Random): void {
  const p = mirrored(pen, random);
  const color = bright(random);
  const paint = furPaint({
    ...randomFur(random, { solid: 3, spots: 1, tabby: 1 }),
    base: color,
    accent: darken(color, 0.35),
  });
  if (chance(random, 0.5)) draw(p, line(-1.2, 0.78, 1.2, 0.72, 0.1), hex("#6b4a2e"));
  for (const s of [-0.12, 0.12])
    draw(
      p,
      polyline(
        [
          [s, 0.5],
          [s + 0.02, 0.78],
          [s + 0.12, 0.8],
        ],
        0.04,
      ),
      hex("#d08a30"),
    );
  draw(
    p,
    rounded(
      polygon([
        [-0.55, 0.05],
        [-1.15, -0.2],
        [-1.1, 0.3],
      ]),
      0.03,
    ),
    darken(color, 0.3),
  );
  draw(p, ellipse(0, 0.12, 0.72, 0.5, -0.25), paint);
  draw(p, ellipse(0.15, 0.28, 0.45, 0.3, -0.3), chance(random, 0.5) ? lighten(color, 0.5) : bright(random));
  draw(p, ellipse(-0.12, 0.05, 0.48, 0.25, -0.35), darken(color, 0.25));
  draw(p, circle(0.55, -0.35, 0.36), paint);
  draw(
    p,
    rounded(
      polygon([
        [0.82, -0.44],
        [1.18, -0.32],
        [0.84, -0.22],
      ]),
      0.02,
    ),
    vary(random, hex("#f0a020"), 0.1),
  );
  bead(p, 0.64, -0.42, 0.07);
}

export function drawFish(pen: Pen, random: Random): void {
  const p = mirrored(pen, random);
  const color = bright(random);
  const accent = chance(random, 0.5) ? WHITE : darken(color, 0.5);
  const paint: Paint = pick(random, [
    linearGradient([0, -0.5], [0, 0.5], darken(color, 0.15), lighten(color, 0.35)),
    stripes(color, accent, uniform(random, 0.3, 0.5), 0, 0.3),
    furPaint({ ...randomFur(random, { spots: 1 }), base: color, accent, grain: 0.02 }),
  ]);
  const fin = darken(color, 0.2);
  draw(
    p,
    rounded(
      polygon([
        [-0.7, 0],
        [-1.25, -0.5],
        [-1.12, 0],
        [-1.25, 0.5],
      ]),
      0.03,
    ),
    fin,
  );
  draw(
    p,
    rounded(
      polygon([
        [-0.3, -0.4],
        [0.2, -0.45],
        [-0.5, -0.75],
      ]),
      0.03,
    ),
    fin,
  );
  draw(
    p,
    rounded(
      polygon([
        [-0.1, 0.4],
        [0.2, 0.42],
        [-0.15, 0.65],
      ]),
      0.03,
    ),
    fin,
  );
  draw(p, ellipse(0, 0, 0.92, 0.52), paint);
  draw(p, curve([0.38, -0.3], [0.28, 0], [0.38, 0.3], 0.03), darken(color, 0.35));
  draw(p, circle(0.58, -0.1, 0.12), WHITE);
  bead(p, 0.6, -0.1, 0.07);
  draw(p, curve([0.8, 0.12], [0.86, 0.16], [0.92, 0.1], 0.03), darken(color, 0.5));
}

export function drawCar(pen: Pen, random: Random): void {
  const p = mirrored(pen, random);
  const color = bright(random);
  const glass = mix(hex("#a8c8e0"), WHITE, uniform(random, 0, 0.3));
  const roof = uniform(random, -0.6, -0.45);
  draw(
    p,
    rounded(
      polygon([
        [-0.62, 0],
        [-0.4, roof],
        [0.3, roof],
        [0.6, 0],
      ]),
      0.06,
    ),
    color,
  );
  draw(
    p,
    rect(-1.05, -0.1, 1.05, 0.38, 0.14),
    linearGradient([0, -0.1], [0, 0.38], lighten(color, 0.15), darken(color, 0.15)),
  );
  draw(
    p,
    polygon([
      [-0.52, -0.02],
      [-0.36, roof + 0.08],
      [-0.1, roof + 0.08],
      [-0.1, -0.02],
    ]),
    glass,
  );
  draw(
    p,
    polygon([
      [0.0, -0.02],
      [0.0, roof + 0.08],
      [0.26, roof + 0.08],
      [0.48, -0.02],
    ]),
    glass,
  );
  draw(p, line(-0.05, 0, -0.05, 0.3, 0.02), darken(color, 0.35));
  draw(p, ellipse(1.0, 0.05, 0.06, 0.08), hex("#ffe680"));
  draw(p, ellipse(-1.02, 0.05, 0.04, 0.07), hex("#e03030"));
  for (const x of [-0.6, 0.6]) {
    draw(p, circle(x, 0.38, 0.26), hex("#232323"));
    draw(p, circle(x, 0.38, 0.12), hex("#c8c8c8"));
  }
}

export function drawCup(pen: Pen, random: Random): void {
  const color = bright(random);
  const pattern: Paint = pick(random, [
    color,
    stripes(color, WHITE, 0.3, 0),
    dots(color, WHITE, 0.3, 0.18),
    stripes(color, lighten(color, 0.5), 0.25, 1.57),
  ]);
  if (chance(random, 0.6)) draw(pen, ellipse(0, 0.72, 0.95, 0.16), vary(random, WHITE, 0.05));
  draw(
    pen,
    polyline(
      Array.from({ length: 14 }, (_, i): Point => [
        0.55 + 0.32 * Math.sin((i / 13) * Math.PI),
        0.1 - 0.3 * Math.cos((i / 13) * Math.PI),
      ]),
      0.12,
    ),
    darken(color, 0.1),
  );
  draw(
    pen,
    rounded(
      polygon([
        [-0.55, -0.6],
        [0.55, -0.6],
        [0.45, 0.68],
        [-0.45, 0.68],
      ]),
      0.05,
    ),
    pattern,
  );
  draw(
    pen,
    rounded(
      polygon([
        [-0.55, -0.6],
        [0.55, -0.6],
        [0.45, 0.68],
        [-0.45, 0.68],
      ]),
      0.05,
    ),
    radialGradient(-0.25, -0.1, 1.0, WHITE, DARK),
    0.18,
  );
  draw(pen, ellipse(0, -0.62, 0.6, 0.12), lighten(color, 0.2));
  draw(pen, ellipse(0, -0.61, 0.52, 0.09), pick(random, [hex("#5a3420"), hex("#c89868"), hex("#3a2418")]));
  if (chance(random, 0.5))
    for (const x of [-0.2, 0.15]) draw(pen, curve([x, -0.8], [x + 0.2, -1.05], [x, -1.3], 0.05), WHITE, 0.5);
}

export function drawFlower(pen: Pen, random: Random): void {
  const petal = bright(random);
  const n = randomInt(random, 5, 10);
  const len = uniform(random, 0.35, 0.5);
  const green = hsl(uniform(random, 90, 130), 0.5, 0.38);
  draw(pen, curve([0, 0], [0.25, 0.7], [0.1, 1.4], 0.08), green);
  draw(pen, ellipse(0.35, 0.85, 0.28, 0.1, -0.5), green);
  const twist = random() * 6.283;
  for (let k = 0; k < n; k++) {
    const a = twist + (k / n) * 6.283;
    draw(
      pen,
      ellipse(Math.cos(a) * len, Math.sin(a) * len, len * 0.95, (len * 2.6) / n + 0.06, a),
      radialGradient(0, 0, len * 2, lighten(petal, 0.35), petal),
    );
  }
  const middle = vary(random, pick(random, [hex("#f2c230"), hex("#6b3a1e"), hex("#e08020")]), 0.1);
  draw(pen, circle(0, 0, 0.24), dots(middle, darken(middle, 0.3), 0.09, 0.2));
}

export function drawHouse(pen: Pen, random: Random): void {
  const wall = hsl(uniform(random, 0, 360), uniform(random, 0.2, 0.6), uniform(random, 0.55, 0.8));
  const roof = hsl(uniform(random, 0, 40), uniform(random, 0.3, 0.6), uniform(random, 0.3, 0.45));
  draw(pen, rect(0.35, -0.95, 0.55, -0.4), darken(roof, 0.2));
  draw(
    pen,
    rect(-0.75, -0.25, 0.75, 0.9),
    chance(random, 0.4) ? stripes(wall, darken(wall, 0.08), 0.12, 1.5708, 0.2) : wall,
  );
  draw(
    pen,
    rounded(
      polygon([
        [-0.92, -0.2],
        [0, -1.0],
        [0.92, -0.2],
      ]),
      0.04,
    ),
    roof,
  );
  const door = uniform(random, -0.45, 0.2);
  draw(pen, rect(door, 0.3, door + 0.3, 0.9, 0.04), bright(random));
  draw(pen, circle(door + 0.24, 0.62, 0.03), hex("#e0c040"));
  const glass = hex("#bcd8ec");
  for (const x of door < -0.1 ? [0.15, 0.45] : [-0.55, 0.45]) {
    draw(pen, rect(x - 0.01, -0.01, x + 0.26, 0.26, 0.02), WHITE);
    draw(pen, rect(x + 0.03, 0.03, x + 0.22, 0.22), glass);
    draw(
      pen,
      union(line(x + 0.125, 0.03, x + 0.125, 0.22, 0.025), line(x + 0.03, 0.125, x + 0.22, 0.125, 0.025)),
      WHITE,
    );
  }
  draw(pen, intersect(rect(-0.75, -0.25, 0.75, 0.9), rect(-0.75, 0.82, 0.75, 0.9)), darken(wall, 0.3), 0.4);
}
