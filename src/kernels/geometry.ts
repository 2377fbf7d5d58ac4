import * as tf from "@tensorflow/tfjs";

/** The `pad` attr tfjs passes to the convolution (gradient) kernels: a mode, a number or explicit [before, after] per axis. */
export type ConvPad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/**
 * Throws unless `dataFormat` is NHWC (or absent, which tfjs treats as NHWC): the kernels here
 * lay tensors out channels-last only.
 */
export function assertChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat === undefined || dataFormat === "NHWC" || dataFormat === "channelsLast") return;
  throw new Error(
    `${kernel}: dataFormat ${JSON.stringify(dataFormat)} is not supported by the training kernels; ` +
      `use "NHWC" (channels last), or call unregisterTrainingKernels() to fall back to the stock kernel`,
  );
}

/** Throws unless `x` is float32: the kernels compute in float32 like the stock cpu ones. */
export function assertFloat32(kernel: string, name: string, x: tf.TensorInfo): void {
  if (x.dtype === "float32") return;
  throw new Error(`${kernel}: input ${name} has dtype ${x.dtype}; cast it to float32 first`);
}

/**
 * A kernel input as a Tensor, so tfjs ops can be called on it. Ops pass Tensors to kernels, so this is
 * usually `info` itself (not to be disposed: the caller of the kernel owns it). A bare TensorInfo gets
 * a new Tensor over the same data (no copy, the backend's reference count raised by one), tracked in
 * the current scope: the kernel's `tf.tidy` disposes it, which gives the reference back.
 */
export function asTensor<R extends tf.Rank = tf.Rank.R4>(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor<R>;
}

/**
 * Pads (positive amounts, with zeros) or crops (negative amounts) each axis of `x` by
 * `[before, after]` from `amounts` (one pair per axis): size d → d + before + after. Returns `x` itself
 * when every amount is 0; otherwise a new tensor that the caller (or its tidy) disposes.
 */
export function padOrCropAxes<T extends tf.Tensor>(x: T, amounts: readonly (readonly [number, number])[]): T {
  if (amounts.length !== x.rank)
    throw new Error(
      `padOrCropAxes: ${amounts.length} [before, after] pairs for a rank-${x.rank} tensor; give one per axis`,
    );
  let out: tf.Tensor = x;
  if (amounts.some(([b, a]) => b < 0 || a < 0)) {
    const begin = amounts.map(([b]) => Math.max(0, -b));
    const size = amounts.map(([b, a], i) => x.shape[i]! - Math.max(0, -b) - Math.max(0, -a));
    if (size.some((d) => d <= 0)) {
      throw new Error(`padOrCropAxes: cropping ${JSON.stringify(amounts)} leaves nothing of shape [${x.shape}]`);
    }
    out = tf.slice(out, begin, size);
  }
  if (amounts.some(([b, a]) => b > 0 || a > 0)) {
    out = tf.pad(
      out,
      amounts.map(([b, a]) => [Math.max(0, b), Math.max(0, a)] as [number, number]),
    );
  }
  return out as T;
}

/**
 * {@link padOrCropAxes} for the height and width axes of an NHWC tensor:
 * `[N, H, W, C]` → `[N, H + top + bottom, W + left + right, C]`.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  [top, bottom]: [number, number],
  [left, right]: [number, number],
): tf.Tensor4D {
  return padOrCropAxes(x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
}

/**
 * {@link padOrCrop} split in two for a conv that pads by itself: `x` with the negative amounts
 * cropped off, and the positive ones as the conv's explicit padding (so the padded copy is never
 * made). `x` itself comes back when nothing is cropped.
 */
export function cropForConv(
  x: tf.Tensor4D,
  [top, bottom]: [number, number],
  [left, right]: [number, number],
): { x: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const p = (v: number): number => Math.max(0, v);
  const cropped = padOrCrop(x, [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)]);
  return {
    x: cropped,
    pad: [
      [0, 0],
      [p(top), p(bottom)],
      [p(left), p(right)],
      [0, 0],
    ],
  };
}

/**
 * A filter [fh, fw, …] with `dh − 1` zero rows between its rows and `dw − 1` zero columns between its
 * columns: [(fh − 1)·dh + 1, (fw − 1)·dw + 1, …], the same filter for a dilation-1 conv. Returns `f`
 * itself for dilations 1; otherwise a new tensor.
 */
export function dilateFilter(f: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  if (dh === 1 && dw === 1) return f;
  const [fh, fw, a, b] = f.shape;
  const spread = tf.pad(tf.reshape(f, [fh, 1, fw, 1, a, b]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  return tf.slice(
    tf.reshape(spread, [fh * dh, fw * dw, a, b]),
    [0, 0, 0, 0],
    [(fh - 1) * dh + 1, (fw - 1) * dw + 1, a, b],
  ) as tf.Tensor4D;
}
