/** A hyper-parameter as a function of training progress `pos` in [0, 1]. */
export type Schedule = (pos: number) => number;

/** fastai's SchedCos: from `start` (pos 0) to `end` (pos 1) along half a cosine. */
export function schedCos(start: number, end: number): Schedule {
  return (pos) => start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;
}

/** fastai's combine_scheds: `schedules[i]` covers fraction `pcts[i]` of training (pcts sum to 1). */
export function combineScheds(pcts: readonly number[], schedules: readonly Schedule[]): Schedule {
  const total = pcts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) throw new Error(`combineScheds: pcts sum to ${total}; they must sum to 1`);
  const starts = pcts.map((_, i) => pcts.slice(0, i).reduce((a, b) => a + b, 0));
  return (pos) => {
    let i = starts.length - 1;
    while (i > 0 && pos < starts[i]!) i--;
    const width = pcts[i]!;
    return schedules[i]!(width === 0 ? 1 : Math.min(1, (pos - starts[i]!) / width));
  };
}

export interface OneCycleOptions {
  /** Peak learning rate. */
  lrMax: number;
  /** Start at lrMax / div. Default 25. */
  div?: number;
  /** End at lrMax / divFinal. Default 1e5. */
  divFinal?: number;
  /** Fraction of training spent warming up. Default 0.25. */
  pctStart?: number;
  /** Momentum (Adam's beta1) at start, peak-lr and end. Default [0.95, 0.85, 0.95]. */
  moms?: readonly [number, number, number];
}

/**
 * fastai's fit_one_cycle schedule: the learning rate rises along a cosine from lrMax/div to lrMax over
 * the first pctStart of all batches, then falls to lrMax/divFinal; momentum does the opposite.
 * Evaluate at pos = (batches done) / (total batches), as fastai does before each batch.
 */
export function oneCycle({
  lrMax,
  div = 25,
  divFinal = 1e5,
  pctStart = 0.25,
  moms = [0.95, 0.85, 0.95],
}: OneCycleOptions): { lr: Schedule; mom: Schedule } {
  if (!(lrMax > 0 && Number.isFinite(lrMax)))
    throw new Error(`invalid lrMax: ${lrMax}; use a positive learning rate, e.g. 2e-3`);
  if (!(pctStart >= 0 && pctStart <= 1))
    throw new Error(`invalid pctStart: ${pctStart}; use a fraction in [0, 1], e.g. 0.25`);
  const pcts = [pctStart, 1 - pctStart];
  return {
    lr: combineScheds(pcts, [schedCos(lrMax / div, lrMax), schedCos(lrMax, lrMax / divFinal)]),
    mom: combineScheds(pcts, [schedCos(moms[0], moms[1]), schedCos(moms[1], moms[2])]),
  };
}

/**
 * fastai's even_mults: `n` rates spaced geometrically from `start` to `stop` (discriminative learning
 * rates for `n` parameter groups, first layers first).
 */
export function evenMults(start: number, stop: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid n: ${n}; use a positive integer number of groups`);
  if (n === 1) return [stop];
  const step = (stop / start) ** (1 / (n - 1));
  return Array.from({ length: n }, (_, i) => start * step ** i);
}
