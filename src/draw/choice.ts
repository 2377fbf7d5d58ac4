import type { Random } from "../random.js";

/** One key of `weights` (name → relative weight ≥ 0, not all zero), chosen with probability proportional to its weight. */
export function weighted<K extends string>(random: Random, weights: Readonly<Partial<Record<K, number>>>): K {
  const entries = Object.entries(weights) as [K, number][];
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, w] of entries) if ((r -= w) < 0) return key;
  return entries[entries.length - 1]![0];
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}
