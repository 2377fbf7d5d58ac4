import type { Trainable } from "./trainable.js";
import { checkAborted, TrainingDiverged, type TrainingControl } from "./events.js";
import { LossGuard } from "./explosion.js";
import { GroupAdam } from "./optimizer.js";
import { SmoothLoss, type EpochEvent } from "./recorder.js";
import { evenMults, oneCycle, type OneCycleOptions } from "./schedule.js";

/** Number of parameter groups: two halves of the body, then the head (what discriminative rates spread over). */
export const GROUPS = 3;

/** A learning rate for every group, or fastai's slice: [first group, last group], spread geometrically. */
export type LearningRate = number | readonly [number, number];

export interface FitOptions extends TrainingControl {
  /** Names the run in events ("fit" by default; fineTune uses "frozen" and "unfrozen"). */
  phase?: string;
}

export type FitOneCycleOptions = FitOptions & Omit<OneCycleOptions, "lrMax">;

/** The rates of the parameter groups for `lr` (a number: the same for every group). */
export function groupRates(lr: LearningRate, setting = "lr"): number[] {
  const ok = (v: number) => v > 0 && Number.isFinite(v);
  if (typeof lr === "number") {
    if (!ok(lr)) throw new Error(`invalid ${setting}: ${lr}; use a positive learning rate, e.g. 2e-3`);
    return Array(GROUPS).fill(lr);
  }
  if (!Array.isArray(lr) || lr.length !== 2 || !lr.every(ok) || lr[0] > lr[1]) {
    throw new Error(
      `invalid ${setting}: ${JSON.stringify(lr)}; use a positive number, or [first, last] with 0 < first ≤ last, e.g. [1e-5, 1e-3]`,
    );
  }
  return evenMults(lr[0], lr[1], GROUPS);
}

function checkEpochs(epochs: number, setting = "epochs"): void {
  if (!Number.isInteger(epochs) || epochs < 0 || epochs > 1000)
    throw new Error(`invalid ${setting}: ${epochs}; use a whole number of epochs, e.g. 3`);
}

/** The option a run's rate came from and its value, for the rate a TrainingDiverged suggests (a tenth of it). */
interface RateSetting {
  setting: string;
  lr: LearningRate;
}

/**
 * Trains `epochs` epochs with per-batch rates `rates(pos)` and momentum `mom(pos)` (pos = batches done /
 * all batches). Reports every batch and epoch; returns the epoch events.
 *
 * Stops with TrainingDiverged when the loss explodes (LossGuard's rule, explosion.ts: 3 batches in a row,
 * or the validation loss at an epoch's end, over 100× the run's first batches' loss, or not finite).
 * Then the weights (batchnorm statistics included) are put back to those at the end of the last epoch
 * whose validation loss was good, or to those the run started from; `epochsDone` too, and the optimiser
 * starts afresh (same settings; its averages had taken in the explosion). That epoch's event is not
 * reported and `afterEpoch` not called for it, so nothing saves exploded weights. A non-finite step
 * (learn.trainBatch's TrainingDiverged) ends the run as it is: the weights of the last finite step.
 */
async function runEpochs(
  learn: Trainable,
  epochs: number,
  rates: (pos: number) => number[],
  mom: ((pos: number) => number) | undefined,
  rate: RateSetting,
  { phase = "fit", signal, onEvent, afterEpoch }: FitOptions,
): Promise<EpochEvent[]> {
  const loader = learn.dls.train;
  if (loader.length === 0) throw new Error("the training set has no batches; add images or lower batchSize");
  const total = epochs * loader.length;
  const report = (event: Parameters<NonNullable<FitOptions["onEvent"]>>[0]) => {
    learn.recorder.record(event);
    onEvent?.(event);
  };
  const done: EpochEvent[] = [];
  // fastai's AvgSmoothLoss: one debiased moving average per fit call
  const smooth = new SmoothLoss();
  const guard = new LossGuard();
  // the last good weights: the run's start, then the end of each epoch whose validation loss was good
  let good = { weights: learn.snapshot(), epochsDone: learn.epochsDone, what: `those from before ${phase} epoch 1` };
  const diverged = (epoch: number, batch: number, lrs: readonly number[], cause: string): TrainingDiverged => {
    good.weights.restore();
    learn.bodyChanged();
    learn.epochsDone = good.epochsDone;
    const { mom: beta1, sqrMom, eps, wd } = learn.optimizer;
    learn.optimizer.dispose();
    learn.optimizer = new GroupAdam({ mom: beta1, sqrMom, eps, wd });
    const retry = {
      setting: rate.setting,
      lr: typeof rate.lr === "number" ? rate.lr / 10 : ([rate.lr[0] / 10, rate.lr[1] / 10] as const),
    };
    return new TrainingDiverged({ phase, epoch, batch, lr: Math.max(...lrs), cause, weights: good.what, retry });
  };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const start = performance.now();
      const batches = loader.batchIndices(learn.epochsDone);
      let lrs: number[] = [];
      for (let batch = 0; batch < batches.length; batch++) {
        checkAborted(signal);
        const step = epoch * batches.length + batch;
        lrs = rates(step / total);
        const loss = await learn.trainBatch(batches[batch]!, { epoch, batch, lrs, mom: mom?.(step / total), phase });
        smooth.add(loss);
        report({ type: "batch", phase, epoch, batch, batches: batches.length, loss, lr: lrs.at(-1)! });
        const exploded = guard.batch(loss);
        if (exploded !== null) throw diverged(epoch, batch, lrs, exploded);
      }
      learn.epochsDone++;
      const { validLoss, metrics } = await learn.validate(signal);
      const exploded = guard.validation(validLoss);
      if (exploded !== null) throw diverged(epoch, batches.length - 1, lrs, exploded);
      const event: EpochEvent = {
        type: "epoch",
        phase,
        epoch,
        trainLoss: smooth.value,
        validLoss,
        metrics,
        seconds: (performance.now() - start) / 1000,
      };
      done.push(event);
      good.weights.dispose();
      good = {
        weights: learn.snapshot(),
        epochsDone: learn.epochsDone,
        what: `those at the end of ${phase} epoch ${epoch + 1}`,
      };
      report(event);
      await afterEpoch?.(event);
    }
  } finally {
    good.weights.dispose();
  }
  return done;
}

/** fastai's fit: `epochs` epochs at a constant learning rate (per group with [first, last]). */
export async function fit(
  learn: Trainable,
  epochs: number,
  lr: LearningRate = 1e-3,
  options: FitOptions = {},
): Promise<EpochEvent[]> {
  checkEpochs(epochs);
  const lrs = groupRates(lr);
  return runEpochs(learn, epochs, () => lrs, undefined, { setting: "lr", lr }, options);
}

/** fastai's fit_one_cycle: each group's rate follows the one-cycle schedule up to its own peak. */
export async function fitOneCycle(
  learn: Trainable,
  epochs: number,
  lrMax: LearningRate = 1e-3,
  options: FitOneCycleOptions = {},
): Promise<EpochEvent[]> {
  return oneCycleEpochs(learn, epochs, lrMax, options, { setting: "lrMax", lr: lrMax });
}

/** fitOneCycle, naming `rate` as the rate a TrainingDiverged suggests lowering (fineTune's baseLr). */
async function oneCycleEpochs(
  learn: Trainable,
  epochs: number,
  lrMax: LearningRate,
  options: FitOneCycleOptions,
  rate: RateSetting,
): Promise<EpochEvent[]> {
  checkEpochs(epochs);
  const { div, divFinal, pctStart, moms, ...control } = options;
  const schedules = groupRates(lrMax, "lrMax").map((peak) => oneCycle({ lrMax: peak, div, divFinal, pctStart, moms }));
  return runEpochs(learn, epochs, (pos) => schedules.map((s) => s.lr(pos)), schedules[0]!.mom, rate, control);
}

export interface FineTuneOptions extends TrainingControl {
  /** Default 2e-3. */
  baseLr?: number;
  /** Epochs with the body frozen first. Default 1. */
  freezeEpochs?: number;
  /** The first body group learns lrMult× slower than the head. Default 100. */
  lrMult?: number;
  /** Of the unfrozen cycle. Default 0.3. */
  pctStart?: number;
  /**
   * Of the frozen cycle. Default 0.99 (fastai's: the rate warms up for the whole phase and falls at its
   * very end, made for one frozen epoch); with many frozen epochs a real cycle (e.g. 0.3) anneals the head.
   */
  freezePctStart?: number;
  /** Of the unfrozen cycle. Default 5. */
  div?: number;
  /**
   * What trains after the frozen epochs: `learn.freezeTo(unfreezeTo)`. Default 0, everything (fastai's
   * fine_tune); -2 leaves the first body half frozen, which on a 224 px base skips most of the backward pass.
   */
  unfreezeTo?: number;
}

/**
 * fastai's fine_tune: freeze, one-cycle the head for `freezeEpochs` at baseLr (`freezePctStart`), then
 * unfreeze (see `unfreezeTo`) and one-cycle for `epochs` with rates from baseLr/2/lrMult (first layers) to
 * baseLr/2 (head).
 */
export async function fineTune(learn: Trainable, epochs: number, options: FineTuneOptions = {}): Promise<EpochEvent[]> {
  const {
    baseLr = 2e-3,
    freezeEpochs = 1,
    lrMult = 100,
    pctStart = 0.3,
    freezePctStart = 0.99,
    div = 5,
    unfreezeTo = 0,
    ...control
  } = options;
  checkEpochs(epochs);
  checkEpochs(freezeEpochs, "freezeEpochs");
  groupRates(baseLr, "baseLr");
  if (!(freezePctStart >= 0 && freezePctStart <= 1))
    throw new Error(
      `invalid freezePctStart: ${freezePctStart}; use a fraction in [0, 1], e.g. 0.25 (0.99, fastai's, is the default)`,
    );
  if (!(lrMult >= 1 && Number.isFinite(lrMult)))
    throw new Error(`invalid lrMult: ${lrMult}; use a number ≥ 1, e.g. 100`);
  if (!Number.isInteger(unfreezeTo) || unfreezeTo < -GROUPS || unfreezeTo >= GROUPS - 1 || unfreezeTo === -1)
    throw new Error(
      `invalid unfreezeTo: ${unfreezeTo}; give the first parameter group to train after the frozen epochs: 0 (everything, the default) or -2 (the second body half and the head)`,
    );
  learn.freeze();
  const rate = { setting: "baseLr", lr: baseLr };
  const frozen =
    freezeEpochs > 0
      ? await oneCycleEpochs(
          learn,
          freezeEpochs,
          baseLr,
          { ...control, pctStart: freezePctStart, phase: "frozen" },
          rate,
        )
      : [];
  learn.freezeTo(unfreezeTo);
  const half = baseLr / 2;
  const unfrozen =
    epochs > 0
      ? await oneCycleEpochs(
          learn,
          epochs,
          [half / lrMult, half],
          { ...control, pctStart, div, phase: "unfrozen" },
          rate,
        )
      : [];
  return [...frozen, ...unfrozen];
}
