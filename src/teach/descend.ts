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

const ANYWHERE = [[-Infinity, Infinity], [-Infinity, Infinity]] as const;

/** Where `weights` leave `bounds` (or stop being finite), in words; null while they are inside. */
function escape(weights: Weights, bounds: DescendOptions["bounds"] & object): string | null {
  for (const k of [0, 1] as const) {
    const [min, max] = bounds[k];
    const value = weights[k];
    if (!Number.isFinite(value)) return `w${k + 1} became ${value}`;
    if (value < min || value > max) return `w${k + 1} = ${value.toPrecision(3)} left [${min}, ${max}]`;
  }
  return null;
}

/**
 * Gradient descent on the line model's mean squared error, step by step: each step uses every point,
 * emits a `LineStep` (phase "sgd", epoch 0) and waits `interval` ms. Resolves to the final weights.
 * Throws TrainingDiverged when the weights leave `bounds`, and the signal's AbortError when aborted.
 */
export async function descendLine({ start, points, lr, steps, interval = 0, bounds = ANYWHERE, signal, onEvent }: DescendOptions): Promise<[number, number]> {
  if (!(lr > 0)) throw new Error(`invalid lr: ${lr}; use a learning rate > 0, e.g. 0.1`);
  let weights: [number, number] = [start[0], start[1]];
  for (let batch = 0; batch < steps; batch++) {
    checkAborted(signal);
    const next = sgdStep(weights, points, lr);
    const cause = escape(next, bounds);
    if (cause !== null) throw new TrainingDiverged({ phase: "sgd", epoch: 0, batch, lr, cause });
    weights = next;
    const event: LineStep = { type: "batch", phase: "sgd", epoch: 0, batch, batches: steps, loss: mse(weights, points), lr, weights };
    onEvent?.(event);
    if (interval > 0) await new Promise((resolve) => setTimeout(resolve, interval));
  }
  checkAborted(signal);
  return weights;
}
