import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { visionLearner } from "../../src/model/learner.js";
import { TrainingDiverged } from "../../src/train/events.js";
import type { BatchEvent } from "../../src/train/recorder.js";
import { tinyBase, tinyPets, weightValues } from "./helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** The loss of each batch of `phase` the learner recorded. */
const losses = (batches: readonly BatchEvent[], phase: string) =>
  batches.filter((b) => b.phase === phase).map((b) => b.loss);

describe("training whose loss explodes (a huge rate) stops with TrainingDiverged and the last good weights", () => {
  it("fineTune at baseLr 1e6: stops on the 3rd exploded batch, naming phase, batch, rate and baseLr to try; weights as before", async () => {
    const before = tf.memory().numTensors;
    const learn = await visionLearner(tinyPets({ perClass: 32 }), { base: await tinyBase() });
    const fresh = tf.memory().numTensors;
    const start = weightValues(learn.weights);
    const { bnUpdates } = learn.head;
    let saved = 0;
    const error = await learn.fineTune(3, { baseLr: 1e6, afterEpoch: () => void saved++ }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDiverged);
    const seen = losses(learn.recorder.batches, "frozen");
    // the first batch is the starting weights' loss; then every batch multiplies it by thousands
    expect(seen.length).toBe(4);
    const reference = Math.min(...seen.slice(0, 3));
    expect(reference).toBe(seen[0]);
    expect(seen.slice(1).every((loss) => loss > 100 * Math.max(reference, 1))).toBe(true);
    expect(seen[3]!).toBeGreaterThan(1e15);
    const lr = learn.recorder.batches[3]!.lr;
    expect(error).toMatchObject({ phase: "frozen", epoch: 0, batch: 3, lr, setting: "baseLr", suggestedLr: 1e5 });
    expect((error as Error).message).toBe(
      `training diverged in frozen epoch 1, batch 4: the loss rose to ${seen[3]!.toPrecision(3)} for 3 batches in a row, ` +
        `over 100× the first batches' ${reference.toPrecision(3)}${reference < 1 ? " (counted as 1)" : ""} ` +
        `at learning rate ${lr.toPrecision(3)}; the weights are those from before frozen epoch 1. ` +
        "Use a lower learning rate, e.g. baseLr 1e5",
    );
    expect(saved).toBe(0);
    expect(learn.recorder.epochs).toEqual([]);
    expect(weightValues(learn.weights)).toEqual(start);
    expect(learn.head.bnUpdates).toBe(bnUpdates);
    expect(learn.epochsDone).toBe(0);
    expect(learn.optimizer.stepCount).toBe(0);
    expect(tf.memory().numTensors).toBe(fresh);
    learn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("fit at 1e6 after an epoch at 1e-3: stops on the exploded validation loss with the weights it started from, and trains on", async () => {
    const before = tf.memory().numTensors;
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    await learn.fit(1, 1e-3); // the optimiser's state and the validation features exist
    const trained = tf.memory().numTensors;
    const start = weightValues(learn.weights);
    const valid: number[] = [];
    const validate = learn.validate.bind(learn);
    learn.validate = async (signal) => {
      const result = await validate(signal);
      valid.push(result.validLoss);
      return result;
    };
    const error = await learn.fit(2, 1e6).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDiverged);
    // 3 batches an epoch: only 2 exploded batches before the epoch ended on exploded weights
    const seen = losses(learn.recorder.batches, "fit").slice(3);
    expect(seen.length).toBe(3);
    const reference = Math.min(...seen);
    const validLoss = valid.at(-1)!;
    expect(validLoss).toBeGreaterThan(1e20);
    expect(error).toMatchObject({ phase: "fit", epoch: 0, batch: 2, lr: 1e6, setting: "lr", suggestedLr: 1e5 });
    expect((error as Error).message).toBe(
      `training diverged in fit epoch 1, batch 3: the validation loss rose to ${validLoss.toPrecision(3)} at the end of the epoch, ` +
        `over 100× the first batches' ${reference.toPrecision(3)}${reference < 1 ? " (counted as 1)" : ""} ` +
        "at learning rate 1.00e+6; the weights are those from before fit epoch 1. Use a lower learning rate, e.g. lr 1e5",
    );
    expect(learn.recorder.epochs.length).toBe(1); // the first fit's; the exploded epoch is not reported
    expect(weightValues(learn.weights)).toEqual(start);
    expect(learn.epochsDone).toBe(1);
    // the learner trains on from there, at a sound rate, and holds what it held before
    const [next] = await learn.fit(1, 1e-3);
    expect(next!.validLoss).toBeLessThan(5);
    expect(tf.memory().numTensors).toBe(trained);
    learn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it("puts back a frozen head trained in wasm alike: the next steps on cached features match the tfjs path's", async () => {
    const run = async (wasmHead: boolean) => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base: await tinyBase(), wasmHead });
      expect(learn.trainsHeadInWasm).toBe(wasmHead);
      await learn.fit(1, 1e-3);
      const tensors = tf.memory().numTensors;
      const start = weightValues(learn.weights);
      const error = await learn.fit(3, 1e6).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainingDiverged);
      expect(weightValues(learn.weights)).toEqual(start);
      // the steps after the stop start from those weights with a fresh optimiser
      await learn.fit(1, 1e-3);
      expect(tf.memory().numTensors).toBe(tensors);
      const result = {
        // the exploded loss itself agrees only to float rounding (1e29 and beyond)
        message: (error as Error).message.replace(/rose to \S+ /, "rose to … "),
        after: learn.recorder.batches.slice(-3).map((b) => b.loss.toFixed(4)),
        validLoss: learn.recorder.epochs.at(-1)!.validLoss.toFixed(4),
      };
      learn.dispose();
      return result;
    };
    const [wasm, tfjs] = [await run(true), await run(false)];
    expect(wasm.message).toMatch(/^training diverged in fit epoch 1, batch \d: the (validation )?loss rose to /);
    expect(wasm.message).toMatch(
      /the weights are those from before fit epoch 1\. Use a lower learning rate, e\.g\. lr 1e5$/,
    );
    expect(wasm).toEqual(tfjs);
  });
});

describe("normal training is never stopped", () => {
  it("fineTune at 2e-3, from scratch with a warm-up at 1e-2, and a second cycle on a trained learner all run to the end", async () => {
    const before = tf.memory().numTensors;
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    expect((await learn.fineTune(2, { baseLr: 2e-3 })).length).toBe(3);
    const trained = tf.memory().numTensors;
    // a second cycle from trained weights: its first losses are lower, its warm-up may raise them
    expect((await learn.fitOneCycle(2, 1e-3)).length).toBe(2);
    expect(tf.memory().numTensors).toBe(trained);
    const ratio = (phase: string) => {
      const seen = losses(learn.recorder.batches, phase);
      return Math.max(...seen) / Math.max(Math.min(...seen.slice(0, 3)), 1);
    };
    // far under 100×: the largest loss of each run over its reference
    for (const phase of ["frozen", "unfrozen", "fit"]) expect(ratio(phase)).toBeLessThan(10);
    learn.dispose();

    const scratch = await visionLearner(tinyPets(), { base: await tinyBase(), pretrained: false });
    const events = await scratch.fitOneCycle(3, 1e-2, { pctStart: 0.5 });
    expect(events.map((e) => Number.isFinite(e.validLoss))).toEqual([true, true, true]);
    const seen = losses(scratch.recorder.batches, "fit");
    expect(Math.max(...seen) / Math.max(Math.min(...seen.slice(0, 3)), 1)).toBeLessThan(10);
    scratch.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
