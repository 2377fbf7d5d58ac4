import { seededRandom, uniform } from "../random.js";

/** One example: an input `x` and the result `y` we want the model to give for it. */
export interface Point {
  x: number;
  y: number;
}

/** The two weights of the line model: `[w1, w2]`, slope and intercept. */
export type Weights = readonly [number, number];

export interface NoisyLineOptions {
  /** How many points. Default 30. */
  n?: number;
  slope: number;
  intercept: number;
  /** Largest distance a point lies above or below the line (uniform). Default 0.5. */
  noise?: number;
  /** Where the inputs lie: `n` evenly spaced values from the first to the second. Default [-2, 2]. */
  xRange?: readonly [number, number];
  seed: number;
}

/** Points on the line y = slope·x + intercept, each moved up or down by seeded noise. */
export function noisyLine({
  n = 30,
  slope,
  intercept,
  noise = 0.5,
  xRange: [from, to] = [-2, 2],
  seed,
}: NoisyLineOptions): Point[] {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`invalid n: ${n}; use a whole number of points ≥ 2`);
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = from + ((to - from) * i) / (n - 1);
    return { x, y: slope * x + intercept + uniform(random, -noise, noise) };
  });
}

/** The model: w1·x + w2. */
export function predictLine([w1, w2]: Weights, x: number): number {
  return w1 * x + w2;
}

/** Mean squared error of the model over `points`: mean of (w1·x + w2 − y)². */
export function mse(weights: Weights, points: readonly Point[]): number {
  let sum = 0;
  for (const { x, y } of points) sum += (predictLine(weights, x) - y) ** 2;
  return sum / points.length;
}

/** The gradient of `mse` by hand: [mean of 2·error·x, mean of 2·error], error = w1·x + w2 − y. */
export function mseGradient(weights: Weights, points: readonly Point[]): [number, number] {
  let [g1, g2] = [0, 0];
  for (const { x, y } of points) {
    const error = predictLine(weights, x) - y;
    g1 += 2 * error * x;
    g2 += 2 * error;
  }
  return [g1 / points.length, g2 / points.length];
}

/** One step of gradient descent: each weight moves against its gradient, `lr` times as far. */
export function sgdStep(weights: Weights, points: readonly Point[], lr: number): [number, number] {
  const [g1, g2] = mseGradient(weights, points);
  return [weights[0] - lr * g1, weights[1] - lr * g2];
}

/** The weights with the lowest `mse` (ordinary least squares): the bottom of the loss surface. */
export function leastSquares(points: readonly Point[]): [number, number] {
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let [sxy, sxx] = [0, 0];
  for (const { x, y } of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  if (sxx === 0) throw new Error("leastSquares: every point has the same x; give points with at least two different x");
  const slope = sxy / sxx;
  return [slope, meanY - slope * meanX];
}

/**
 * The learning rate above which gradient descent on `mse` flies off: 2 / λ, λ the largest eigenvalue of
 * the loss's curvature 2·[[mean x², mean x], [mean x, 1]]. From half of it, each step overshoots the bottom.
 */
export function largestStableLr(points: readonly Point[]): number {
  const n = points.length;
  const [a, b, c] = [
    (2 * points.reduce((s, p) => s + p.x * p.x, 0)) / n,
    (2 * points.reduce((s, p) => s + p.x, 0)) / n,
    2,
  ];
  const largest = (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b);
  return 2 / largest;
}
