import type { Random } from "../random.js";

/** An RGB colour, each channel a float in [0, 1] (the rasterizer's working space). */
export type Color = readonly [number, number, number];

export const WHITE: Color = [1, 1, 1];
export const BLACK: Color = [0, 0, 0];

/** "#rrggbb" (or "rrggbb") → a Color. */
export function hex(code: string): Color {
  const n = parseInt(code.replace(/^#/, ""), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** Hue in degrees [0, 360), saturation and lightness in [0, 1] → a Color (the CSS hsl() formula). */
export function hsl(hue: number, saturation: number, lightness: number): Color {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = lightness - c / 2;
  const [r, g, b] =
    h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  return [r + m, g + m, b + m];
}

/** Linear interpolation: `t` = 0 gives `a`, 1 gives `b`. */
export function mix(a: Color, b: Color, t: number): Color {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Towards white by `t` in [0, 1]. */
export function lighten(color: Color, t: number): Color {
  return mix(color, WHITE, t);
}

/** Towards black by `t` in [0, 1]. */
export function darken(color: Color, t: number): Color {
  return mix(color, BLACK, t);
}

/** Perceived brightness in [0, 1] (Rec. 601 weights). */
export function luminance(color: Color): number {
  return 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2];
}

/** A nearby colour: brightness scaled by up to ±`amount` and each channel nudged by up to ±`amount`/3, clamped to [0, 1]. */
export function vary(random: Random, color: Color, amount: number): Color {
  const k = 1 + (random() * 2 - 1) * amount;
  const channel = (v: number) => Math.min(1, Math.max(0, v * k + (random() * 2 - 1) * (amount / 3)));
  return [channel(color[0]), channel(color[1]), channel(color[2])];
}
