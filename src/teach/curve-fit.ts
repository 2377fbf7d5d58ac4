import * as tf from "@tensorflow/tfjs";
import { seededRandom, uniform, type Random } from "../random.js";
import { checkAborted, TrainingDiverged, yieldToEventLoop, type TrainingControl } from "../train/events.js";
import type { BatchEvent } from "../train/recorder.js";
import type { Point } from "./linear.js";

/** The curves a learner can ask the network to fit, on x in [-1, 1]. */
export const CURVES = {
  sine: (x: number) => Math.sin(Math.PI * x),
  step: (x: number) => (x < 0 ? 0 : 1),
  "|x|": (x: number) => Math.abs(x),
  parabola: (x: number) => x * x,
  wiggle: (x: number) => Math.sin(3 * Math.PI * x) * (1 - x * x),
} as const;

export type CurveName = keyof typeof CURVES;

/** `n` points of the named curve, x evenly spaced over [-1, 1]. */
export function curvePoints(name: CurveName, { n = 64 }: { n?: number } = {}): Point[] {
  const f = CURVES[name];
  if (f === undefined) throw new Error(`invalid curve: ${name}; use one of ${Object.keys(CURVES).join(", ")}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`invalid n: ${n}; use a whole number of points ≥ 2`);
  return Array.from({ length: n }, (_, i) => {
    const x = -1 + (2 * i) / (n - 1);
    return { x, y: f(x) };
  });
}

export type Activation = "relu" | "tanh";

/** A network with one hidden layer: x → `hidden` units (activation) → one output. */
export interface Mlp {
  /** [1, hidden], [hidden], [hidden, 1], [1]. */
  variables: tf.Variable[];
  activation: Activation;
}

function uniformTensor(random: Random, shape: number[], limit: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => uniform(random, -limit, limit)),
    shape,
  );
}

/**
 * A seeded network: first-layer weights and biases uniform in [-2, 2] and [-1, 1] (so the units bend
 * inside [-1, 1]), output weights uniform in ±1/√hidden, output bias 0. Caller disposes the variables.
 */
export function createMlp({ hidden, activation, seed }: { hidden: number; activation: Activation; seed: number }): Mlp {
  if (!(Number.isInteger(hidden) && hidden >= 1))
    throw new Error(`invalid hidden: ${hidden}; use a whole number of units ≥ 1`);
  if (activation !== "relu" && activation !== "tanh")
    throw new Error(`invalid activation: ${activation}; use "relu" or "tanh"`);
  const random = seededRandom(seed);
  const initial = [
    uniformTensor(random, [1, hidden], 2),
    uniformTensor(random, [hidden], 1),
    uniformTensor(random, [hidden, 1], 1 / Math.sqrt(hidden)),
    tf.zeros([1]),
  ];
  const variables = initial.map((t) => tf.variable(t));
  tf.dispose(initial);
  return { variables, activation };
}

/** The network's output for `x: [n, 1]`: `[n, 1]`. Caller disposes the result. */
export function mlpPredict({ variables: [w1, b1, w2, b2], activation }: Mlp, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const z = tf.add(tf.matMul(x, w1 as tf.Tensor2D), b1!);
    const h = activation === "relu" ? tf.relu(z) : tf.tanh(z);
    return tf.add(tf.matMul(h as tf.Tensor2D, w2 as tf.Tensor2D), b2!) as tf.Tensor2D;
  });
}

/** One step of `fitCurve`: a batch event (so trainingSession takes it) with the network's output at each point's x after the step. */
export interface CurveStep extends BatchEvent {
  fitted: number[];
}

export interface FitCurveOptions extends TrainingControl {
  points: readonly Point[];
  hidden: number;
  activation: Activation;
  steps: number;
  /** Adam's learning rate. Default 0.02. */
  lr?: number;
  seed: number;
}

/**
 * Trains a fresh `createMlp` network on `points` (mean squared error, Adam, every point in every step),
 * emitting a `CurveStep` (phase "fit", epoch 0) after each step and yielding to the event loop.
 * Resolves to the last step's fitted values; every tensor it made is disposed, also when aborted or diverged.
 */
export async function fitCurve({
  points,
  hidden,
  activation,
  steps,
  lr = 0.02,
  seed,
  signal,
  onEvent,
}: FitCurveOptions): Promise<number[]> {
  const mlp = createMlp({ hidden, activation, seed });
  const x = tf.tensor2d(points.map((p) => [p.x]));
  const y = tf.tensor2d(points.map((p) => [p.y]));
  const optimizer = tf.train.adam(lr);
  let fitted: number[] = [];
  try {
    for (let batch = 0; batch < steps; batch++) {
      checkAborted(signal);
      const lossTensor = optimizer.minimize(
        () => tf.losses.meanSquaredError(y, mlpPredict(mlp, x)) as tf.Scalar,
        true,
        mlp.variables,
      )!;
      const loss = (await lossTensor.data())[0]!;
      lossTensor.dispose();
      if (!Number.isFinite(loss))
        throw new TrainingDiverged({ phase: "fit", epoch: 0, batch, lr, cause: `the loss became ${loss}` });
      const output = mlpPredict(mlp, x);
      fitted = Array.from(await output.data());
      output.dispose();
      const event: CurveStep = { type: "batch", phase: "fit", epoch: 0, batch, batches: steps, loss, lr, fitted };
      onEvent?.(event);
      await yieldToEventLoop();
    }
    checkAborted(signal);
    return fitted;
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, ...mlp.variables]);
  }
}
