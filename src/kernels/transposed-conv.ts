import * as tf from "@tensorflow/tfjs";
import { cropForConv, dilateFilter, padOrCrop, padOrCropAxes } from "./geometry.js";

/**
 * How one spatial axis of a stride-s transposed convolution (the input gradient of a conv) splits
 * into s phases. Output row h of dx (h + top = s·p + i for dy row p and filter tap i) has phase
 * b = h mod s and v = ⌊h / s⌋; then dx[s·v + b] = Σ_t dy[v − t] · f[s·t + b + top] over t in
 * [tMin, tMax], a stride-1 correlation of dy with one T-tap sub-filter per phase.
 */
export interface PhasePlan {
  stride: number;
  tMin: number;
  tMax: number;
  /** Taps per phase: tMax − tMin + 1. */
  taps: number;
  /** Pad (+) or crop (−) of the filter axis so it runs from tap s·tMin + top, s·taps long. */
  filterBefore: number;
  filterAfter: number;
  /** Pad (+) or crop (−) of dy's axis so a valid correlation gives `phases` rows. */
  dyBefore: number;
  dyAfter: number;
  /** Rows per phase, ⌈H / s⌉; the s·phases rows are then cropped to H. */
  phases: number;
  crop: number;
}

/**
 * The {@link PhasePlan} of one axis: input size `inSize` (H), output size `outSize` (oH), filter size
 * `filterSize` (dilation already applied), stride, and the forward conv's padding before (top).
 */
export function phasePlan(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  padBefore: number,
): PhasePlan {
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let b = 0; b < stride; b++) {
    const lo = Math.ceil(-(b + padBefore) / stride);
    const hi = Math.floor((filterSize - 1 - b - padBefore) / stride);
    if (lo <= hi) {
      tMin = Math.min(tMin, lo);
      tMax = Math.max(tMax, hi);
    }
  }
  const taps = tMax - tMin + 1;
  const first = stride * tMin + padBefore;
  const phases = Math.ceil(inSize / stride);
  return {
    stride,
    tMin,
    tMax,
    taps,
    filterBefore: -first,
    filterAfter: first + stride * taps - filterSize,
    dyBefore: tMax,
    dyAfter: phases - tMin - outSize,
    phases,
    crop: stride * phases - inSize,
  };
}

/**
 * dx [N, H, W, C] of a conv2d (filter [fh, fw, C, K], dy [N, oH, oW, K]) or, with `depthwise`, of a
 * depthwise conv (filter [fh, fw, C, M], dy [N, oH, oW, C·M]) described by `info`, as ONE stride-1
 * conv of dy (padded by tMax) against a phase filter that holds every phase's rotated sub-filter
 * as extra output channels — [T, U, K, sH·sW·C] (depthwise: [T, U, C·M, sH·sW], a channel multiplier)
 * — then the phases interleaved by a transpose ("sub-pixel" transposed conv). Unlike inserting zeros
 * into dy, it multiplies no zeros and needs no strided copies. Dilation is folded into the filter.
 * Call inside a tidy: intermediates are left to it; returns a new tensor.
 */
export function transposedConvByPhases(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  depthwise: boolean,
): tf.Tensor4D {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: oh,
    outWidth: ow,
    strideHeight: sh,
    strideWidth: sw,
    padInfo,
  } = info;
  const f = dilateFilter(filter, info.dilationHeight, info.dilationWidth);
  const [fh, fw, , x] = f.shape; // x: K, or the channel multiplier M
  const rows = phasePlan(h, oh, fh, sh, padInfo.top);
  const cols = phasePlan(w, ow, fw, sw, padInfo.left);
  const [t, u] = [rows.taps, cols.taps];
  const fitted = padOrCropAxes(f, [
    [rows.filterBefore, rows.filterAfter],
    [cols.filterBefore, cols.filterAfter],
    [0, 0],
    [0, 0],
  ]);
  const split = tf.reshape(fitted, [t, sh, u, sw, c, x]); // [t − tMin, b, u − uMin, b', c, k|m]
  const phaseFilter = depthwise
    ? tf.reshape(tf.transpose(split, [0, 2, 4, 5, 1, 3]), [t, u, c * x, sh * sw]) // channel c·M + m, multiplier b·sW + b'
    : tf.reshape(tf.transpose(split, [0, 2, 5, 1, 3, 4]), [t, u, x, sh * sw * c]); // out channel (b·sW + b')·C + c
  const rotated = tf.reverse(phaseFilter, [0, 1]) as tf.Tensor4D;
  const fittedDy = cropForConv(dy, [rows.dyBefore, rows.dyAfter], [cols.dyBefore, cols.dyAfter]);
  const [v, vw] = [rows.phases, cols.phases];
  let byPhase: tf.Tensor;
  if (depthwise) {
    const out = tf.depthwiseConv2d(fittedDy.x, rotated, 1, fittedDy.pad); // [N, V, V', (c·M + m)·sH·sW + b·sW + b']
    const perChannel = tf.reshape(out, [n, v, vw, c, x, sh, sw]);
    const summed = x === 1 ? tf.reshape(perChannel, [n, v, vw, c, sh, sw]) : tf.sum(perChannel, 4);
    byPhase = sh === 1 && sw === 1 ? summed : tf.transpose(summed, [0, 1, 4, 2, 5, 3]); // [N, V, b, V', b', C]
  } else {
    const out = tf.conv2d(fittedDy.x, rotated, 1, fittedDy.pad); // [N, V, V', (b·sW + b')·C + c]
    byPhase = sh === 1 && sw === 1 ? out : tf.transpose(tf.reshape(out, [n, v, vw, sh, sw, c]), [0, 1, 3, 2, 4, 5]);
  }
  const interleaved = tf.reshape(byPhase, [n, v * sh, vw * sw, c]) as tf.Tensor4D;
  return padOrCrop(interleaved, [0, -rows.crop], [0, -cols.crop]);
}
