import * as tf from "@tensorflow/tfjs";
import { asTensor } from "./geometry.js";

/**
 * A `BatchMatMul` kernelFunc for wasm, wrapping the stock kernel `stock`: with transposeA or transposeB
 * (what every dense layer's gradient asks for: x^T·dy and dy·W^T), transposes the operand explicitly
 * and multiplies untransposed, since the stock kernel's untransposed path is the fast one. a·bᵀ with
 * b more than twice a's size is computed as (b·aᵀ)ᵀ, which transposes the two small tensors instead.
 * Untransposed products go straight to `stock`. The inputs stay the caller's; the transposes (and any
 * wrappers over bare TensorInfos) are disposed by the kernel's tidy; the product goes to the engine.
 * Throws when there is no stock kernel to wrap. Why: docs/kernels.md.
 */
export function transposedMatMulKernel(stock: tf.KernelConfig | undefined): tf.KernelFunc {
  if (stock === undefined) throw new Error("BatchMatMul: no stock kernel to wrap");
  return (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stock.kernelFunc(args);
    const backend = args.backend as tf.KernelBackend;
    return tf.tidy(() => {
      const swapLast = (t: tf.Tensor) =>
        tf.transpose(
          t,
          [...t.shape.keys()].map((i, _, all) =>
            i < all.length - 2 ? i : i === all.length - 2 ? all.length - 1 : all.length - 2,
          ),
        );
      let [at, bt] = [asTensor<tf.Rank>(a, backend), asTensor<tf.Rank>(b, backend)];
      // a·bᵀ with a big b (a dense layer's dy·Wᵀ): (b·aᵀ)ᵀ transposes two small tensors instead of W
      if (!transposeA && bt.size > 2 * at.size) return swapLast(tf.matMul(bt, swapLast(at)));
      if (transposeA) at = swapLast(at);
      if (transposeB) bt = swapLast(bt);
      return tf.matMul(at, bt);
    });
  };
}
