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

/**
 * Thrown when training stops for divergence: the loss, a gradient or a weight stopped being finite (the
 * weights are those of the last finite step), or the fit loops' explosion guard saw the loss explode
 * (see LossGuard in explosion.ts; the weights are put back to those of the last good epoch).
 */
export class TrainingDiverged extends Error {
  /** The run's phase ("fit", "frozen", "unfrozen", "lrFind"…). */
  readonly phase: string;
  /** 0-based epoch of the run, and batch of that epoch, where it stopped. */
  readonly epoch: number;
  readonly batch: number;
  /** The learning rate at that batch (the largest of the groups'). */
  readonly lr: number;
  /** What to try instead: a tenth of the rate the run was given (`setting`), or else of `lr`. */
  readonly suggestedLr: number | readonly [number, number];
  /** The option `suggestedLr` is for ("lr", "lrMax", "baseLr"), when the run said which. */
  readonly setting: string | undefined;

  /**
   * `cause` says what went wrong, e.g. "the loss became NaN"; `weights` which weights the learner now
   * has (default "those of the last finite step"); `retry` the option the run was given and a rate for it to
   * try, named in the message ("… e.g. baseLr 2e-4"); without it the message suggests `lr` / 10.
   */
  constructor({
    phase,
    epoch,
    batch,
    lr,
    cause,
    weights = "those of the last finite step",
    retry,
  }: {
    phase: string;
    epoch: number;
    batch: number;
    lr: number;
    cause: string;
    weights?: string;
    retry?: { setting: string; lr: number | readonly [number, number] };
  }) {
    const suggestion = retry
      ? `${retry.setting} ${typeof retry.lr === "number" ? formatRate(retry.lr) : `[${retry.lr.map(formatRate).join(", ")}]`}`
      : (lr / 10).toPrecision(2);
    super(
      `training diverged in ${phase} epoch ${epoch + 1}, batch ${batch + 1}: ${cause} at learning rate ${lr.toPrecision(3)}; ` +
        `the weights are ${weights}. Use a lower learning rate, e.g. ${suggestion}`,
    );
    this.name = "TrainingDiverged";
    this.phase = phase;
    this.epoch = epoch;
    this.batch = batch;
    this.lr = lr;
    this.suggestedLr = retry?.lr ?? lr / 10;
    this.setting = retry?.setting;
  }
}

/**
 * A rate as one would type it, in two significant digits: 0.01 to 100 as decimals ("0.02", "0.1", "5"),
 * others in exponent form without "+" or a trailing ".0" ("2e-4", "1.5e-3", "1e5").
 */
export function formatRate(lr: number): string {
  if (lr >= 0.01 && lr < 1000) return String(Number(lr.toPrecision(2)));
  const [mantissa, exponent] = lr.toExponential(1).split("e") as [string, string];
  return `${mantissa.replace(/\.0$/, "")}e${exponent.replace("+", "")}`;
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
