import * as tf from "@tensorflow/tfjs";

/** How to build a model shaped as Keras's `keras.applications.MobileNet` (v1). */
export interface KerasMobileNetOptions {
  /** Keras's `alpha`: every layer's width times this. Default 0.25. */
  alpha?: number;
  /** Side of the square input (Keras offers 128, 160, 192, 224). Default 224. */
  inputSize?: number;
  /** Keep Keras's ImageNet top (pooling → reshape → dropout → 1×1 conv → softmax) with this many classes; 0: no top. Default 1000. */
  classes?: number;
  /** Seeds every initializer. Default 0. */
  seed?: number;
}

/** [filters, stride] of Keras MobileNet v1's 13 depthwise-separable blocks, before `alpha`. */
const V1_BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/**
 * A model with Keras MobileNet v1's layers, names and shapes — `input_1`, `conv1_pad`, `conv1`,
 * `conv1_bn`, `conv1_relu`, then per block `conv_pad_N` (stride 2 only), `conv_dw_N`, `_bn`, `_relu`,
 * `conv_pw_N`, `_bn`, `_relu`, then the top — with seeded weights instead of ImageNet's: what the
 * hosted `mobilenet_v1_0.25_224` looks like to a loader, small enough for tests and benchmarks.
 * image [N, size, size, 3] in [-1, 1] → probabilities [N, classes] (or features [N, size/32, size/32,
 * 1024·alpha] without a top). The caller disposes the model.
 */
export function kerasMobileNetV1({
  alpha = 0.25,
  inputSize = 224,
  classes = 1000,
  seed = 0,
}: KerasMobileNetOptions = {}): tf.LayersModel {
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`invalid alpha: ${alpha}; use a width in (0, 1], e.g. 0.25`);
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0)
    throw new Error(`invalid inputSize: ${inputSize}; use a multiple of 32 from 32 up, e.g. 224`);
  let s = seed * 1000;
  // He-normal keeps the activations' scale through 27 relu layers, so the top's outputs differ between images
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  const bn = (name: string) => tf.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  const pad = (name: string) =>
    tf.layers.zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
      name,
    });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
  const stem = Math.floor(32 * alpha);
  let x = apply(pad("conv1_pad"), input);
  x = apply(
    tf.layers.conv2d({
      filters: stem,
      kernelSize: 3,
      strides: 2,
      padding: "valid",
      useBias: false,
      kernelInitializer: init(),
      name: "conv1",
    }),
    x,
  );
  x = apply(relu6("conv1_relu"), apply(bn("conv1_bn"), x));
  V1_BLOCKS.forEach(([filters, strides], i) => {
    const n = i + 1;
    if (strides === 2) x = apply(pad(`conv_pad_${n}`), x);
    x = apply(
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: strides === 1 ? "same" : "valid",
        useBias: false,
        // He-normal over a depthwise filter's own 9 inputs (tfjs's heNormal would count every channel)
        depthwiseInitializer: tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / 9), seed: s++ }),
        name: `conv_dw_${n}`,
      }),
      x,
    );
    x = apply(relu6(`conv_dw_${n}_relu`), apply(bn(`conv_dw_${n}_bn`), x));
    x = apply(
      tf.layers.conv2d({
        filters: Math.floor(filters * alpha),
        kernelSize: 1,
        padding: "same",
        useBias: false,
        kernelInitializer: init(),
        name: `conv_pw_${n}`,
      }),
      x,
    );
    x = apply(relu6(`conv_pw_${n}_relu`), apply(bn(`conv_pw_${n}_bn`), x));
  });
  if (classes > 0) {
    const width = Math.floor(1024 * alpha);
    x = apply(tf.layers.globalAveragePooling2d({ name: "global_average_pooling2d_1" }), x);
    x = apply(tf.layers.reshape({ targetShape: [1, 1, width], name: "reshape_1" }), x);
    x = apply(tf.layers.dropout({ rate: 1e-3, name: "dropout" }), x);
    x = apply(
      tf.layers.conv2d({
        filters: classes,
        kernelSize: 1,
        padding: "same",
        // wide enough that the classes' probabilities differ clearly from image to image
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 20, seed: s++ }),
        name: "conv_preds",
      }),
      x,
    );
    x = apply(tf.layers.reshape({ targetShape: [classes], name: "reshape_2" }), x);
    x = apply(tf.layers.activation({ activation: "softmax", name: "act_softmax" }), x);
  }
  return tf.model({ inputs: input, outputs: x, name: `mobilenet_${alpha}_${inputSize}` });
}
