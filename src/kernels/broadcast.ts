import * as tf from "@tensorflow/tfjs";

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
  if (stock === undefined) {
    return () => {
      throw new Error(`${kernelName}: the stock cpu kernel is missing; is @tensorflow/tfjs-backend-cpu loaded?`);
    };
  }
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
