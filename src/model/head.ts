import * as tf from "@tensorflow/tfjs";

export interface HeadOptions {
  /** Dropout rate before the dense layer, in [0, 1). Default 0.25. */
  dropout?: number;
  /** Seeds the dense layer's initial weights. Default 0. */
  seed?: number;
}

/**
 * The new head a learner puts on a body: concat of global average and max pooling → dropout → dense →
 * softmax (fastai's head without its hidden layer). Its layers are named `head_*`.
 * Its weights belong to the learner's model; `learner.dispose()` frees them.
 */
export class Head {
  readonly dropout: number;
  private readonly avg: tf.layers.Layer;
  private readonly max: tf.layers.Layer;
  private readonly pool: tf.layers.Layer;
  private readonly drop: tf.layers.Layer;
  private readonly dense: tf.layers.Layer;
  private readonly softmax: tf.layers.Layer;

  constructor(featureShape: readonly number[], classes: number, { dropout = 0.25, seed = 0 }: HeadOptions = {}) {
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`invalid dropout: ${dropout}; use a rate in [0, 1), e.g. 0.25`);
    if (featureShape.length !== 3) throw new Error(`the base's cut gives features of shape [${featureShape}]; cut at a layer with [height, width, channels] output`);
    this.dropout = dropout;
    this.avg = tf.layers.globalAveragePooling2d({ name: "head_avg" });
    this.max = tf.layers.globalMaxPooling2d({ name: "head_max" });
    this.pool = tf.layers.concatenate({ name: "head_pool" });
    this.drop = tf.layers.dropout({ rate: dropout, name: "head_dropout" });
    this.dense = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed }), name: "head_dense" });
    this.softmax = tf.layers.activation({ activation: "softmax", name: "head_softmax" });
  }

  /** Puts the head on symbolic body features [N, h, w, c]: returns the symbolic probabilities [N, classes]. */
  apply(features: tf.SymbolicTensor): tf.SymbolicTensor {
    const pooled = this.pool.apply([this.avg.apply(features), this.max.apply(features)] as tf.SymbolicTensor[]);
    return this.softmax.apply(this.dense.apply(this.drop.apply(pooled))) as tf.SymbolicTensor;
  }

  /**
   * features [N, h, w, c] → logits [N, classes]. With `dropoutSeed`, drops features with that seed
   * (a new seed every step); without, runs as at inference. The caller disposes the result.
   */
  logits(features: tf.Tensor4D, dropoutSeed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      let pooled = tf.concat([this.avg.apply(features) as tf.Tensor2D, this.max.apply(features) as tf.Tensor2D], 1);
      if (dropoutSeed !== undefined && this.dropout > 0) pooled = tf.dropout(pooled, this.dropout, undefined, dropoutSeed) as tf.Tensor2D;
      return this.dense.apply(pooled) as tf.Tensor2D;
    });
  }

  /** The dense layer's kernel and bias (the head's only weights). */
  get trainableVariables(): tf.Variable[] {
    return this.dense.trainableWeights.map((w) => w.read() as tf.Variable);
  }
}
