import * as tf from "@tensorflow/tfjs";

/** Sums of the columns of x [n, d]: [d]. */
export function columnSums(x: Float32Array, n: number, d: number): Float32Array {
  const sums = new Float32Array(d);
  for (let r = 0; r < n; r++) {
    const row = r * d;
    for (let c = 0; c < d; c++) sums[c] += x[row + c]!;
  }
  return sums;
}

/** Mean softmax cross-entropy of logits [n, classes] against class indices, and its gradient (softmax − y) / n. */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: readonly number[],
  classes: number,
): { loss: number; dLogits: Float32Array } {
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
    for (let k = 0; k < classes; k++)
      dLogits[r * classes + k] = (Math.exp(row[k]! - logTotal) - (k === labels[r] ? 1 : 0)) / n;
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

/**
 * GroupAdam's step for variables that step as one vector, on host floats: new values per variable, new
 * running averages, and the sum of the new values (non-finite when any is). `decay` is 1 − lr·wd, or 1.
 */
export function adamOnHost(
  variables: readonly { value: Float32Array; grad: Float32Array; decay: number }[],
  gradAvg: Float32Array,
  sqrAvg: Float32Array,
  {
    lr,
    mom,
    sqrMom,
    eps,
    debias1,
    debias2,
  }: { lr: number; mom: number; sqrMom: number; eps: number; debias1: number; debias2: number },
): { values: Float32Array[]; gradAvg: Float32Array; sqrAvg: Float32Array; sum: number } {
  const [m, v] = [new Float32Array(gradAvg.length), new Float32Array(sqrAvg.length)];
  let [offset, sum] = [0, 0];
  const values = variables.map(({ value: p, grad: g, decay }) => {
    const next = new Float32Array(p.length);
    for (let x = 0; x < p.length; x++, offset++) {
      m[offset] = gradAvg[offset]! * mom + g[x]! * (1 - mom);
      v[offset] = sqrAvg[offset]! * sqrMom + g[x]! * g[x]! * (1 - sqrMom);
      next[x] = p[x]! * decay - (m[offset]! / (Math.sqrt(v[offset]! / debias2) + eps)) * (lr / debias1);
      sum += next[x]!;
    }
    return next;
  });
  return { values, gradAvg: m, sqrAvg: v, sum };
}
