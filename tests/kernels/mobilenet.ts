import * as tf from "@tensorflow/tfjs";

export interface MobileNetOptions {
  /** Square input size in pixels (default 64). */
  size?: number;
  /** Output classes (default 2). */
  classes?: number;
  /** Pointwise widths of the depthwise-separable blocks (default 32, 64, 128). */
  widths?: number[];
  /** Seed for the kernel initialisers (default 1). */
  seed?: number;
  /** Batchnorm's moving-average momentum (default 0.99, as in tfjs-layers). */
  momentum?: number;
}

/**
 * A small MobileNet-like CNN for [N, size, size, 3] images: conv 3×3 stride 2 (16) + batchnorm + relu,
 * then per width a depthwise-separable block (depthwise 3×3, stride 1 for the first block and 2 after,
 * + batchnorm + relu; pointwise 1×1 conv + batchnorm + relu), global average pooling, dense softmax.
 * Seeded initialisers, so two calls build the same weights on any backend. The caller disposes it.
 */
export function mobileNetLike({
  size = 64,
  classes = 2,
  widths = [32, 64, 128],
  seed = 1,
  momentum = 0.99,
}: MobileNetOptions = {}): tf.Sequential {
  let s = seed;
  const init = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: s++ });
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
  widths.forEach((width, i) => {
    model.add(
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides: i === 0 ? 1 : 2,
        padding: "same",
        useBias: false,
        depthwiseInitializer: init(),
      }),
    );
    model.add(tf.layers.batchNormalization({ momentum }));
    model.add(tf.layers.reLU());
    model.add(
      tf.layers.conv2d({ filters: width, kernelSize: 1, padding: "same", useBias: false, kernelInitializer: init() }),
    );
    model.add(tf.layers.batchNormalization({ momentum }));
    model.add(tf.layers.reLU());
  });
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init() }));
  return model;
}
