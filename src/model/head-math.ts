import * as tf from "@tensorflow/tfjs";

/** Batchnorm on batch statistics, forward, with what its backward pass needs; arrays [n, d] row-major. */
export interface BatchnormForward {
  normed: Float32Array;
  xhat: Float32Array;
  /** 1 / √(variance + ε) per column [d]. */
  inv: Float32Array;
  /** The moving statistics after this batch [d]. */
  movingMean: Float32Array;
  movingVariance: Float32Array;
}

/** Sums of the columns of x [n, d]: [d]. */
export function columnSums(x: Float32Array, n: number, d: number): Float32Array {
  const sums = new Float32Array(d);
  for (let r = 0; r < n; r++) {
    const row = r * d;
    for (let c = 0; c < d; c++) sums[c] += x[row + c]!;
  }
  return sums;
}

/** Sums of the columns of x ⊙ y, both [n, d]: [d]. */
export function columnDots(x: Float32Array, y: Float32Array, n: number, d: number): Float32Array {
  const sums = new Float32Array(d);
  for (let i = 0; i < n * d; i++) sums[i % d] += x[i]! * y[i]!;
  return sums;
}

/**
 * x [n, d] → γ·(x − mean)/√(var + ε) + β with the batch's mean and (biased) variance per column, and the
 * moving statistics moved toward them with `momentum` (tfjs's convention: the weight of the old value).
 */
export function batchnorm(x: Float32Array, n: number, d: number, gamma: Float32Array, beta: Float32Array, movingMean: Float32Array, movingVariance: Float32Array, momentum: number, epsilon: number): BatchnormForward {
  const mean = columnSums(x, n, d);
  for (let c = 0; c < d; c++) mean[c]! /= n;
  const xhat = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) xhat[i] = x[i]! - mean[i % d]!;
  const variance = columnDots(xhat, xhat, n, d);
  const inv = new Float32Array(d);
  const [newMean, newVariance] = [new Float32Array(d), new Float32Array(d)];
  for (let c = 0; c < d; c++) {
    variance[c]! /= n;
    inv[c] = 1 / Math.sqrt(variance[c]! + epsilon);
    newMean[c] = movingMean[c]! - (movingMean[c]! - mean[c]!) * (1 - momentum);
    newVariance[c] = movingVariance[c]! - (movingVariance[c]! - variance[c]!) * (1 - momentum);
  }
  const normed = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const c = i % d;
    const x0 = (xhat[i] = xhat[i]! * inv[c]!);
    normed[i] = x0 * gamma[c]! + beta[c]!;
  }
  return { normed, xhat, inv, movingMean: newMean, movingVariance: newVariance };
}

/**
 * Gradients of batchnorm on batch statistics from dNormed [n, d]: dγ, dβ [d] and, unless `withDx` is
 * false, dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)) [n, d].
 */
export function backwardBatchnorm(dNormed: Float32Array, { xhat, inv }: BatchnormForward, n: number, d: number, gamma: Float32Array, withDx = true): { dGamma: Float32Array; dBeta: Float32Array; dx: Float32Array | null } {
  const dBeta = columnSums(dNormed, n, d);
  const dGamma = columnDots(dNormed, xhat, n, d);
  if (!withDx) return { dGamma, dBeta, dx: null };
  const dx = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const c = i % d;
    dx[i] = inv[c]! * gamma[c]! * (dNormed[i]! - dBeta[c]! / n - xhat[i]! * (dGamma[c]! / n));
  }
  return { dGamma, dBeta, dx };
}

/** Mean softmax cross-entropy of logits [n, classes] against class indices, and its gradient (softmax − y) / n. */
export function softmaxCrossEntropy(logits: Float32Array, labels: readonly number[], classes: number): { loss: number; dLogits: Float32Array } {
  const n = labels.length;
  const dLogits = new Float32Array(n * classes);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    let total = 0;
    for (const v of row) total += Math.exp(v - max);
    const logTotal = Math.log(total) + max;
    loss -= row[labels[r]!]! - logTotal;
    for (let k = 0; k < classes; k++) dLogits[r * classes + k] = (Math.exp(row[k]! - logTotal) - (k === labels[r] ? 1 : 0)) / n;
  }
  return { loss: loss / n, dLogits };
}

/**
 * The multiplier `tf.dropout(x, rate, undefined, seed)` applies to an x of `shape`: floor(u + keep) / keep
 * with u from tfjs's `randomUniform` and the same seed, so both paths drop the same units. Ones at rate 0.
 */
export function dropoutMask(shape: [number, number], rate: number, seed: number): Float32Array {
  if (rate === 0) return new Float32Array(shape[0] * shape[1]).fill(1);
  const keep = Math.fround(1 - rate);
  const uniform = tf.randomUniform(shape, 0, 1, "float32", seed);
  const u = uniform.dataSync() as Float32Array; // not through tf.tidy, which walks every element of a returned array
  uniform.dispose();
  const mask = new Float32Array(u.length);
  for (let i = 0; i < u.length; i++) mask[i] = Math.floor(Math.fround(u[i]! + keep)) / keep;
  return mask;
}
