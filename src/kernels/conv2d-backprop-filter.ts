import * as tf from "@tensorflow/tfjs";
import { asTensor, assertChannelsLast, assertFloat32, cropForConv, type ConvPad } from "./geometry.js";

/**
 * `Conv2DBackpropFilter` (NHWC): the gradient of conv2d with respect to its filter.
 * Inputs `x` [N, H, W, C] and `dy` [N, oH, oW, K]; attrs as tfjs passes them (strides, pad incl.
 * explicit and numeric, dimRoundingMode, filterShape [fh, fw, C, K]); returns dW [fh, fw, C, K].
 *
 * dW[i, j, c, k] = Σ_{n, p, q} x[n, p·sH + i − top, q·sW + j − left, c] · dy[n, p, q, k], computed with
 * the active backend's own ops. A 1×1 filter is one matMul x^T [C, N·oH·oW] · dy [N·oH·oW, K] (x taken at
 * the strided pixels by a depthwise conv with ones). Any other is one forward conv2d of x^T
 * [C, H, W, N] (batch and channels swapped) against dy^T [oH, oW, N, K] used as the filter, with the
 * forward stride as its dilation and the forward padding (adjusted to give exactly fh × fw outputs)
 * as its explicit padding → [C, fh, fw, K], transposed to [fh, fw, C, K]. Intermediates are
 * disposed; the returned tensor is the kernel output, owned by the engine like any kernel output.
 */
export function conv2DBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: tf.Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  assertChannelsLast("Conv2DBackpropFilter", dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad as ConvPad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const {
    batchSize: n,
    inChannels: c,
    outChannels: k,
    outHeight: oh,
    outWidth: ow,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  if (dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== k || dy.shape[0] !== n) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}], but x [${x.shape}] with these attrs gives [${info.outShape}]`,
    );
  }
  return tf.tidy(() => {
    if (fh === 1 && fw === 1) {
      // x at the pixels the filter sees: x itself, or (stride 2, padding) a depthwise conv with a
      // filter of ones, which strides and pads as the forward conv did (wasm's strided slice is slow)
      const plain =
        sh === 1 && sw === 1 && padInfo.top === 0 && padInfo.left === 0 && oh === info.inHeight && ow === info.inWidth;
      const xs = plain
        ? x
        : tf.depthwiseConv2d(
            x,
            tf.ones([1, 1, c, 1]) as tf.Tensor4D,
            [sh, sw],
            pad as ConvPad,
            "NHWC",
            1,
            dimRoundingMode,
          );
      // x^T explicitly: wasm's matMul is fast only without transpose flags
      const dW = tf.matMul(tf.transpose(tf.reshape(xs, [n * oh * ow, c])), tf.reshape(dy, [n * oh * ow, k])); // [C, K]
      return tf.reshape(dW, [1, 1, c, k]);
    }
    // x padded (or cropped) so that exactly the rows/columns the windows touch remain:
    // height (oH − 1)·sH + fh, starting at −top; the padding is left to the conv
    const hp = (oh - 1) * sh + fh;
    const wp = (ow - 1) * sw + fw;
    const fitted = cropForConv(
      x,
      [padInfo.top, hp - info.inHeight - padInfo.top],
      [padInfo.left, wp - info.inWidth - padInfo.left],
    );
    const xT = tf.transpose(fitted.x, [3, 1, 2, 0]); // [C, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oH, oW, N, K]
    const dWT = tf.conv2d(xT, dyT, 1, fitted.pad, "NHWC", [sh, sw]); // [C, fh, fw, K]
    return tf.transpose(dWT, [1, 2, 0, 3]);
  });
}

/** A kernelFunc for `Conv2DBackpropFilter` on whatever backend it is registered for. */
export const conv2DBackpropFilterKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as tf.Conv2DBackpropFilterInputs;
  assertFloat32("Conv2DBackpropFilter", "x", x!);
  assertFloat32("Conv2DBackpropFilter", "dy", dy!);
  const b = backend as tf.KernelBackend;
  const typedAttrs = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() => conv2DBackpropFilter(asTensor(x!, b), asTensor(dy!, b), typedAttrs));
};
