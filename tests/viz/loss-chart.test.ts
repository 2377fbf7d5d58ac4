import { describe, expect, it } from "vitest";
import { lossSeries, phaseChanges } from "../../src/viz/loss-chart.js";
import { Recorder, type BatchEvent, type EpochEvent } from "../../src/train/recorder.js";

const batch = (phase: string, epoch: number, i: number, loss: number, batches = 2): BatchEvent => ({
  type: "batch",
  phase,
  epoch,
  batch: i,
  batches,
  loss,
  lr: 1e-3,
});
const epochEnd = (phase: string, epoch: number, validLoss: number): EpochEvent => ({
  type: "epoch",
  phase,
  epoch,
  trainLoss: 0,
  validLoss,
  metrics: {},
  seconds: 1,
});

// fine_tune(2) after an lr_find: one frozen epoch, two unfrozen epochs, two batches each
const lrFindBatches = [batch("lrFind", 0, 0, 100, 3), batch("lrFind", 0, 1, 200, 3)];
const fineTuneBatches = [
  batch("frozen", 0, 0, 4),
  batch("frozen", 0, 1, 2),
  batch("unfrozen", 0, 0, 1),
  batch("unfrozen", 0, 1, 0.5),
  batch("unfrozen", 1, 0, 0.4),
  batch("unfrozen", 1, 1, 0.3),
];
const fineTuneEpochs = [epochEnd("frozen", 0, 1.5), epochEnd("unfrozen", 0, 0.9), epochEnd("unfrozen", 1, 0.7)];

describe("lossSeries(history)", () => {
  it("numbers batches from 1 across phases, leaving lr_find's out", () => {
    const { train } = lossSeries({ batches: [...lrFindBatches, ...fineTuneBatches], epochs: fineTuneEpochs });
    expect(train.map((p) => [p.iteration, p.phase, p.loss])).toEqual([
      [1, "frozen", 4],
      [2, "frozen", 2],
      [3, "unfrozen", 1],
      [4, "unfrozen", 0.5],
      [5, "unfrozen", 0.4],
      [6, "unfrozen", 0.3],
    ]);
  });

  it("places each epoch's validation loss at that epoch's last batch", () => {
    const { valid } = lossSeries({ batches: [...lrFindBatches, ...fineTuneBatches], epochs: fineTuneEpochs });
    expect(valid).toEqual([
      { iteration: 2, loss: 1.5, phase: "frozen", epoch: 0 },
      { iteration: 4, loss: 0.9, phase: "unfrozen", epoch: 0 },
      { iteration: 6, loss: 0.7, phase: "unfrozen", epoch: 1 },
    ]);
  });

  it("tells apart two runs with the same phase and epoch numbers", () => {
    const run = [batch("fit", 0, 0, 1), batch("fit", 0, 1, 1)];
    const { valid } = lossSeries({
      batches: [...run, ...run],
      epochs: [epochEnd("fit", 0, 0.8), epochEnd("fit", 0, 0.6)],
    });
    expect(valid.map((p) => [p.iteration, p.loss])).toEqual([
      [2, 0.8],
      [4, 0.6],
    ]);
  });

  it("smooths as fastai does: debiased moving average, beta 0.98 (hand-derived), unmoved by lr_find", () => {
    const { train } = lossSeries({
      batches: [lrFindBatches[0]!, ...fineTuneBatches.slice(0, 2), lrFindBatches[1]!, fineTuneBatches[2]!],
      epochs: [],
    });
    // averages 0.08, 0.1184, 0.136032; debiased by 1 − 0.98^n: 0.02, 0.0396, 0.058808
    expect(train[0]!.smooth).toBeCloseTo(4, 12);
    expect(train[1]!.smooth).toBeCloseTo(0.1184 / 0.0396, 12);
    expect(train[2]!.smooth).toBeCloseTo(0.136032 / 0.058808, 12);
  });

  it("computes the same smoothed loss as the Recorder", () => {
    const recorder = new Recorder();
    fineTuneBatches.forEach((event) => recorder.record(event));
    const { train } = lossSeries({ batches: recorder.batches, epochs: [] });
    train.forEach((p, i) => expect(p.smooth).toBeCloseTo(recorder.smoothLoss[i]!, 12));
  });

  it("takes smoothLoss when given, matched to the batch events by index", () => {
    const { train } = lossSeries({
      batches: [lrFindBatches[0]!, ...fineTuneBatches.slice(0, 2)],
      epochs: [],
      smoothLoss: [9, 8, 7],
    });
    expect(train.map((p) => p.smooth)).toEqual([8, 7]);
  });

  it("gives empty series for an empty history", () => {
    expect(lossSeries({ batches: [], epochs: [] })).toEqual({ train: [], valid: [] });
  });
});

describe("phaseChanges(train)", () => {
  it("gives the first iteration of each new phase", () => {
    const { train } = lossSeries({ batches: [...lrFindBatches, ...fineTuneBatches], epochs: [] });
    expect(phaseChanges(train)).toEqual([{ iteration: 3, phase: "unfrozen" }]);
  });
});
