import type { RgbImage } from "../data/image.js";
import { pick, randomInt, seededRandom, uniform, type Random } from "../random.js";
import { darken, hsl, lighten, mix, vary, type Color } from "./color.js";
import { addNoise, adjust, gaussianBlur } from "./filters.js";
import { dots, gingham, linearGradient, stripes } from "./patterns.js";
import { createCanvas, fill, paintAll, toImage, type Canvas, type Paint } from "./raster.js";
import { circle, curve, ellipse, intersect, line, polygon, polyline, rect, union, type Shape } from "./shapes.js";
import { IDENTITY, rotate, scale, translate, type Transform } from "./transform.js";

/**
 * The shared visual world of every generated image: backgrounds, clutter, where the subject sits,
 * occluders, lighting, blur and sensor noise. Positions are in unit coordinates ([0, 1]² covers the
 * image), so a scene is the same picture at every size; only `size` turns units into pixels.
 */
export interface Frame {
  /** Subject coordinates (subject centred at (0, 0), radius about 1) → pixels. */
  transform: Transform;
  /** Centre and radius of the subject, in unit coordinates. */
  cx: number;
  cy: number;
  radius: number;
}

export interface PlaceOptions {
  /** Subject radius as a fraction of the image side, [min, max]. */
  radius: readonly [number, number];
  /** Largest tilt, radians (typical tilts are a third of it). */
  maxTilt: number;
}

/** Background hues and the lightness they are drawn at: soft, pleasant, varied. */
function softColor(random: Random, lightness: [number, number] = [0.55, 0.88]): Color {
  return hsl(uniform(random, 0, 360), uniform(random, 0.15, 0.55), uniform(random, lightness[0], lightness[1]));
}

/** Fills the whole canvas with a backdrop: a plain wall, a room corner, outdoors, a patterned blanket or a dark studio. */
export function drawBackground(canvas: Canvas, random: Random, size: number): void {
  const unit = scale(IDENTITY, size);
  const kind = pick(random, ["wall", "room", "outdoor", "fabric", "dark"] as const);
  const a = softColor(random);
  if (kind === "wall") {
    const b = vary(random, a, 0.2);
    paintAll(
      canvas,
      linearGradient([uniform(random, 0, 1), 0], [uniform(random, 0, 1), 1], lighten(a, 0.1), darken(b, 0.1)),
      { transform: unit },
    );
  } else if (kind === "room") {
    const floorY = uniform(random, 0.55, 0.85);
    paintAll(canvas, linearGradient([0, 0], [0, floorY], lighten(a, 0.12), a), { transform: unit });
    const floor = hsl(uniform(random, 20, 45), uniform(random, 0.25, 0.5), uniform(random, 0.3, 0.6));
    fill(
      canvas,
      rect(-0.1, floorY, 1.1, 1.1),
      random() < 0.5 ? stripes(floor, darken(floor, 0.15), 0.12, 0.05, 0.12) : floor,
      { transform: unit },
    );
    fill(canvas, line(-0.1, floorY, 1.1, floorY, 0.02), darken(floor, 0.35), { transform: unit, opacity: 0.6 });
  } else if (kind === "outdoor") {
    const sky = hsl(uniform(random, 190, 225), uniform(random, 0.4, 0.7), uniform(random, 0.65, 0.85));
    paintAll(canvas, linearGradient([0, 0], [0, 0.7], darken(sky, 0.1), lighten(sky, 0.4)), { transform: unit });
    const grass = hsl(uniform(random, 80, 130), uniform(random, 0.3, 0.55), uniform(random, 0.35, 0.55));
    const h = uniform(random, 0.55, 0.8);
    fill(canvas, ellipse(uniform(random, 0.2, 0.8), h + 0.6, 1.2, 0.62), lighten(grass, 0.15), { transform: unit });
    fill(canvas, rect(-0.1, h + 0.08, 1.1, 1.1), grass, { transform: unit });
    if (random() < 0.5)
      fill(canvas, circle(uniform(random, 0.1, 0.9), uniform(random, 0.05, 0.25), 0.07), [1, 0.95, 0.7], {
        transform: unit,
      });
  } else if (kind === "fabric") {
    const b = vary(random, softColor(random, [0.4, 0.7]), 0.1);
    const pattern = pick(random, [
      dots(a, b, uniform(random, 0.08, 0.16), 0.22),
      gingham(a, b, uniform(random, 0.05, 0.1)),
      stripes(a, b, uniform(random, 0.06, 0.15), uniform(random, 0, 3.14)),
    ]);
    paintAll(canvas, pattern, { transform: rotate(unit, uniform(random, -0.3, 0.3)) });
  } else {
    const d = hsl(uniform(random, 0, 360), uniform(random, 0.1, 0.4), uniform(random, 0.1, 0.25));
    paintAll(canvas, linearGradient([0.5, 0], [0.5, 1], lighten(d, 0.1), d), { transform: unit });
  }
}

/** A random thing for the background (or in front): a ball, block, triangle, stick, ring or blob. */
function clutterShape(random: Random, cx: number, cy: number, r: number): Shape {
  switch (randomInt(random, 0, 5)) {
    case 0:
      return ellipse(cx, cy, r, r * uniform(random, 0.6, 1), uniform(random, 0, 3.14));
    case 1:
      return rect(cx - r, cy - r * 0.7, cx + r, cy + r * 0.7, r * 0.15);
    case 2:
      return polygon([
        [cx, cy - r],
        [cx + r, cy + r * 0.8],
        [cx - r, cy + r * 0.8],
      ]);
    case 3:
      return line(cx - r, cy - r * uniform(random, -1, 1), cx + r, cy + r * uniform(random, -1, 1), r * 0.25);
    case 4:
      return polyline(
        Array.from({ length: 24 }, (_, i) => [cx + r * Math.cos(i * 0.2732), cy + r * Math.sin(i * 0.2732)] as const),
        r * 0.25,
        true,
      );
    default:
      return union(
        circle(cx, cy, r * 0.6),
        circle(cx + r * 0.5, cy + r * 0.2, r * 0.45),
        circle(cx - r * 0.4, cy + r * 0.3, r * 0.5),
      );
  }
}

/** Scatters `count` clutter shapes over the canvas. */
export function drawClutter(canvas: Canvas, random: Random, size: number, count: number): void {
  const unit = scale(IDENTITY, size);
  for (let i = 0; i < count; i++) {
    const shape = clutterShape(
      random,
      uniform(random, -0.05, 1.05),
      uniform(random, -0.05, 1.05),
      uniform(random, 0.04, 0.16),
    );
    const color = hsl(uniform(random, 0, 360), uniform(random, 0.2, 0.7), uniform(random, 0.3, 0.85));
    fill(canvas, shape, color, { transform: unit, opacity: uniform(random, 0.5, 1) });
  }
}

/** Where the subject goes: mostly centred, sometimes off-centre and cropped; tilted; scaled within `radius`. */
export function placeSubject(random: Random, size: number, options: PlaceOptions): Frame {
  const radius = uniform(random, options.radius[0], options.radius[1]);
  const wander = random() < 0.15 ? 0.22 : 0.1;
  const cx = 0.5 + uniform(random, -wander, wander);
  const cy = 0.53 + uniform(random, -wander, wander);
  const tilt = (random() + random() + random() - 1.5) * (2 / 3) * options.maxTilt;
  const transform = scale(rotate(translate(scale(IDENTITY, size), cx, cy), tilt), radius);
  return { transform, cx, cy, radius };
}

/** Something in front of the subject covering part of it: a ball, leaf, box, pillow, book or blanket edge. */
export function drawOccluder(canvas: Canvas, random: Random, size: number, frame: Frame): void {
  const angle = uniform(random, 0, 6.283);
  const dist = frame.radius * uniform(random, 0.85, 1.3);
  const r = frame.radius * uniform(random, 0.35, 0.65);
  const t = rotate(
    translate(scale(IDENTITY, size), frame.cx + Math.cos(angle) * dist, frame.cy + Math.sin(angle) * dist),
    uniform(random, -0.6, 0.6),
  );
  const draw = (shape: Shape, paint: Paint, opacity = 1) => fill(canvas, shape, paint, { transform: t, opacity });
  const color = hsl(uniform(random, 0, 360), uniform(random, 0.35, 0.75), uniform(random, 0.4, 0.7));
  switch (pick(random, ["ball", "leaf", "box", "pillow", "book", "blanket"] as const)) {
    case "ball":
      draw(circle(0, 0, r), linearGradient([-r, -r], [r, r], lighten(color, 0.2), darken(color, 0.25)));
      draw(
        intersect(curve([-r, -r * 0.2], [0, r * 0.5], [r, -r * 0.2], r * 0.2), circle(0, 0, r)),
        lighten(color, 0.75),
      );
      break;
    case "leaf": {
      const green = hsl(uniform(random, 75, 140), uniform(random, 0.35, 0.65), uniform(random, 0.3, 0.5));
      const leaf = intersect(circle(0, -r * 0.7, r * 1.2), circle(0, r * 0.7, r * 1.2));
      draw(leaf, linearGradient([-r, 0], [r, 0], lighten(green, 0.15), darken(green, 0.15)));
      draw(line(-r * 0.85, 0, r * 0.85, 0, r * 0.05), lighten(green, 0.35));
      break;
    }
    case "box": {
      const card = hsl(uniform(random, 25, 40), uniform(random, 0.35, 0.55), uniform(random, 0.45, 0.65));
      draw(rect(-r, -r * 0.8, r, r * 0.8, r * 0.05), card);
      draw(rect(-r * 0.15, -r * 0.8, r * 0.15, r * 0.8), mix(card, [0.9, 0.85, 0.7], 0.5));
      break;
    }
    case "pillow":
      draw(rect(-r * 1.2, -r * 0.8, r * 1.2, r * 0.8, r * 0.4), gingham(lighten(color, 0.5), color, r * 0.35));
      break;
    case "book":
      draw(rect(-r * 0.75, -r, r * 0.75, r, r * 0.04), color);
      draw(rect(-r * 0.75, -r, -r * 0.55, r), darken(color, 0.3));
      draw(rect(-r * 0.4, -r * 0.5, r * 0.55, -r * 0.3), lighten(color, 0.6));
      break;
    default: {
      const blanket = union(
        ellipse(0, r * 1.1, r * 2.2, r * 1.2),
        circle(-r, r * 0.2, r * 0.5),
        circle(r * 0.8, r * 0.3, r * 0.45),
      );
      draw(blanket, stripes(lighten(color, 0.3), color, r * 0.5, 1.2, 0.35));
    }
  }
}

export interface SceneOptions extends PlaceOptions {
  /** Chance of an occluder, [0, 1]. */
  occlusion: number;
}

/**
 * The whole pipeline: backdrop, clutter, maybe a depth-of-field blur, the subject (drawn by `subject`
 * in subject coordinates), maybe an occluder, then lighting, maybe a blur, and noise. Pixel noise uses
 * its own generator, so the random draws that shape the scene never depend on `size`.
 */
export function renderScene(
  random: Random,
  size: number,
  options: SceneOptions,
  subject: (canvas: Canvas, frame: Frame) => void,
): RgbImage {
  const noiseRandom = seededRandom(Math.floor(random() * 4294967296));
  const px = size / 96; // filter widths are given for a 96 px image
  const canvas = createCanvas(size, size);
  drawBackground(canvas, random, size);
  drawClutter(canvas, random, size, pick(random, [0, 1, 2, 3, 4, 6]));
  if (random() < 0.35) gaussianBlur(canvas, uniform(random, 0.6, 1.8) * px);
  const frame = placeSubject(random, size, options);
  subject(canvas, frame);
  if (random() < options.occlusion) drawOccluder(canvas, random, size, frame);
  const warm = uniform(random, -0.06, 0.06);
  adjust(canvas, uniform(random, -0.08, 0.08), uniform(random, 0.8, 1.15), [1 + warm, 1, 1 - warm]);
  if (random() < 0.3) gaussianBlur(canvas, uniform(random, 0.4, 1.2) * px);
  if (random() < 0.6) addNoise(canvas, noiseRandom, uniform(random, 0.005, 0.04));
  return toImage(canvas);
}
