import type * as tf from "@tensorflow/tfjs";
import type { Normalization } from "../data/normalize.js";
import { IMAGENET_CLASSES } from "./imagenet-classes.js";

/** Keras's `preprocess_input` for MobileNets: x / 127.5 − 1, i.e. mean 0.5 and std 0.5 on [0, 1]. */
export const MINUS_ONE_TO_ONE: Normalization = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** A model family recognised by its layer names, and the conventions that come with it. */
export interface Recognized {
  /** e.g. "Keras MobileNet v1 (alpha 0.25)". */
  family: string;
  /** The body's last layer: the head goes on its output. */
  cut: string;
  /** Side of its square input. */
  inputSize: number;
  normalization: Normalization;
  /** ImageNet's classes when the model keeps Keras's 1,000-class top. */
  classes?: string[];
}

/**
 * Recognises Keras's MobileNet v1 (`conv1`, `conv_dw_1` … `conv_pw_13_relu`) and v2 (`Conv1`,
 * `bn_Conv1`, `block_N_…`, `out_relu`) by their layer names, as `keras.applications` names them and the
 * tfjs converter keeps them. Null for anything else.
 */
export function recognizeBase(model: tf.LayersModel): Recognized | null {
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  const inputSize = model.inputs[0]!.shape[1];
  if (inputSize == null || inputSize !== model.inputs[0]!.shape[2]) return null;
  const v1Cut = [...layers.keys()].filter((n) => /^conv_pw_\d+_relu$/.test(n)).at(-1);
  let family: string;
  let cut: string;
  /** A layer whose width is `base` × alpha. */
  let widthOf: [string, number];
  if (layers.has("conv1") && layers.has("conv_dw_1") && v1Cut !== undefined) {
    family = "Keras MobileNet v1";
    cut = v1Cut;
    widthOf = ["conv1", 32];
  } else if (layers.has("Conv1") && layers.has("bn_Conv1") && layers.has("out_relu")) {
    family = "Keras MobileNet v2";
    cut = "out_relu";
    widthOf = ["block_16_project", 320];
  } else {
    return null;
  }
  const width = layers.get(widthOf[0])?.getConfig().filters;
  const alpha = typeof width === "number" ? ` (alpha ${Math.round((width / widthOf[1]) * 100) / 100})` : "";
  const outputs = model.outputs[0]!.shape;
  const hasTop = outputs.length === 2 && outputs[1] === IMAGENET_CLASSES.length && model.outputLayers[0]!.name !== cut;
  return {
    family: family + alpha,
    cut,
    inputSize,
    normalization: MINUS_ONE_TO_ONE,
    ...(hasTop ? { classes: [...IMAGENET_CLASSES] } : {}),
  };
}

/** One line for a learner: what was recognised and what that decides. */
export function describeRecognized({ family, cut, inputSize, classes }: Recognized): string {
  const top = classes ? `, its ImageNet top kept for top-5 labels` : "";
  return `${family}: ${inputSize}×${inputSize} inputs scaled to [-1, 1], the head goes on ${cut}${top}`;
}
