/** The loss has exploded once it is this many times its first batches' (see LossGuard). */
export const EXPLOSION_FACTOR = 100;
/** … for this many batches in a row. */
export const EXPLOSION_BATCHES = 3;
/** The reference is the lowest loss of a run's first this many batches. */
export const REFERENCE_BATCHES = 3;
/** The reference counts as at least this (the limit is never under EXPLOSION_FACTOR × it). */
export const REFERENCE_FLOOR = 1;

/**
 * The fit loops' explosion guard: says when a run's loss has exploded, which is divergence even while
 * every number is still finite (a rate of 1e6 takes the loss to 1e28 and beyond before anything
 * overflows). The rule:
 *
 * - the reference is the lowest training loss of the run's first REFERENCE_BATCHES (3) batches (the
 *   first is the loss of the weights the run started from, measured before its step, so the reference is
 *   never above where the run started, however fast the next batches blow up);
 * - the limit is EXPLOSION_FACTOR (100) × the reference, the reference counting as at least
 *   REFERENCE_FLOOR (1): a run that starts from a well-trained model (first losses ≈ 0.01) may rise to 1
 *   and more when a new cycle warms up; a loss of 100 is a classifier that puts e^-100 on the right class;
 * - the loss has exploded when EXPLOSION_BATCHES (3) batches in a row are over the limit (one batch over
 *   it is a spike, which the next batches may undo), or when the validation loss at an epoch's end is
 *   over it or not finite (the epoch ended on exploded weights).
 *
 * Normal training, warm-up included, stays within a few times its first loss, far under 100×. One guard
 * per fit call: fineTune's unfrozen phase takes its reference from its own first batches.
 */
export class LossGuard {
  private readonly first: number[] = [];
  private over = 0;

  /** The lowest of the first batches' losses so far (NaN before any). */
  get reference(): number {
    return this.first.length === 0 ? NaN : Math.min(...this.first);
  }

  /** The loss over which a batch counts as exploded. */
  get limit(): number {
    return EXPLOSION_FACTOR * Math.max(this.reference, REFERENCE_FLOOR);
  }

  /** Takes a training batch's loss; returns why the run has exploded, or null. */
  batch(loss: number): string | null {
    if (!Number.isFinite(loss)) return `the loss became ${loss}`;
    if (this.first.length < REFERENCE_BATCHES) this.first.push(loss);
    if (loss <= this.limit) {
      this.over = 0;
      return null;
    }
    this.over++;
    if (this.over < EXPLOSION_BATCHES) return null;
    return `the loss rose to ${loss.toPrecision(3)} for ${this.over} batches in a row, ${this.overWhat()}`;
  }

  /** Takes the validation loss at an epoch's end; returns why the run has exploded, or null. */
  validation(loss: number): string | null {
    if (!Number.isFinite(loss)) return `the validation loss at the end of the epoch became ${loss}`;
    if (loss <= this.limit) return null;
    return `the validation loss rose to ${loss.toPrecision(3)} at the end of the epoch, ${this.overWhat()}`;
  }

  private overWhat(): string {
    const reference = this.reference;
    const floored = reference < REFERENCE_FLOOR ? ` (counted as ${REFERENCE_FLOOR})` : "";
    return `over ${EXPLOSION_FACTOR}× the first batches' ${reference.toPrecision(3)}${floored}`;
  }
}
