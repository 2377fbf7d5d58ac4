import { describe, expect, it } from "vitest";
import { descendLine, LeftBounds, type LineStep } from "../../src/teach/descend.js";
import { TrainingDiverged } from "../../src/train/events.js";
import type { TrainingEvent } from "../../src/train/recorder.js";
import type { Point } from "../../src/teach/linear.js";

const points: Point[] = [
  { x: 0, y: 1 },
  { x: 1, y: 3 },
  { x: 2, y: 2 },
];

function recorder(): { steps: LineStep[]; onEvent: (e: TrainingEvent) => void } {
  const steps: LineStep[] = [];
  return { steps, onEvent: (e) => steps.push(e as LineStep) };
}

describe("descendLine({start, points, lr, steps, interval, bounds, signal, onEvent})", () => {
  it("takes the steps worked by hand: [1, 1] → [2/3, 1] → [8/9, 4/3], with each step's loss", async () => {
    const { steps, onEvent } = recorder();
    const final = await descendLine({ start: [1, 1], points, lr: 0.5, steps: 2, onEvent });
    expect(steps.map((s) => [s.batch, s.batches, s.phase, s.lr])).toEqual([
      [0, 2, "sgd", 0.5],
      [1, 2, "sgd", 0.5],
    ]);
    expect(steps[0]!.weights[0]).toBeCloseTo(2 / 3, 15);
    expect(steps[0]!.weights[1]).toBe(1);
    expect(steps[0]!.loss).toBeCloseTo(17 / 27, 15); // errors 0, −4/3, 1/3
    expect(final[0]).toBeCloseTo(8 / 9, 15);
    expect(final[1]).toBeCloseTo(4 / 3, 15);
    expect(steps[1]!.weights).toEqual(final);
  });

  it("gets close to the least-squares answer in enough steps", async () => {
    const [w1, w2] = await descendLine({ start: [-2, 3], points, lr: 0.2, steps: 300 });
    expect(w1).toBeCloseTo(0.5, 6);
    expect(w2).toBeCloseTo(1.5, 6);
  });

  it("throws LeftBounds when a step leaves the bounds, after emitting only the steps inside", async () => {
    const { steps, onEvent } = recorder();
    const run = descendLine({
      start: [1, 1],
      points,
      lr: 2,
      steps: 50,
      bounds: [
        [-5, 5],
        [-5, 5],
      ],
      onEvent,
    });
    await expect(run).rejects.toThrow(LeftBounds);
    await expect(run).rejects.toThrow(
      /^step \d+ at learning rate 2 took w\d to -?[\d.]+, outside \[-5, 5\]: .* use a smaller learning rate$/,
    );
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) for (const w of s.weights) expect(Math.abs(w)).toBeLessThanOrEqual(5);
  });

  it("throws TrainingDiverged when the weights stop being finite, with no bounds to leave", async () => {
    await expect(descendLine({ start: [1, 1], points, lr: 1e200, steps: 10 })).rejects.toThrow(TrainingDiverged);
  });

  it("stops with the signal's AbortError, waiting `interval` between steps", async () => {
    const controller = new AbortController();
    const { steps, onEvent } = recorder();
    const run = descendLine({
      start: [1, 1],
      points,
      lr: 0.1,
      steps: 100,
      interval: 5,
      signal: controller.signal,
      onEvent,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThan(100);
  });

  it("rejects a learning rate that is not positive", async () => {
    await expect(descendLine({ start: [0, 0], points, lr: 0, steps: 1 })).rejects.toThrow(
      /^invalid lr: 0; use a learning rate > 0/,
    );
  });
});
