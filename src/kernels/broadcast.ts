import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./geometry.js";

/** A kernelFunc that says which stock kernel is missing (its backend package was not loaded). */
function missingStock(kernelName: string, backend: "cpu" | "wasm"): tf.KernelFunc {
  return () => {
    throw new Error(
      `${kernelName}: the stock ${backend} kernel is missing; is @tensorflow/tfjs-backend-${backend} loaded?`,
    );
  };
}

/** `shape` without its leading 1s: [1, 1, 1, C] → [C]. */
function withoutLeadingOnes(shape: readonly number[]): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** Whether `shape` is the trailing part of `outShape` ([C] of [N, H, W, C]). */
function isSuffixOf(shape: readonly number[], outShape: readonly number[]): boolean {
  return shape.every((d, i) => d === outShape[outShape.length - shape.length + i]);
}

/**
 * Wraps a cpu binary kernel (Multiply, Sub, Add, RealDiv, SquaredDifference): an operand shaped
 * like [1, 1, 1, C] against [N, H, W, C] is passed on as [C] (the same data). cpu's binary kernels
 * have a fast loop for operands that repeat along the leading axes ([C] against [N, H, W, C]) and
 * compute a multi-index per element for any other broadcast, ~8× slower — which batchnorm's
 * gradient hits with every [1, 1, 1, C] statistic. Same kernel, same arithmetic, same result (with
 * the broadcast output shape, which the trimmed operands alone may not have).
 */
export function suffixBroadcastKernel(stock: tf.KernelConfig | undefined, kernelName: string): tf.KernelFunc {
  if (stock === undefined) return missingStock(kernelName, "cpu");
  return (args) => {
    const { a, b } = args.inputs as unknown as tf.BinaryInputs;
    if (a!.dtype === "complex64" || b!.dtype === "complex64" || a!.dtype === "string") return stock.kernelFunc(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    const fit = (x: tf.TensorInfo): tf.TensorInfo => {
      const trimmed = withoutLeadingOnes(x.shape);
      return trimmed.length < x.shape.length && isSuffixOf(trimmed, outShape)
        ? { dataId: x.dataId, shape: trimmed, dtype: x.dtype }
        : x;
    };
    const [a2, b2] = [fit(a!), fit(b!)];
    if (a2 === a && b2 === b) return stock.kernelFunc(args);
    // the output is [..., C] too when both operands lost their leading 1s; give it back its rank
    const out = stock.kernelFunc({ ...args, inputs: { a: a2, b: b2 } }) as tf.TensorInfo;
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  };
}

/**
 * Wraps a wasm binary kernel whose broadcast loop is slow (Equal, NotEqual, Greater, GreaterEqual,
 * Less, LessEqual, Maximum, Minimum): wasm runs them elementwise for operands of the same shape or
 * against a single value, but indexes element by element for any other broadcast, ~18× slower. The
 * global max pool's gradient hits that with Equal(x [N, H, W, C], max [N, 1, 1, C]) every training
 * step. A broadcast operand (float32 or int32, more than one value) is first tiled to the output
 * shape (a broadcasting multiply by ones, exact), then the stock kernel runs on equal shapes. The
 * tiled copies are disposed here; the result is the stock kernel's output.
 */
export function tiledBroadcastKernel(stock: tf.KernelConfig | undefined, kernelName: string): tf.KernelFunc {
  if (stock === undefined) return missingStock(kernelName, "wasm");
  return (args) => {
    const { a, b } = args.inputs as unknown as tf.BinaryInputs;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    const needsTile = (x: tf.TensorInfo): boolean =>
      tf.util.sizeFromShape(x.shape) > 1 && !tf.util.arraysEqual(x.shape, outShape);
    const numeric = (x: tf.TensorInfo): boolean => x.dtype === "float32" || x.dtype === "int32";
    if (!(needsTile(a!) || needsTile(b!)) || !numeric(a!) || !numeric(b!)) return stock.kernelFunc(args);
    const backend = args.backend as tf.KernelBackend;
    const tiled: tf.Tensor[] = [];
    const full = (x: tf.TensorInfo): tf.TensorInfo => {
      if (!needsTile(x)) return x;
      const shape = [...new Array<number>(outShape.length - x.shape.length).fill(1), ...x.shape];
      const t = tf.tidy(() =>
        tf.tile(
          tf.reshape(asTensor(x, backend), shape),
          outShape.map((d, i) => d / shape[i]!),
        ),
      );
      tiled.push(t);
      return t;
    };
    try {
      return stock.kernelFunc({ ...args, inputs: { a: full(a!), b: full(b!) } });
    } finally {
      tf.dispose(tiled);
    }
  };
}
