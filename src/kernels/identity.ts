import type * as tf from "@tensorflow/tfjs";

/**
 * An `Identity` kernelFunc that shares x's data (one more reference) instead of copying it, as
 * cpu's and wasm's own Reshape do. tfjs tensors are immutable, so a clone never needs its own bytes;
 * wasm's stock Identity copies, and the engine clones every tensor it saves for the backward pass
 * (~200 full-size activation copies per training step of the MobileNet-like model). Strings go
 * to `stock`. The result is a TensorInfo the engine wraps as the output tensor.
 */
export function sharedIdentityKernel(stock: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as unknown as tf.IdentityInputs;
    if (x!.dtype === "string" || x!.dtype === "complex64") {
      if (stock === undefined) throw new Error(`Identity: no stock kernel to fall back to for dtype ${x!.dtype}`);
      return stock.kernelFunc(args);
    }
    (args.backend as tf.KernelBackend).incRef(x!.dataId);
    return { dataId: x!.dataId, shape: x!.shape, dtype: x!.dtype };
  };
}
