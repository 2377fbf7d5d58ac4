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

/** Refuses a width or an input size Keras's MobileNets do not take; `usual` is the alpha to suggest. */
function checkOptions(alpha: number, inputSize: number, usual: number): void {
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`invalid alpha: ${alpha}; use a width in (0, 1], e.g. ${usual}`);
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0)
    throw new Error(`invalid inputSize: ${inputSize}; use a multiple of 32 from 32 up, e.g. 224`);
}

/** The one-pixel bottom-right zero padding Keras's MobileNets put before a stride-2 3×3 convolution. */
function padBottomRight(name: string): tf.layers.Layer {
  return tf.layers.zeroPadding2d({
    padding: [
      [0, 1],
      [0, 1],
    ],
    name,
  });
}

/** A MobileNet block's 3×3 depthwise convolution ("valid" after padBottomRight at stride 2). */
function depthwise(strides: number, seed: number, name: string): tf.layers.Layer {
  return tf.layers.depthwiseConv2d({
    kernelSize: 3,
    strides,
    padding: strides === 1 ? "same" : "valid",
    useBias: false,
    // He-normal over a depthwise filter's own 9 inputs (tfjs's heNormal would count every channel)
    depthwiseInitializer: tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / 9), seed }),
    name,
  });
}

/** `layer` on `x`, in a graph being built. */
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;

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
  checkOptions(alpha, inputSize, 0.25);
  let s = seed * 1000;
  // He-normal keeps the activations' scale through 27 relu layers, so the top's outputs differ between images
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const bn = (name: string) => tf.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
  const stem = Math.floor(32 * alpha);
  let x = apply(padBottomRight("conv1_pad"), input);
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
    if (strides === 2) x = apply(padBottomRight(`conv_pad_${n}`), x);
    x = apply(depthwise(strides, s++, `conv_dw_${n}`), x);
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

/** [filters, stride] of Keras MobileNet v2's 17 inverted-residual blocks (expansion 6 but block 0's 1), before `alpha`. */
const V2_BLOCKS: readonly (readonly [number, number])[] = [
  [16, 1],
  [24, 2],
  [24, 1],
  [32, 2],
  [32, 1],
  [32, 1],
  [64, 2],
  [64, 1],
  [64, 1],
  [64, 1],
  [96, 1],
  [96, 1],
  [96, 1],
  [160, 2],
  [160, 1],
  [160, 1],
  [320, 1],
];

/** Keras's `_make_divisible(v, 8)`: the nearest multiple of 8, not below 8 nor 10 % below v. */
function divisible(v: number): number {
  const rounded = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return rounded < 0.9 * v ? rounded + 8 : rounded;
}

/**
 * A model with Keras MobileNet v2's layers, names and shapes (`keras.applications.MobileNetV2`) —
 * `Conv1`, `bn_Conv1`, `Conv1_relu`, `expanded_conv_*`, then `block_N_expand`, `_expand_BN`,
 * `_expand_relu`, `block_N_pad` (stride 2), `_depthwise`, `_depthwise_BN`, `_depthwise_relu`,
 * `_project`, `_project_BN` and `block_N_add` where the block keeps its width, then `Conv_1`,
 * `Conv_1_bn`, `out_relu` and, with `classes`, the top — with seeded weights: what Teachable Machine's
 * hosted base (alpha 0.35, 224, no top) looks like to a loader. image [N, size, size, 3] in [-1, 1] →
 * probabilities [N, classes] (or features [N, size/32, size/32, 1280] without a top). Default alpha
 * 0.35. The caller disposes the model.
 */
export function kerasMobileNetV2(options: KerasMobileNetOptions = {}): tf.LayersModel {
  const { alpha = 0.35, inputSize = 224, classes = 1000, seed = 0 } = options;
  checkOptions(alpha, inputSize, 0.35);
  let s = seed * 1000 + 500;
  const bn = (name: string) => tf.layers.batchNormalization({ axis: -1, momentum: 0.999, epsilon: 1e-3, name });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  const conv = (filters: number, kernelSize: number, strides: number, name: string) =>
    tf.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: "same",
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: s++ }),
      name,
    });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
  let channels = divisible(32 * alpha);
  let x = apply(relu6("Conv1_relu"), apply(bn("bn_Conv1"), apply(conv(channels, 3, 2, "Conv1"), input)));
  V2_BLOCKS.forEach(([filters, strides], n) => {
    const prefix = n === 0 ? "expanded_conv_" : `block_${n}_`;
    const out = divisible(filters * alpha);
    let y = x;
    if (n > 0) {
      y = apply(conv(channels * 6, 1, 1, `${prefix}expand`), y);
      y = apply(relu6(`${prefix}expand_relu`), apply(bn(`${prefix}expand_BN`), y));
    }
    if (strides === 2) y = apply(padBottomRight(`${prefix}pad`), y);
    y = apply(depthwise(strides, s++, `${prefix}depthwise`), y);
    y = apply(relu6(`${prefix}depthwise_relu`), apply(bn(`${prefix}depthwise_BN`), y));
    y = apply(bn(`${prefix}project_BN`), apply(conv(out, 1, 1, `${prefix}project`), y));
    x =
      strides === 1 && channels === out
        ? (tf.layers.add({ name: `${prefix}add` }).apply([x, y]) as tf.SymbolicTensor)
        : y;
    channels = out;
  });
  const last = alpha > 1 ? divisible(1280 * alpha) : 1280;
  x = apply(relu6("out_relu"), apply(bn("Conv_1_bn"), apply(conv(last, 1, 1, "Conv_1"), x)));
  if (classes > 0) {
    x = apply(tf.layers.globalAveragePooling2d({ name: "global_average_pooling2d" }), x);
    x = apply(
      tf.layers.dense({
        units: classes,
        activation: "softmax",
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 20 / Math.sqrt(last), seed: s++ }),
        name: "predictions",
      }),
      x,
    );
  }
  return tf.model({ inputs: input, outputs: x, name: `mobilenetv2_${alpha.toFixed(2)}_${inputSize}` });
}
