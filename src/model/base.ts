import * as tf from "@tensorflow/tfjs";
import { checkNormalization, pretrainStats, type Normalization } from "../data/normalize.js";
import { hashString } from "../random.js";

/** Widths and strides of the course base's depthwise-separable blocks (the README's model section says why). */
export const BASE_BLOCKS: readonly (readonly [number, number])[] = [
  [32, 1],
  [64, 2],
  [128, 1],
  [128, 2],
  [320, 1],
  [320, 2],
];

/** How the course's own base is built. */
export interface BaseArchitecture {
  /** Side of the square input images. Default 64. */
  inputSize?: number;
  /** Filters of the stem convolution (3×3, stride 2). Default 16. */
  stem?: number;
  /** [filters, stride] of each depthwise-separable block. Default BASE_BLOCKS. */
  blocks?: readonly (readonly [number, number])[];
  /** Batchnorm's moving-average momentum in tfjs terms (PyTorch's 0.1 is 0.9 here). Default 0.9. */
  momentum?: number;
  /** Seeds the initial weights. Default 0. */
  seed?: number;
}

/** What a learner needs to know about a base, beyond its layers. */
export interface BaseInfo {
  /** Shown in the lesson and the CLI. */
  name: string;
  /** Side of the square images the base expects. */
  inputSize: number;
  /** The statistics its inputs were normalised with. */
  normalization: Normalization;
  /** Name of the last layer of the body: the learner's head goes on its output. */
  cut: string;
  /** Classes of its own classifier, when known. */
  classes?: string[];
  /** What its layer names were recognised as (e.g. Keras MobileNet v1), when its settings came from them. */
  recognized?: string;
  /** Pretraining facts when it is the course's own base (seed, held-out accuracy, the command, seconds). */
  pretraining?: Record<string, unknown>;
}

/**
 * A base: its layers and (when pretrained) weights as plain data, never tensors, so any number of
 * learners can be made from one base and nothing needs disposing. `artifacts.weightData` is absent for
 * an architecture that was never trained.
 */
export interface Base {
  artifacts: tf.io.ModelArtifacts;
  info: BaseInfo;
}

/** The name of the last layer of the course base's body. */
export const BODY_OUTPUT = "body_out";

/**
 * The course base's body, seeded: [N, size, size, 3] → conv 3×3 s2 + batchnorm + relu → per block:
 * depthwise 3×3 + batchnorm + relu, pointwise 1×1 + batchnorm + relu → [N, size/32, size/32, last width].
 * The caller disposes the model.
 */
export function createBody({
  inputSize = 64,
  stem = 16,
  blocks = BASE_BLOCKS,
  momentum = 0.9,
  seed = 0,
}: BaseArchitecture = {}): tf.LayersModel {
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize > 512)
    throw new Error(`invalid inputSize: ${inputSize}; use an integer from 32 to 512, e.g. 64`);
  if (!(momentum > 0 && momentum < 1))
    throw new Error(`invalid momentum: ${momentum}; use a value in (0, 1), e.g. 0.9`);
  let s = seed * 1000;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "image" });
  const bn = (name: string) => tf.layers.batchNormalization({ momentum, epsilon: 1e-5, name });
  let x = tf.layers
    .conv2d({
      filters: stem,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      useBias: false,
      kernelInitializer: init(),
      name: "stem_conv",
    })
    .apply(input) as tf.SymbolicTensor;
  x = bn("stem_bn").apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: "stem_relu" }).apply(x) as tf.SymbolicTensor;
  blocks.forEach(([filters, strides], i) => {
    const b = `block${i + 1}`;
    x = tf.layers
      .depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: "same",
        useBias: false,
        depthwiseInitializer: init(),
        name: `${b}_dw`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = bn(`${b}_dw_bn`).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `${b}_dw_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: init(), name: `${b}_pw` })
      .apply(x) as tf.SymbolicTensor;
    x = bn(`${b}_pw_bn`).apply(x) as tf.SymbolicTensor;
    const last = i === blocks.length - 1;
    x = tf.layers.reLU({ name: last ? BODY_OUTPUT : `${b}_pw_relu` }).apply(x) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: input, outputs: x, name: "course_base" });
}

/** The course architecture without weights: `visionLearner(dls, {base, pretrained: false})` trains it from scratch. */
export function baseArchitecture(architecture: BaseArchitecture = {}): Base {
  const body = createBody(architecture);
  try {
    const modelTopology = body.toJSON(undefined, false) as tf.io.ModelJSON["modelTopology"];
    return {
      artifacts: { modelTopology, format: "layers-model" },
      info: {
        name: "course base (untrained)",
        inputSize: architecture.inputSize ?? 64,
        normalization: pretrainStats,
        cut: BODY_OUTPUT,
      },
    };
  } finally {
    body.dispose();
  }
}

/** Checks what a learner relies on in `info`; errors name the setting and the fix. */
export function checkBaseInfo(info: BaseInfo): void {
  if (!Number.isInteger(info.inputSize) || info.inputSize < 8)
    throw new Error(
      `invalid base inputSize: ${info.inputSize}; give the side of the square images the model expects, e.g. 224`,
    );
  if (typeof info.cut !== "string" || info.cut === "")
    throw new Error(
      `invalid base cut: ${JSON.stringify(info.cut)}; give the name of the layer whose output the head goes on`,
    );
  checkNormalization(info.normalization);
}

/** A copy of a layers topology whose initializers are seeded from `seed` (a fresh, reproducible random init). */
export function reseededTopology(
  topology: tf.io.ModelArtifacts["modelTopology"],
  seed: number,
): tf.io.ModelJSON["modelTopology"] {
  let count = 0;
  const visit = (value: unknown, key = ""): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v));
    if (value === null || typeof value !== "object") return value;
    const object = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
    if (key.endsWith("_initializer") && typeof object.config === "object" && object.config !== null) {
      object.config = { ...(object.config as object), seed: hashString(`init:${count++}`, seed) % 2 ** 31 };
    }
    return object;
  };
  return visit(topology) as tf.io.ModelJSON["modelTopology"];
}
