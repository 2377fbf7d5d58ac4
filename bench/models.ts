import * as tf from "@tensorflow/tfjs";

/** Widths and strides of the depthwise-separable blocks of an earlier, narrower course base (the committed one is in docs/base-model.md). */
export const BASE_BLOCKS: readonly [number, number][] = [
  [32, 1],
  [64, 2],
  [128, 1],
  [128, 2],
  [256, 1],
  [256, 2],
];

/**
 * A MobileNet-style CNN for [N, size, size, 3]: conv 3×3 s2 (16) → depthwise-separable blocks
 * (depthwise 3×3 + batchnorm + relu, pointwise 1×1 + batchnorm + relu) → global average pooling →
 * dense softmax. Seeded, compiled with Adam. `momentum` is batchnorm's moving-average momentum (tfjs's
 * default 0.99; PyTorch/fastai's is 0.9 in these terms). The caller disposes it.
 */
export function mobileNet({
  size = 64,
  classes = 2,
  blocks = BASE_BLOCKS,
  seed = 1,
  momentum = 0.99,
} = {}): tf.LayersModel {
  let s = seed;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [size, size, 3],
      filters: 16,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      useBias: false,
      kernelInitializer: init(),
    }),
  );
  model.add(tf.layers.batchNormalization({ momentum }));
  model.add(tf.layers.reLU());
  for (const [filters, strides] of blocks) {
    model.add(
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: "same",
        useBias: false,
        depthwiseInitializer: init(),
      }),
    );
    model.add(tf.layers.batchNormalization({ momentum }));
    model.add(tf.layers.reLU());
    model.add(tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: init() }));
    model.add(tf.layers.batchNormalization({ momentum }));
    model.add(tf.layers.reLU());
  }
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init() }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  return model;
}

/**
 * Multiply-adds × 2 of one forward pass of one image through the convolutions and dense layers
 * (what dominates; batchnorm and relu are ignored). A training step is ~3× this (forward, and the
 * input and weight gradients).
 */
export function forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const config = layer.getConfig() as { kernelSize?: number[]; filters?: number; units?: number };
    const [h, w] = [out[1] ?? 1, out[2] ?? 1];
    const inChannels =
      (layer.inputSpec?.[0]?.axes?.[-1] as number | undefined) ??
      ((layer.input as tf.SymbolicTensor).shape.at(-1) as number);
    const k = config.kernelSize ? config.kernelSize[0]! * config.kernelSize[1]! : 1;
    const name = layer.getClassName();
    if (name === "Conv2D") flops += 2 * h * w * k * inChannels * config.filters!;
    else if (name === "DepthwiseConv2D") flops += 2 * h * w * k * inChannels;
    else if (name === "Dense") flops += 2 * inChannels * config.units!;
  }
  return flops;
}
