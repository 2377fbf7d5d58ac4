import type { EpochEvent, TrainingEvent } from "./recorder.js";

/** What every training call accepts. */
export interface TrainingControl {
  /** Aborting ends training within one batch, keeping the weights of the last completed step. */
  signal?: AbortSignal;
  /** Called with every batch and epoch event (what pages draw). */
  onEvent?: (event: TrainingEvent) => void;
  /**
   * fastai's after_epoch callback: called after each completed epoch (after its epoch event) and
   * awaited before the next epoch starts, so it sees that epoch's weights, e.g.
   * `afterEpoch: () => learn.export("indexeddb://my-model")` (fastai's SaveModelCallback(every_epoch=True)).
   */
  afterEpoch?: (event: EpochEvent) => Promise<unknown> | void;
}

/** Thrown when the loss, a gradient or a weight stops being finite; the weights are those of the last finite step. */
export class TrainingDiverged extends Error {
  readonly epoch: number;
  readonly batch: number;
  readonly lr: number;

  /** `cause` says what stopped being finite, e.g. "the loss became NaN". */
  constructor({
    phase,
    epoch,
    batch,
    lr,
    cause,
  }: {
    phase: string;
    epoch: number;
    batch: number;
    lr: number;
    cause: string;
  }) {
    super(
      `training diverged in ${phase} epoch ${epoch + 1}, batch ${batch + 1}: ${cause} at learning rate ${lr.toPrecision(3)}; ` +
        `the weights are those of the last finite step. Use a lower learning rate, e.g. ${(lr / 10).toPrecision(2)}`,
    );
    this.name = "TrainingDiverged";
    this.epoch = epoch;
    this.batch = batch;
    this.lr = lr;
  }
}

/**
 * The events of a training call as an async iterator: `for await (const e of trainingEvents((onEvent) =>
 * learn.fineTune(3, {onEvent})))`. The iterator ends when training does, and throws what it throws.
 */
export async function* trainingEvents(
  run: (onEvent: (event: TrainingEvent) => void) => Promise<unknown>,
): AsyncGenerator<TrainingEvent> {
  const queue: TrainingEvent[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let failure: { error: unknown } | null = null;
  run((event) => {
    queue.push(event);
    wake?.();
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      done = true;
      wake?.();
    },
  );
  while (true) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (done) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** Lets timers, rendering and abort handlers run between batches (no 4 ms clamp, unlike setTimeout). */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Throws the signal's reason (an AbortError) if it has been aborted. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("training was stopped", "AbortError");
}
