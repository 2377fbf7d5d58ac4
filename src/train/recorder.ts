/** What a training run reports after each batch. */
export interface BatchEvent {
  type: "batch";
  /** "frozen" (head only) or "unfrozen" in fineTune; "fit" for a plain fit. */
  phase: string;
  epoch: number;
  /** 0-based index of the batch just finished, of `batches` in this epoch. */
  batch: number;
  batches: number;
  loss: number;
  lr: number;
}

/** What a training run reports after each epoch (losses are means; metrics on the validation set only). */
export interface EpochEvent {
  type: "epoch";
  phase: string;
  epoch: number;
  trainLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
  seconds: number;
}

export type TrainingEvent = BatchEvent | EpochEvent;

/**
 * fastai's smoothed loss: an exponential moving average with weight `beta` on the past, debiased for
 * the first values (what its Recorder plots, AvgSmoothLoss reports and lr_find watches).
 */
export class SmoothLoss {
  private average = 0;
  private count = 0;
  private readonly beta: number;

  constructor(beta = 0.98) {
    if (!(beta >= 0 && beta < 1)) throw new Error(`invalid beta: ${beta}; use a value in [0, 1), e.g. 0.98`);
    this.beta = beta;
  }

  /** Takes the next loss; returns the smoothed value so far. */
  add(loss: number): number {
    this.average = this.beta * this.average + (1 - this.beta) * loss;
    this.count++;
    return this.value;
  }

  /** The smoothed value so far (0 before any loss). */
  get value(): number {
    return this.count === 0 ? 0 : this.average / (1 - this.beta ** this.count);
  }
}

/** fastai's Recorder: keeps every event of a run, and the smoothed training loss fastai plots (`SmoothLoss`). */
export class Recorder {
  readonly batches: BatchEvent[] = [];
  readonly epochs: EpochEvent[] = [];
  readonly smoothLoss: number[] = [];
  private readonly smooth: SmoothLoss;

  constructor({ beta = 0.98 }: { beta?: number } = {}) {
    this.smooth = new SmoothLoss(beta);
  }

  record(event: TrainingEvent): void {
    if (event.type === "epoch") {
      this.epochs.push(event);
      return;
    }
    this.batches.push(event);
    this.smoothLoss.push(this.smooth.add(event.loss));
  }
}
