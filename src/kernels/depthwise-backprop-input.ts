import * as tf from "@tensorflow/tfjs";
import { asTensor, assertFloat32, type ConvPad } from "./geometry.js";
import { transposedConvByPhases } from "./transposed-conv.js";

/**
 * `DepthwiseConv2dNativeBackpropInput` (NHWC): the gradient of a depthwise conv with respect to its
 * input. Inputs `dy` [N, oH, oW, C·M] and `filter` [fh, fw, C, M]; attrs strides, dilations, pad (incl.
 * explicit and numeric), dimRoundingMode, inputShape [N, H, W, C]; returns dx [N, H, W, C]:
 *
 * dx[n, h, w, c] = Σ_{i, j, m; p·sH + i·dH − top = h, q·sW + j·dW − left = w} dy[n, p, q, c·M + m] · f[i, j, c, m],
 *
 * a stride-1 depthwise conv of dy against the rotated filter split into stride² phases (as a channel
 * multiplier), summed over M ({@link transposedConvByPhases}). Intermediates are disposed; the result
 * is the kernel output.
 */
export function depthwiseConv2dNativeBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs,
): tf.Tensor4D {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    dilations,
    pad as ConvPad,
    dimRoundingMode,
    true,
  );
  const { batchSize: n, outChannels, outHeight: oh, outWidth: ow } = info;
  if (dy.shape[0] !== n || dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== outChannels) {
    throw new Error(
      `DepthwiseConv2dNativeBackpropInput: dy has shape [${dy.shape}], but inputShape [${inputShape}] with these attrs gives [${info.outShape}]`,
    );
  }
  return tf.tidy(() => transposedConvByPhases(dy, filter, info, true));
}

/** A kernelFunc for `DepthwiseConv2dNativeBackpropInput` on whatever backend it is registered for. */
export const depthwiseConv2dNativeBackpropInputKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as tf.DepthwiseConv2dNativeBackpropInputInputs;
  assertFloat32("DepthwiseConv2dNativeBackpropInput", "dy", dy!);
  assertFloat32("DepthwiseConv2dNativeBackpropInput", "filter", filter!);
  const b = backend as tf.KernelBackend;
  const typedAttrs = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => depthwiseConv2dNativeBackpropInput(asTensor(dy!, b), asTensor(filter!, b), typedAttrs));
};
