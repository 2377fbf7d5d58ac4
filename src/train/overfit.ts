import type { EpochEvent } from "./recorder.js";

/** Where a run turned: the epoch with the lowest validation loss, after which it rose while training loss fell. */
export interface TurningPoint {
  /** Index into the epochs given. */
  index: number;
  validLoss: number;
  /** How much the validation loss rose from there to the last epoch. */
  rise: number;
}

/**
 * The epoch where overfitting starts: the lowest validation loss, if a later epoch's validation loss is
 * higher by more than `tolerance` (relative) while the training loss kept falling after it. Null while
 * the validation loss is still at (or within tolerance of) its best at the end.
 */
export function overfittingStart(
  epochs: readonly Pick<EpochEvent, "trainLoss" | "validLoss">[],
  { tolerance = 0.05 } = {},
): TurningPoint | null {
  if (epochs.length < 3) return null;
  let index = 0;
  epochs.forEach((e, i) => {
    if (e.validLoss < epochs[index]!.validLoss) index = i;
  });
  const best = epochs[index]!;
  const last = epochs.at(-1)!;
  const rise = last.validLoss - best.validLoss;
  if (index === epochs.length - 1 || rise <= tolerance * best.validLoss) return null;
  if (!(last.trainLoss < best.trainLoss)) return null;
  return { index, validLoss: best.validLoss, rise };
}
