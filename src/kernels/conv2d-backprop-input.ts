import * as tf from "@tensorflow/tfjs";
import { asTensor, assertChannelsLast, assertFloat32, type ConvPad } from "./geometry.js";
import { transposedConvByPhases } from "./transposed-conv.js";

/**
 * `Conv2DBackpropInput` (NHWC): the gradient of conv2d with respect to its input (conv2dTranspose).
 * Inputs `dy` [N, oH, oW, K] and `filter` [fh, fw, C, K]; attrs strides, pad (incl. explicit and
 * numeric), dimRoundingMode, inputShape [N, H, W, C]; returns dx [N, H, W, C]:
 *
 * dx[n, h, w, c] = Σ_{i, j, k; p·sH + i − top = h, q·sW + j − left = w} dy[n, p, q, k] · f[i, j, c, k].
 *
 * A 1×1 filter at stride 1 without padding is one matMul dy [N·H·W, K] · f^T [K, C]; any other is a
 * stride-1 conv2d of dy against the rotated filter split into stride² phases
 * ({@link transposedConvByPhases}). Intermediates are disposed; the result is the kernel output.
 */
export function conv2DBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: tf.Conv2DBackpropInputAttrs,
): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  assertChannelsLast("Conv2DBackpropInput", dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    1,
    pad as ConvPad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const { batchSize: n, inChannels: c, inHeight: h, inWidth: w, outChannels: k, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  if (dy.shape[0] !== n || dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== k) {
    throw new Error(
      `Conv2DBackpropInput: dy has shape [${dy.shape}], but inputShape [${inputShape}] with these attrs gives [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    if (
      fh === 1 &&
      fw === 1 &&
      sh === 1 &&
      sw === 1 &&
      oh === h &&
      ow === w &&
      padInfo.top === 0 &&
      padInfo.left === 0
    ) {
      // f^T explicitly: wasm's matMul is fast only without transpose flags
      const dx = tf.matMul(tf.reshape(dy, [n * h * w, k]), tf.transpose(tf.reshape(filter, [c, k]))); // [N·H·W, C]
      return tf.reshape(dx, [n, h, w, c]);
    }
    return transposedConvByPhases(dy, filter, info, false);
  });
}

/** A kernelFunc for `Conv2DBackpropInput` on whatever backend it is registered for. */
export const conv2DBackpropInputKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as tf.Conv2DBackpropInputInputs;
  assertFloat32("Conv2DBackpropInput", "dy", dy!);
  assertFloat32("Conv2DBackpropInput", "filter", filter!);
  const b = backend as tf.KernelBackend;
  const typedAttrs = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return tf.tidy(() => conv2DBackpropInput(asTensor(dy!, b), asTensor(filter!, b), typedAttrs));
};
