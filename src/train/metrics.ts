import * as tf from "@tensorflow/tfjs";

/** A metric over a whole set: predictions [n, classes] (probabilities or logits), targets one-hot [n, classes]. */
export interface Metric {
  name: string;
  /** Reads the tensors, disposes nothing it did not make. */
  compute(predictions: tf.Tensor2D, targets: tf.Tensor2D): number;
}

function checkShapes(predictions: tf.Tensor2D, targets: tf.Tensor2D): void {
  if (predictions.shape.join() !== targets.shape.join()) {
    throw new Error(
      `metric: predictions have shape [${predictions.shape}] but targets [${targets.shape}]; they must match`,
    );
  }
  if (predictions.shape[0] === 0) throw new Error("metric: no items to score; the validation set is empty");
}

/** fastai's accuracy: the fraction of items whose highest prediction is the target class. */
export const accuracy: Metric = {
  name: "accuracy",
  compute(predictions, targets) {
    checkShapes(predictions, targets);
    return tf.tidy(() => tf.equal(predictions.argMax(1), targets.argMax(1)).mean().dataSync()[0]!);
  },
};

/** fastai's error_rate: 1 − accuracy. */
export const errorRate: Metric = {
  name: "errorRate",
  compute(predictions, targets) {
    return 1 - accuracy.compute(predictions, targets);
  },
};
