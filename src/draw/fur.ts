import type { Random } from "../random.js";
import { pick, randomInt, uniform } from "../random.js";
import { weighted } from "./choice.js";
import { hex, lighten, darken, mix, vary, type Color } from "./color.js";
import { fractalNoise, smoothstep, spots, stripe, valueNoise } from "./patterns.js";
import type { PaintFn } from "./raster.js";

/**
 * Fur (and feather, scale) colouring in face coordinates: the head is centred at (0, 0) with radius
 * about 1, y pointing down. Shared by pets and the pretraining animals so textures transfer.
 */
export type FurPattern = "solid" | "tabby" | "spots" | "patches" | "tortie" | "bicolor" | "points" | "mask" | "merle";

/** A soft ellipse of colour laid over the base coat. */
export interface Patch {
  x: number;
  y: number;
  rx: number;
  ry: number;
  color: Color;
}

export interface Fur {
  pattern: FurPattern;
  /** The main coat colour. */
  base: Color;
  /** Stripes, spots, mottling, points or the dark cap of a mask. */
  accent: Color;
  /** White or cream: lower face and chest of bicolor and mask coats. */
  light: Color;
  patches: Patch[];
  /** Pattern size multiplier, about 0.7–1.4. */
  scale: number;
  /** Strength of the fine fur grain, 0–0.12. */
  grain: number;
  /** Seeds the hashed pattern details. */
  seed: number;
}

/** Coat colours that occur in both cats and dogs (so colour alone does not tell them apart). */
export const COAT_COLORS: Record<string, Color> = {
  ginger: hex("#d9893f"),
  cream: hex("#ecd2a4"),
  golden: hex("#d8a657"),
  tan: hex("#b98250"),
  brown: hex("#7a4e2d"),
  chocolate: hex("#4f3222"),
  grey: hex("#8d8f94"),
  blue: hex("#6f7b8c"),
  black: hex("#2b2a2c"),
  white: hex("#f1eee8"),
  silver: hex("#c4c4c0"),
  red: hex("#b5592c"),
};

/** A random coat of `pattern` (or a random pattern drawn from `weights`, name → relative weight). */
export function randomFur(
  random: Random,
  weights: Partial<Record<FurPattern, number>>,
  colors: readonly string[] = Object.keys(COAT_COLORS),
): Fur {
  const pattern = weighted(random, weights);
  const base = vary(random, COAT_COLORS[pick(random, colors)]!, 0.12);
  const accent = randomAccent(random, base, pattern);
  const light = vary(random, pick(random, [COAT_COLORS.white!, COAT_COLORS.cream!, lighten(base, 0.7)]), 0.05);
  const patches: Patch[] = [];
  const count = pattern === "patches" ? randomInt(random, 1, 3) : 0;
  for (let i = 0; i < count; i++) {
    patches.push({
      x: uniform(random, -0.9, 0.9),
      y: uniform(random, -1.0, 0.6),
      rx: uniform(random, 0.3, 0.65),
      ry: uniform(random, 0.3, 0.6),
      color: i === 2 ? vary(random, COAT_COLORS.ginger!, 0.1) : accent,
    });
  }
  return {
    pattern,
    base,
    accent,
    light,
    patches,
    scale: uniform(random, 0.75, 1.35),
    grain: uniform(random, 0.03, 0.12),
    seed: randomInt(random, 0, 1 << 30),
  };
}

function randomAccent(random: Random, base: Color, pattern: FurPattern): Color {
  switch (pattern) {
    case "patches":
    case "tortie":
    case "mask":
      return vary(
        random,
        pick(random, [COAT_COLORS.black!, COAT_COLORS.chocolate!, COAT_COLORS.ginger!, COAT_COLORS.brown!]),
        0.1,
      );
    case "points":
    case "tabby":
    case "spots":
    case "merle":
      return darken(base, uniform(random, 0.45, 0.75));
    default:
      return mix(base, COAT_COLORS.white!, 0.5);
  }
}

/** The coat as a paint: pattern, then soft top-left lighting and a fine fur grain. */
export function furPaint(fur: Fur): PaintFn {
  return (x, y, out) => coatAt(fur, x, y, out);
}

/** How much of the second colour (accent, or light for bicolor) the pattern puts at (x, y), in [0, 1]. */
function patternAt(f: Fur, x: number, y: number): number {
  const k = 1 / f.scale;
  const ax = x < 0 ? -x : x;
  switch (f.pattern) {
    case "tabby": {
      const forehead = stripe(x * 3.4 * k + 0.5, 0.32, 0.14) * smoothstep(-0.05, -0.35, y) * smoothstep(0.75, 0.4, ax);
      const cheek = stripe((y - 0.25 * ax) * 4.2 * k, 0.3, 0.14) * smoothstep(0.45, 0.75, ax);
      const body = stripe((x + 0.15 * y) * 2.8 * k, 0.35, 0.14) * smoothstep(0.85, 1.1, y);
      return Math.max(forehead, cheek, body);
    }
    case "spots":
      return spots(x, y, 0.32 * f.scale, 0.3, 0.8, f.seed);
    case "tortie":
      return smoothstep(0.42, 0.55, fractalNoise(x * 2.6 * k, y * 2.6 * k, f.seed));
    case "merle":
      return smoothstep(0.55, 0.62, fractalNoise(x * 3.2 * k, y * 3.2 * k, f.seed));
    case "bicolor": {
      const blaze = (f.seed & 1) === 1 ? smoothstep(0.16, 0.08, ax - 0.1 * (y + 0.2)) * smoothstep(-0.9, -0.6, y) : 0;
      return Math.max(smoothstep(0.0, 0.12, y - 0.35 * ax + 0.05), blaze);
    }
    case "points": {
      const mask = 1 - smoothstep(0.25, 0.65, Math.sqrt(x * x + ((y - 0.3) * 1.2) ** 2));
      return Math.max(mask, y < 0 ? smoothstep(1.0, 1.25, Math.sqrt(x * x + y * y)) : 0);
    }
    case "mask": {
      // 0 = the dark cap (accent), 1 = the base colour below and on the brows and blaze
      const lower = smoothstep(-0.02, 0.08, y + 0.1 - 0.45 * ax * ax);
      const brow = 1 - smoothstep(0.07, 0.11, Math.sqrt((ax - 0.34) ** 2 + ((y + 0.36) * 1.4) ** 2));
      const blaze = smoothstep(0.12, 0.06, ax - 0.05 * (y + 1)) * smoothstep(-0.75, -0.45, y);
      return 1 - Math.max(lower, brow, blaze);
    }
    default:
      return 0;
  }
}

/** The coat colour at face point (x, y), written into `out`. */
function coatAt(f: Fur, x: number, y: number, out: number[]): void {
  const t = patternAt(f, x, y);
  const second = f.pattern === "bicolor" ? f.light : f.accent;
  let r = f.base[0] + (second[0] - f.base[0]) * t;
  let g = f.base[1] + (second[1] - f.base[1]) * t;
  let b = f.base[2] + (second[2] - f.base[2]) * t;
  if (f.patches.length > 0) {
    const wobble = (fractalNoise(x * 3, y * 3, f.seed) - 0.5) * 0.5;
    for (const p of f.patches) {
      const d = Math.sqrt(((x - p.x) / p.rx) ** 2 + ((y - p.y) / p.ry) ** 2) + wobble;
      const w = 1 - smoothstep(0.9, 1.05, d);
      if (w > 0) {
        r += (p.color[0] - r) * w;
        g += (p.color[1] - g) * w;
        b += (p.color[2] - b) * w;
      }
    }
  }
  const shade = Math.min(1.08, Math.max(0.78, 1.04 - 0.05 * x - 0.07 * y - 0.07 * (x * x + y * y)));
  // fur grain: value noise stretched along y, like short strands
  const k = f.grain === 0 ? shade : shade * (1 + (valueNoise(x * 26, y * 9, f.seed + 11) - 0.5) * 2 * f.grain);
  out[0] = r * k;
  out[1] = g * k;
  out[2] = b * k;
}
