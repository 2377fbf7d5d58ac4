import * as tf from "@tensorflow/tfjs";
import { BN_EPSILON, type Head, type HeadBlock } from "../../../src/model/head.js";

export interface HeadStepOptions {
  /** Seeds block i's dropout mask with `dropoutSeed + i`, as `tf.dropout` does in the layers path. */
  dropoutSeed: number;
  /** The batchnorm moving statistics' momentum this step (tfjs convention: the weight of the old value). */
  momentum: number;
  /** Batchnorm epsilon. */
  epsilon: number;
}

/**
 * The reference for the wasm head step (src/model/head-step/head-trainer.ts): one training step's loss and
 * gradients for the head's blocks on pooled features, with the backward pass the wasm kernels compute
 * written out in tfjs ops. It computes what tfjs's autodiff of `head.logitsFromPooled` computes (checked
 * against `tf.variableGrads` in head-reference.test.ts): batchnorm on batch statistics (and moves the
 * moving statistics with `momentum`), dropout, dense, relu, then mean softmax cross-entropy against `ys`.
 * It was once the learner's frozen tfjs step; the learner's tfjs step is autodiff now.
 *
 * pooled [N, d] and ys [N, classes] stay the caller's; the returned loss (scalar) and gradients (keyed by
 * variable name, each the shape of its variable) are the caller's to dispose.
 */
export function headGrads(
  blocks: readonly HeadBlock[],
  pooled: tf.Tensor2D,
  ys: tf.Tensor2D,
  { dropoutSeed, momentum, epsilon }: HeadStepOptions,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.tidy(() => {
    const n = pooled.shape[0];
    // column sums and means as a [1, N] × [N, d] product: one kernel, where a reduction over axis 0
    // transposes first on wasm
    const ones = tf.ones([1, n]);
    const weights = tf.fill([1, n], 1 / n);
    const colSum = (t: tf.Tensor2D) => tf.reshape(tf.matMul(ones, t), [t.shape[1]]) as tf.Tensor1D;
    const colMean = (t: tf.Tensor2D) => tf.reshape(tf.matMul(weights, t), [t.shape[1]]) as tf.Tensor1D;
    // forward, keeping what the backward pass needs
    const saved: {
      xhat: tf.Tensor2D;
      inv: tf.Tensor1D;
      mask: tf.Tensor2D | null;
      dropped: tf.Tensor2D;
      out: tf.Tensor2D;
    }[] = [];
    let x: tf.Tensor2D = pooled;
    blocks.forEach((block, i) => {
      const mean = colMean(x);
      const centred = tf.sub(x, mean) as tf.Tensor2D;
      const variance = colMean(tf.square(centred) as tf.Tensor2D);
      const decay = 1 - momentum;
      block.movingMean.assign(tf.sub(block.movingMean, tf.mul(tf.sub(block.movingMean, mean), decay)));
      block.movingVariance.assign(tf.sub(block.movingVariance, tf.mul(tf.sub(block.movingVariance, variance), decay)));
      const inv = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
      const xhat = tf.mul(centred, inv) as tf.Tensor2D;
      const normed = tf.add(tf.mul(xhat, block.gamma), block.beta) as tf.Tensor2D;
      // tf.dropout's own multiplier, from the same seed: floor(uniform + keep) / keep
      const keep = 1 - block.rate;
      const mask =
        block.rate > 0
          ? (tf.div(
              tf.floor(tf.add(tf.randomUniform(normed.shape, 0, 1, "float32", dropoutSeed + i), keep)),
              keep,
            ) as tf.Tensor2D)
          : null;
      const dropped = mask ? (tf.mul(normed, mask) as tf.Tensor2D) : normed;
      const out = tf.fused.matMul({
        a: dropped,
        b: block.kernel as tf.Tensor2D,
        bias: block.bias,
        activation: block.relu ? "relu" : "linear",
      }) as tf.Tensor2D;
      saved.push({ xhat, inv, mask, dropped, out });
      x = out;
    });
    // mean softmax cross-entropy and its gradient with respect to the logits: (softmax − y) / N
    const logSoftmax = tf.logSoftmax(x);
    const value = tf.neg(tf.div(tf.sum(tf.mul(ys, logSoftmax)), n)) as tf.Scalar;
    let grad = tf.div(tf.sub(tf.exp(logSoftmax), ys), n) as tf.Tensor2D;
    // backward, last block first
    const grads: tf.NamedTensorMap = {};
    for (let i = blocks.length - 1; i >= 0; i--) {
      const block = blocks[i]!;
      const { xhat, inv, mask, dropped, out } = saved[i]!;
      if (block.relu) grad = tf.mul(grad, tf.step(out)) as tf.Tensor2D;
      grads[block.kernel.name] = tf.matMul(dropped, grad, true, false);
      grads[block.bias.name] = colSum(grad);
      let dNormed = tf.matMul(grad, block.kernel as tf.Tensor2D, false, true) as tf.Tensor2D;
      if (mask) dNormed = tf.mul(dNormed, mask) as tf.Tensor2D;
      const dGamma = colSum(tf.mul(dNormed, xhat) as tf.Tensor2D);
      const dBeta = colSum(dNormed);
      grads[block.gamma.name] = dGamma;
      grads[block.beta.name] = dBeta;
      // batchnorm on batch statistics: dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂))
      if (i > 0)
        grad = tf.mul(
          tf.mul(inv, block.gamma),
          tf.sub(tf.sub(dNormed, tf.div(dBeta, n)), tf.mul(xhat, tf.div(dGamma, n))),
        ) as tf.Tensor2D;
    }
    return { value, grads };
  });
}

/** `headGrads` on `head`'s blocks, counting a batch for its batchnorm momentum as the learner's step does. */
export function gradsFromPooled(
  head: Head,
  pooled: tf.Tensor2D,
  ys: tf.Tensor2D,
  dropoutSeed: number,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return headGrads(head.blocks(), pooled, ys, { dropoutSeed, momentum: head.nextMomentum(), epsilon: BN_EPSILON });
}
