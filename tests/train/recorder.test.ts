import { describe, expect, it } from "vitest";
import { Recorder, SmoothLoss, type BatchEvent } from "../../src/train/recorder.js";

const batch = (loss: number, i: number): BatchEvent => ({
  type: "batch",
  phase: "fit",
  epoch: 0,
  batch: i,
  batches: 3,
  loss,
  lr: 1e-3,
});

describe("new Recorder({beta}).record(event)", () => {
  it("smooths the training loss as fastai does: debiased moving average (hand-derived)", () => {
    const recorder = new Recorder({ beta: 0.5 });
    [4, 2, 1].forEach((loss, i) => recorder.record(batch(loss, i)));
    // averages 2, 2, 1.5; debiased by 1 − 0.5^n: 4, 2.6667, 1.7143
    expect(recorder.smoothLoss[0]).toBeCloseTo(4, 12);
    expect(recorder.smoothLoss[1]).toBeCloseTo(2 / 0.75, 12);
    expect(recorder.smoothLoss[2]).toBeCloseTo(1.5 / 0.875, 12);
  });

  it("keeps batch and epoch events apart, in order", () => {
    const recorder = new Recorder();
    recorder.record(batch(1, 0));
    recorder.record({
      type: "epoch",
      phase: "fit",
      epoch: 0,
      trainLoss: 1,
      validLoss: 0.9,
      metrics: { errorRate: 0.2 },
      seconds: 3,
    });
    recorder.record(batch(0.5, 1));
    expect(recorder.batches.map((b) => b.loss)).toEqual([1, 0.5]);
    expect(recorder.epochs.map((e) => e.validLoss)).toEqual([0.9]);
  });

  it("rejects a beta outside [0, 1)", () => {
    expect(() => new Recorder({ beta: 1 })).toThrow(/^invalid beta: 1; use a value in \[0, 1\), e.g. 0.98$/);
  });
});

describe("new SmoothLoss(beta).add(loss)", () => {
  it("returns fastai's debiased moving average (hand-derived for 4, 2, 1 with beta 0.5)", () => {
    const smooth = new SmoothLoss(0.5);
    expect(smooth.value).toBe(0);
    // averages 2, 2, 1.5; debias by 1 − 0.5ⁿ: 4, 8/3, 12/7
    expect(smooth.add(4)).toBeCloseTo(4, 12);
    expect(smooth.add(2)).toBeCloseTo(8 / 3, 12);
    expect(smooth.add(1)).toBeCloseTo(12 / 7, 12);
    expect(smooth.value).toBeCloseTo(12 / 7, 12);
  });

  it("rejects a beta outside [0, 1), naming the fix", () => {
    expect(() => new SmoothLoss(1)).toThrow("invalid beta: 1; use a value in [0, 1), e.g. 0.98");
  });
});
