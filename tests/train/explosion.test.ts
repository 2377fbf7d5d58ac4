import { describe, expect, it } from "vitest";
import type { DataLoaders } from "../../src/data/batches.js";
import { formatRate, TrainingDiverged } from "../../src/train/events.js";
import { LossGuard } from "../../src/train/explosion.js";
import { fineTune, fit, fitOneCycle } from "../../src/train/fit.js";
import { GroupAdam } from "../../src/train/optimizer.js";
import { oneCycle } from "../../src/train/schedule.js";
import { Recorder, type EpochEvent } from "../../src/train/recorder.js";
import type { Trainable } from "../../src/train/trainable.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Feeds `losses` to a new guard; returns what it said after each. */
function feed(guard: LossGuard, losses: number[]): (string | null)[] {
  return losses.map((loss) => guard.batch(loss));
}

describe("LossGuard", () => {
  it("takes the lowest of the first 3 batches' losses as the reference, and 100× it as the limit", () => {
    const guard = new LossGuard();
    expect(guard.reference).toBeNaN();
    feed(guard, [2.5, 2, 3]);
    expect(guard.reference).toBe(2);
    expect(guard.limit).toBe(200);
    feed(guard, [0.5]); // later batches do not move it
    expect(guard.reference).toBe(2);
  });

  it("counts the reference as at least 1, so a run from a well-trained model may rise to 100", () => {
    const guard = new LossGuard();
    expect(feed(guard, [0.05, 0.02, 0.04, 0.9, 60, 99, 100])).toEqual(Array(7).fill(null));
    expect(guard.limit).toBe(100);
    expect(feed(guard, [101, 150])).toEqual([null, null]);
    expect(guard.batch(120)).toBe(
      "the loss rose to 120 for 3 batches in a row, over 100× the first batches' 0.0200 (counted as 1)",
    );
  });

  it("says the loss exploded at the third batch in a row over the limit; a batch under it starts the count again", () => {
    const guard = new LossGuard();
    expect(feed(guard, [2.5, 2, 3, 300, 400, 1.5, 250, 201])).toEqual(Array(8).fill(null));
    expect(guard.batch(1.8e28)).toBe(
      "the loss rose to 1.80e+28 for 3 batches in a row, over 100× the first batches' 2.00",
    );
    // the first batches may already be exploding: the lowest of them is the reference
    const fast = new LossGuard();
    expect(feed(fast, [0.7, 2.25e11, 1.48e15])).toEqual([null, null, null]);
    expect(fast.batch(3.36e18)).toBe(
      "the loss rose to 3.36e+18 for 3 batches in a row, over 100× the first batches' 0.700 (counted as 1)",
    );
  });

  it("says so at once for a loss that is not finite", () => {
    expect(new LossGuard().batch(NaN)).toBe("the loss became NaN");
  });

  it("judges the validation loss at an epoch's end against the same limit, and a non-finite one at once", () => {
    const guard = new LossGuard();
    feed(guard, [1.54, 111, 108]);
    expect(guard.validation(71.8)).toBeNull();
    expect(guard.validation(154)).toBeNull();
    expect(guard.validation(5.57e7)).toBe(
      "the validation loss rose to 5.57e+7 at the end of the epoch, over 100× the first batches' 1.54",
    );
    expect(guard.validation(Infinity)).toBe("the validation loss at the end of the epoch became Infinity");
  });
});

describe("TrainingDiverged", () => {
  it("keeps its message for a non-finite step: the last finite step's weights, a tenth of the rate", () => {
    const error = new TrainingDiverged({ phase: "fit", epoch: 0, batch: 2, lr: 1e8, cause: "the loss became NaN" });
    expect(error.message).toBe(
      "training diverged in fit epoch 1, batch 3: the loss became NaN at learning rate 1.00e+8; " +
        "the weights are those of the last finite step. Use a lower learning rate, e.g. 1.0e+7",
    );
    expect(error).toMatchObject({ name: "TrainingDiverged", phase: "fit", lr: 1e8, suggestedLr: 1e7 });
    expect(error.setting).toBeUndefined();
  });

  it("names the weights it kept and a rate to try for the option the run was given", () => {
    const error = new TrainingDiverged({
      phase: "unfrozen",
      epoch: 1,
      batch: 5,
      lr: 4.37e5,
      cause: "the loss rose to 1.80e+28 for 3 batches in a row, over 100× the first batches' 0.700 (counted as 1)",
      weights: "those at the end of unfrozen epoch 1",
      retry: { setting: "baseLr", lr: 1e5 },
    });
    expect(error.message).toBe(
      "training diverged in unfrozen epoch 2, batch 6: the loss rose to 1.80e+28 for 3 batches in a row, over 100× " +
        "the first batches' 0.700 (counted as 1) at learning rate 4.37e+5; the weights are those at the end of " +
        "unfrozen epoch 1. Use a lower learning rate, e.g. baseLr 1e5",
    );
    expect(error).toMatchObject({ setting: "baseLr", suggestedLr: 1e5, epoch: 1, batch: 5 });
    const slice = new TrainingDiverged({
      phase: "fit",
      epoch: 0,
      batch: 0,
      lr: 1,
      cause: "x",
      retry: { setting: "lr", lr: [1e-6, 2.5e-4] },
    });
    expect(slice.message).toMatch(/e\.g\. lr \[1e-6, 2\.5e-4\]$/);
  });
});

describe("formatRate(lr)", () => {
  it("writes a rate as one would type it, in two significant digits", () => {
    expect([2e-4, 1.5e-3, 1.2345e-3, 0.01, 0.02, 0.1, 1, 5, 10, 999, 1e3, 1e5, 1e-9].map(formatRate)).toEqual([
      "2e-4",
      "1.5e-3",
      "1.2e-3",
      "0.01",
      "0.02",
      "0.1",
      "1",
      "5",
      "10",
      "1000",
      "1e3",
      "1e5",
      "1e-9",
    ]);
  });
});

/**
 * A Trainable with scripted losses: `weights` counts the steps taken (what a snapshot saves and puts
 * back), `live` the snapshots not yet disposed.
 */
function scripted({ losses, validLosses, batches = 4 }: { losses: number[]; validLosses: number[]; batches?: number }) {
  const state = { weights: 0, live: 0, bodyChanged: 0, frozen: false, taken: [] as string[] };
  const learn: Trainable = {
    dls: {
      train: { length: batches, batchIndices: () => Array.from({ length: batches }, (_, i) => [i]) },
    } as unknown as DataLoaders,
    recorder: new Recorder(),
    optimizer: new GroupAdam({ wd: 0.1 }),
    epochsDone: 0,
    async trainBatch(_indices, { phase, epoch, batch }) {
      const loss = losses.shift();
      if (loss === undefined) throw new Error("no more scripted losses");
      if (!Number.isFinite(loss))
        throw new TrainingDiverged({ phase: phase ?? "fit", epoch, batch, lr: 1, cause: `the loss became ${loss}` });
      state.weights++;
      state.taken.push(`${phase} ${epoch}:${batch}`);
      return loss;
    },
    async validate() {
      const validLoss = validLosses.shift();
      if (validLoss === undefined) throw new Error("no more scripted validation losses");
      return { validLoss, metrics: {} };
    },
    freeze: () => void (state.frozen = true),
    unfreeze: () => void (state.frozen = false),
    freezeTo: (n) => void (state.frozen = n === -1 || n === 2),
    snapshot() {
      const saved = state.weights;
      state.live++;
      return { restore: () => void (state.weights = saved), dispose: () => void state.live-- };
    },
    bodyChanged: () => void state.bodyChanged++,
  };
  return { learn, state };
}

describe("fit loops: the explosion guard", () => {
  it("never stops a run whose loss stays under 100× its first batches': warm-up rises, one spike, two in a row", async () => {
    const { learn, state } = scripted({
      losses: [0.7, 0.9, 0.8, 3.5, 75, 0.9, 200, 0.7, 250, 300, 0.6, 0.5],
      validLosses: [0.8, 0.9, 60],
    });
    const optimizer = learn.optimizer;
    const events = await fit(learn, 3, 1e-3);
    expect(events.map((e) => e.validLoss)).toEqual([0.8, 0.9, 60]);
    expect(state).toMatchObject({ weights: 12, live: 0, bodyChanged: 0 });
    expect(learn.optimizer).toBe(optimizer);
  });

  it("stops at the third batch in a row over the limit, putting back the last good epoch's weights", async () => {
    const { learn, state } = scripted({
      losses: [2.5, 2, 3, 1.8, 1.6, 300, 400, 600, 1],
      validLosses: [1.5, 1.4],
    });
    const optimizer = learn.optimizer;
    const saved: number[] = [];
    const error = await fit(learn, 3, 1e-2, { afterEpoch: () => void saved.push(state.weights) }).catch((e) => e);
    expect(error).toBeInstanceOf(TrainingDiverged);
    expect(error).toMatchObject({ phase: "fit", epoch: 1, batch: 3, lr: 1e-2, setting: "lr", suggestedLr: 1e-3 });
    expect((error as Error).message).toBe(
      "training diverged in fit epoch 2, batch 4: the loss rose to 600 for 3 batches in a row, over 100× the first " +
        "batches' 2.00 at learning rate 0.0100; the weights are those at the end of fit epoch 1. " +
        "Use a lower learning rate, e.g. lr 1e-3",
    );
    // epoch 1 saved its weights (4 steps); the exploded epoch was neither reported nor saved
    expect(saved).toEqual([4]);
    expect(state).toMatchObject({ weights: 4, live: 0, bodyChanged: 1 });
    expect(learn.epochsDone).toBe(1);
    expect(learn.recorder.batches.map((b) => b.loss)).toEqual([2.5, 2, 3, 1.8, 1.6, 300, 400, 600]);
    expect(learn.recorder.epochs.map((e) => e.validLoss)).toEqual([1.5]);
    // the optimiser starts afresh, with the same settings
    expect(learn.optimizer).not.toBe(optimizer);
    expect(learn.optimizer).toMatchObject({ mom: 0.9, sqrMom: 0.99, eps: 1e-5, wd: 0.1, stepCount: 0 });
  });

  it("stops when the validation loss at an epoch's end is over the limit or not finite, with the run's first weights", async () => {
    for (const [validLoss, cause] of [
      [250, "the validation loss rose to 250 at the end of the epoch, over 100× the first batches' 2.00"],
      [Infinity, "the validation loss at the end of the epoch became Infinity"],
    ] as const) {
      const { learn, state } = scripted({ losses: [2.5, 2, 3, 150], validLosses: [validLoss] });
      learn.epochsDone = 7;
      const reported: string[] = [];
      const error = await fitOneCycle(learn, 2, [1e-4, 1e-2], {
        onEvent: (e) => reported.push(e.type),
        afterEpoch: () => void reported.push("saved"),
      }).catch((e) => e);
      expect(error).toBeInstanceOf(TrainingDiverged);
      // the last batch's rate: the head's, 4 batches of 8 into one cycle up to 1e-2
      const peak = oneCycle({ lrMax: 1e-2 }).lr(3 / 8);
      expect(peak.toPrecision(3)).toBe("0.00933");
      expect(error).toMatchObject({
        phase: "fit",
        epoch: 0,
        batch: 3,
        lr: peak,
        setting: "lrMax",
        suggestedLr: [1e-5, 1e-3],
      });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^training diverged in fit epoch 1, batch 4: ${escape(cause)} at learning rate ${escape(peak.toPrecision(3))}; ` +
            "the weights are those from before fit epoch 1\\. Use a lower learning rate, e\\.g\\. lrMax \\[1e-5, 1e-3\\]$",
        ),
      );
      expect(reported).toEqual(["batch", "batch", "batch", "batch"]);
      expect(state).toMatchObject({ weights: 0, live: 0 });
      expect(learn.epochsDone).toBe(7);
    }
  });

  it("names fineTune's phase and baseLr, in either phase", async () => {
    const frozen = scripted({ losses: [0.9, 300, 400, 500], validLosses: [] });
    const a = await fineTune(frozen.learn, 1, { baseLr: 1e6 }).catch((e) => e);
    expect(a).toMatchObject({ phase: "frozen", epoch: 0, batch: 3, setting: "baseLr", suggestedLr: 1e5 });
    expect((a as Error).message).toMatch(
      /^training diverged in frozen epoch 1, batch 4: the loss rose to 500 for 3 batches in a row, over 100× the first batches' 0\.900 \(counted as 1\) at learning rate [\d.]+e\+5; the weights are those from before frozen epoch 1\. Use a lower learning rate, e\.g\. baseLr 1e5$/,
    );
    expect(frozen.state).toMatchObject({ weights: 0, live: 0, frozen: true });

    const unfrozen = scripted({ losses: [1, 0.8, 0.7, 0.6, 0.5, 120, 130, 140], validLosses: [0.6] });
    const b = await fineTune(unfrozen.learn, 2, { baseLr: 0.1 }).catch((e) => e);
    expect(b).toMatchObject({ phase: "unfrozen", epoch: 0, batch: 3, setting: "baseLr", suggestedLr: 0.01 });
    expect((b as Error).message).toContain(
      "the loss rose to 140 for 3 batches in a row, over 100× the first batches' 0.500 (counted as 1)",
    );
    expect((b as Error).message).toMatch(
      /the weights are those from before unfrozen epoch 1\. Use a lower learning rate, e\.g\. baseLr 0\.01$/,
    );
    // the weights the unfrozen phase started from: the end of the frozen epoch
    expect(unfrozen.state).toMatchObject({ weights: 4, live: 0, frozen: false });
  });

  it("leaves a non-finite step's stop as it was: the last finite step's weights and the same optimiser", async () => {
    const { learn, state } = scripted({ losses: [1, 0.9, 1.1, 0.8, 0.7, NaN], validLosses: [0.9] });
    const optimizer = learn.optimizer;
    const error = await fit(learn, 2, 1e-3).catch((e) => e);
    expect((error as Error).message).toBe(
      "training diverged in fit epoch 2, batch 2: the loss became NaN at learning rate 1.00; " +
        "the weights are those of the last finite step. Use a lower learning rate, e.g. 0.10",
    );
    expect(state).toMatchObject({ weights: 5, live: 0, bodyChanged: 0 });
    expect(learn.optimizer).toBe(optimizer);
  });

  it("frees its snapshots when aborted or when afterEpoch throws", async () => {
    const aborted = scripted({ losses: [1, 1, 1, 1], validLosses: [] });
    const controller = new AbortController();
    const run = fit(aborted.learn, 1, 1e-3, { signal: controller.signal, onEvent: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(aborted.state.live).toBe(0);
    const failing = scripted({ losses: [1, 1, 1, 1], validLosses: [1] });
    const afterEpoch = (_e: EpochEvent) => Promise.reject(new Error("disk full"));
    await expect(fit(failing.learn, 2, 1e-3, { afterEpoch })).rejects.toThrow("disk full");
    expect(failing.state.live).toBe(0);
  });
});
