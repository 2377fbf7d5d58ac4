import * as tf from "@tensorflow/tfjs";
import { asTensor, assertFloat32, cropForConv, type ConvPad } from "./geometry.js";

/**
 * `DepthwiseConv2dNativeBackpropFilter` (NHWC): the gradient of a depthwise conv with respect to its
 * filter. Inputs `x` [N, H, W, C] and `dy` [N, oH, oW, C·M]; attrs strides, dilations, pad (incl.
 * explicit and numeric), dimRoundingMode, filterShape [fh, fw, C, M]; returns dW [fh, fw, C, M]:
 *
 * dW[i, j, c, m] = Σ_{n, p, q} x[n, p·sH + i·dH − top, q·sW + j·dW − left, c] · dy[n, p, q, c·M + m],
 *
 * computed as ONE depthwise conv of x seen as a single image with N·C channels [1, H, W, N·C] against
 * dy as its filter [oH, oW, N·C, M] (the forward stride as dilation, the forward dilation as stride,
 * padding adjusted to give exactly fh × fw outputs) → [1, fh, fw, N·C·M], summed over N.
 * Intermediates are disposed; the result is the kernel output.
 */
export function depthwiseConv2dNativeBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    dilations,
    pad as ConvPad,
    dimRoundingMode,
    true,
  );
  const {
    batchSize: n,
    inChannels: c,
    outChannels,
    outHeight: oh,
    outWidth: ow,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  const m = outChannels / c;
  if (dy.shape[0] !== n || dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== outChannels) {
    throw new Error(
      `DepthwiseConv2dNativeBackpropFilter: dy has shape [${dy.shape}], but x [${x.shape}] with these attrs gives [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    // the rows/columns the windows touch: height (oH − 1)·sH + (fh − 1)·dH + 1, starting at −top
    const hp = (oh - 1) * sh + (fh - 1) * dh + 1;
    const wp = (ow - 1) * sw + (fw - 1) * dw + 1;
    const fitted = cropForConv(
      x,
      [padInfo.top, hp - info.inHeight - padInfo.top],
      [padInfo.left, wp - info.inWidth - padInfo.left],
    );
    const [, h, w] = fitted.x.shape;
    const image = tf.reshape(tf.transpose(fitted.x, [1, 2, 0, 3]), [1, h, w, n * c]); // channel n·C + c
    const filter = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, m]); // [p, q, n·C + c, m]
    // out[0, i, j, (n·C + c)·M + m] = Σ_{p,q} image[0, i·dH + p·sH, j·dW + q·sW, n·C + c] · filter[p, q, n·C + c, m]:
    // the forward dilation is this conv's stride and the forward stride its dilation
    const out = tf.depthwiseConv2d(image as tf.Tensor4D, filter as tf.Tensor4D, [dh, dw], fitted.pad, "NHWC", [sh, sw]); // [1, fh, fw, N·C·M]
    return tf.sum(tf.reshape(out, [fh, fw, n, c, m]), 2);
  });
}

/** A kernelFunc for `DepthwiseConv2dNativeBackpropFilter` on whatever backend it is registered for. */
export const depthwiseConv2dNativeBackpropFilterKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as tf.DepthwiseConv2dNativeBackpropFilterInputs;
  assertFloat32("DepthwiseConv2dNativeBackpropFilter", "x", x!);
  assertFloat32("DepthwiseConv2dNativeBackpropFilter", "dy", dy!);
  const b = backend as tf.KernelBackend;
  const typedAttrs = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  return tf.tidy(() => depthwiseConv2dNativeBackpropFilter(asTensor(x!, b), asTensor(dy!, b), typedAttrs));
};
