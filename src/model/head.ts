import * as tf from "@tensorflow/tfjs";

export interface HeadOptions {
  /** Dropout before the hidden layer; the one before the output layer is twice this (fastai: 0.25, 0.5). Default 0.25. */
  dropout?: number;
  /** Units of the hidden layer (fastai's 512); 0 for none: pooling → batchnorm → dropout → dense. Default 512. */
  hidden?: number;
  /** Seeds the dense layers' initial weights. Default 0. */
  seed?: number;
}

/** One batchnorm → dropout → dense (→ relu) block of the head, as the variables it trains with (see `Head.blocks`). */
export interface HeadBlock {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
  kernel: tf.Variable;
  bias: tf.Variable;
  /** Dropout rate before the dense layer. */
  rate: number;
  relu: boolean;
}

/** The head's batchnorm momentum in tfjs's convention (PyTorch's and fastai's 0.1). */
const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

/**
 * fastai's head for a new task: concat of global average and max pooling → batchnorm → dropout →
 * dense (hidden, relu) → batchnorm → dropout → dense → softmax. Its layers are named `head_*`; its
 * weights belong to the learner's model, and `learner.dispose()` frees them.
 */
export class Head {
  readonly dropout: number;
  /**
   * Training batches the batchnorm statistics have seen since they were made (or restored: whoever puts
   * old weights back puts this back too). The first ones are averaged plainly: a moving average from
   * the initial 0 and 1 would still be half made of them after 7 batches, a whole frozen epoch of
   * lesson 1, and the frozen model would predict from statistics its features never had.
   */
  bnUpdates = 0;
  private readonly avg = tf.layers.globalAveragePooling2d({ name: "head_avg" });
  private readonly max = tf.layers.globalMaxPooling2d({ name: "head_max" });
  private readonly concat = tf.layers.concatenate({ name: "head_pool" });
  private readonly layers: {
    bn: tf.layers.Layer;
    drop: tf.layers.Layer;
    rate: number;
    dense: tf.layers.Layer;
    relu: boolean;
  }[];
  private readonly softmax = tf.layers.activation({ activation: "softmax", name: "head_softmax" });

  constructor(
    featureShape: readonly number[],
    classes: number,
    { dropout = 0.25, hidden = 512, seed = 0 }: HeadOptions = {},
  ) {
    if (!(dropout >= 0 && dropout < 0.5))
      throw new Error(`invalid dropout: ${dropout}; use a rate in [0, 0.5), e.g. 0.25`);
    if (!Number.isInteger(hidden) || hidden < 0)
      throw new Error(`invalid hidden: ${hidden}; use a whole number of units (0 for none), e.g. 512`);
    if (featureShape.length !== 3)
      throw new Error(
        `the base's cut gives features of shape [${featureShape}]; cut at a layer with [height, width, channels] output`,
      );
    this.dropout = dropout;
    const block = (i: number, units: number, rate: number, relu: boolean) => ({
      bn: tf.layers.batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `head_bn${i}` }),
      drop: tf.layers.dropout({ rate, name: `head_dropout${i}` }),
      rate,
      dense: tf.layers.dense({
        units,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        name: i === 2 || hidden === 0 ? "head_dense" : `head_dense${i}`,
      }),
      relu,
    });
    this.layers =
      hidden > 0
        ? [block(1, hidden, dropout, true), block(2, classes, 2 * dropout, false)]
        : [block(1, classes, dropout, false)];
  }

  /** Puts the head on symbolic body features [N, h, w, c]: returns the symbolic probabilities [N, classes]. */
  apply(features: tf.SymbolicTensor): tf.SymbolicTensor {
    let x = this.concat.apply([
      this.avg.apply(features),
      this.max.apply(features),
    ] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    for (const { bn, drop, dense, relu } of this.layers) {
      x = dense.apply(drop.apply(bn.apply(x))) as tf.SymbolicTensor;
      if (relu) x = tf.layers.reLU({ name: `${dense.name}_relu` }).apply(x) as tf.SymbolicTensor;
    }
    return this.softmax.apply(x) as tf.SymbolicTensor;
  }

  /** features [N, h, w, c] → pooled [N, 2c] (average, then max): the head's first, fixed step. The caller disposes the result. */
  pool(features: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() =>
      tf.concat([this.avg.apply(features) as tf.Tensor2D, this.max.apply(features) as tf.Tensor2D], 1),
    );
  }

  /** features [N, h, w, c] → logits [N, classes]; see `logitsFromPooled`. The caller disposes the result. */
  logits(features: tf.Tensor4D, dropoutSeed?: number): tf.Tensor2D {
    return tf.tidy(() => this.logitsFromPooled(this.pool(features), dropoutSeed));
  }

  /**
   * pooled [N, 2c] → logits [N, classes]. With `dropoutSeed` it trains: batchnorm uses (and updates)
   * batch statistics and dropout drops with that seed (a new seed every step); without, it runs as at
   * inference. The caller disposes the result.
   */
  logitsFromPooled(pooled: tf.Tensor2D, dropoutSeed?: number): tf.Tensor2D {
    const training = dropoutSeed !== undefined;
    const momentum = training ? this.nextMomentum() : BN_MOMENTUM;
    return tf.tidy(() => {
      let x = pooled;
      this.layers.forEach(({ bn, rate, dense, relu }, i) => {
        const layer = bn as unknown as { momentum: number };
        layer.momentum = momentum;
        try {
          x = bn.apply(x, { training }) as tf.Tensor2D;
        } finally {
          layer.momentum = BN_MOMENTUM;
        }
        if (training && rate > 0) x = tf.dropout(x, rate, undefined, dropoutSeed + i) as tf.Tensor2D;
        x = dense.apply(x) as tf.Tensor2D;
        if (relu) x = tf.relu(x);
      });
      return x;
    });
  }

  /** The head's batchnorm → dropout → dense blocks as the variables they train with, first to last. */
  blocks(): HeadBlock[] {
    return this.layers.map(({ bn, dense, rate, relu }) => {
      const b = bn as unknown as Record<"gamma" | "beta" | "movingMean" | "movingVariance", tf.LayerVariable>;
      const d = dense as unknown as Record<"kernel" | "bias", tf.LayerVariable>;
      const v = (w: tf.LayerVariable) => w.read() as tf.Variable;
      return {
        gamma: v(b.gamma),
        beta: v(b.beta),
        movingMean: v(b.movingMean),
        movingVariance: v(b.movingVariance),
        kernel: v(d.kernel),
        bias: v(d.bias),
        rate,
        relu,
      };
    });
  }

  /**
   * Counts a training batch and returns the batchnorm momentum for it: the statistics start as a plain
   * average of the batches seen (PyTorch's momentum=None), then become the usual moving average once it
   * weighs the newest batch less than `BN_MOMENTUM` does.
   */
  nextMomentum(): number {
    this.bnUpdates++;
    return Math.min(BN_MOMENTUM, 1 - 1 / this.bnUpdates);
  }

  /** Every weight of the head, batchnorm statistics included. */
  get variables(): tf.Variable[] {
    return this.layers
      .flatMap(({ bn, dense }) => [...bn.weights, ...dense.weights])
      .map((w) => w.read() as tf.Variable);
  }

  /** The head's layers that have weights, first to last. */
  get weightedLayers(): tf.layers.Layer[] {
    return this.layers.flatMap(({ bn, dense }) => [bn, dense]);
  }

  /** The head's trainable weights: batchnorm scales and offsets, dense kernels and biases. */
  get trainableVariables(): tf.Variable[] {
    return this.layers
      .flatMap(({ bn, dense }) => [...bn.trainableWeights, ...dense.trainableWeights])
      .map((w) => w.read() as tf.Variable);
  }
}
