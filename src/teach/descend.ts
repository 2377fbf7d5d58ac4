import { checkAborted, TrainingDiverged, type TrainingControl } from "../train/events.js";
import type { BatchEvent } from "../train/recorder.js";
import { mse, sgdStep, type Point, type Weights } from "./linear.js";

/** One step of `descendLine`: a batch event (so trainingSession takes it) that also carries the weights after the step. */
export interface LineStep extends BatchEvent {
  weights: [number, number];
}

export interface DescendOptions extends TrainingControl {
  start: Weights;
  points: readonly Point[];
  lr: number;
  steps: number;
  /** Milliseconds to wait after each step, so a page can show the weights move. Default 0. */
  interval?: number;
  /** The box the weights must stay in (a chart's axes): `[[w1 min, w1 max], [w2 min, w2 max]]`. Default: anywhere finite. */
  bounds?: readonly [readonly [number, number], readonly [number, number]];
}

const ANYWHERE = [
  [-Infinity, Infinity],
  [-Infinity, Infinity],
] as const;

/** Thrown when a step takes the weights out of `bounds`: the run ends with the weights of the step before. */
export class LeftBounds extends Error {
  constructor({
    batch,
    lr,
    weight,
    value,
    bounds: [min, max],
  }: {
    batch: number;
    lr: number;
    weight: string;
    value: number;
    bounds: readonly [number, number];
  }) {
    super(
      `step ${batch + 1} at learning rate ${lr} took ${weight} to ${value.toPrecision(3)}, outside [${min}, ${max}]: it jumped too far past the bottom. The weights stay at the step before; use a smaller learning rate`,
    );
    this.name = "LeftBounds";
  }
}

function checkStep(weights: Weights, bounds: DescendOptions["bounds"] & object, batch: number, lr: number): void {
  for (const k of [0, 1] as const) {
    const value = weights[k];
    if (!Number.isFinite(value))
      throw new TrainingDiverged({ phase: "sgd", epoch: 0, batch, lr, cause: `w${k + 1} became ${value}` });
    if (value < bounds[k][0] || value > bounds[k][1])
      throw new LeftBounds({ batch, lr, weight: `w${k + 1}`, value, bounds: bounds[k] });
  }
}

/**
 * Gradient descent on the line model's mean squared error, step by step: each step uses every point,
 * emits a `LineStep` (phase "sgd", epoch 0) and waits `interval` ms. Resolves to the final weights.
 * Throws LeftBounds when a step leaves `bounds`, TrainingDiverged when the weights stop being finite,
 * and the signal's AbortError when aborted.
 */
export async function descendLine({
  start,
  points,
  lr,
  steps,
  interval = 0,
  bounds = ANYWHERE,
  signal,
  onEvent,
}: DescendOptions): Promise<[number, number]> {
  if (!(lr > 0)) throw new Error(`invalid lr: ${lr}; use a learning rate > 0, e.g. 0.1`);
  let weights: [number, number] = [start[0], start[1]];
  for (let batch = 0; batch < steps; batch++) {
    checkAborted(signal);
    const next = sgdStep(weights, points, lr);
    checkStep(next, bounds, batch, lr);
    weights = next;
    const event: LineStep = {
      type: "batch",
      phase: "sgd",
      epoch: 0,
      batch,
      batches: steps,
      loss: mse(weights, points),
      lr,
      weights,
    };
    onEvent?.(event);
    if (interval > 0) await new Promise((resolve) => setTimeout(resolve, interval));
  }
  checkAborted(signal);
  return weights;
}
