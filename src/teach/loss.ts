/** Cross-entropy loss of one prediction that gives the right class probability `p`: −ln p (0 when sure and right, ∞ when sure and wrong). */
export function crossEntropy(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`invalid probability: ${p}; use a number from 0 to 1`);
  return p === 1 ? 0 : -Math.log(p);
}

/** With two classes, a model that gives the right one `p` gives the other 1 − p, and picks the right one when p > 0.5. */
export function twoClasses(p: number): { right: number; other: number; correct: boolean } {
  if (!(p >= 0 && p <= 1)) throw new Error(`invalid probability: ${p}; use a number from 0 to 1`);
  return { right: p, other: 1 - p, correct: p > 0.5 };
}

/** The curve −ln p at `n` evenly spaced p from `from` to 1 (p = 0 is left out: the loss there is infinite). */
export function lossCurve({ from = 0.01, n = 100 }: { from?: number; n?: number } = {}): { p: number; loss: number }[] {
  if (!(from > 0 && from < 1)) throw new Error(`invalid from: ${from}; use a probability above 0 and below 1`);
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`invalid n: ${n}; use a whole number ≥ 2`);
  return Array.from({ length: n }, (_, i) => {
    const p = from + ((1 - from) * i) / (n - 1);
    return { p, loss: crossEntropy(p) };
  });
}

/** Four predictions worth comparing: sure and right, unsure either way, sure and wrong. */
export const LANDMARKS = [
  { p: 0.99, name: "sure and right" },
  { p: 0.6, name: "unsure, right" },
  { p: 0.4, name: "unsure, wrong" },
  { p: 0.01, name: "sure and wrong" },
] as const;
