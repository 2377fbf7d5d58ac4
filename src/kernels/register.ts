import * as tf from "@tensorflow/tfjs";
// The stock wasm kernels must be registered before ours, so that the ones we replace are saved (and
// restored by unregisterTrainingKernels) instead of overwriting ours when the package loads later.
import "@tensorflow/tfjs-backend-wasm";
import { conv2DBackpropFilterKernel } from "./conv2d-backprop-filter.js";
import { conv2DBackpropInputKernel } from "./conv2d-backprop-input.js";
import { depthwiseConv2dNativeBackpropFilterKernel } from "./depthwise-backprop-filter.js";
import { depthwiseConv2dNativeBackpropInputKernel } from "./depthwise-backprop-input.js";
import { suffixBroadcastKernel, tiledBroadcastKernel } from "./broadcast.js";
import { sharedIdentityKernel } from "./identity.js";
import { transposedMatMulKernel } from "./matmul.js";
import { leadingSumKernel } from "./reduce.js";
import { tileKernel } from "./tile.js";

/** The backends the training kernels can be registered for. */
export type TrainingKernelBackend = "wasm" | "cpu";

const BINARY_OPS = ["Multiply", "Sub", "Add", "RealDiv", "SquaredDifference"] as const;
/** wasm binary kernels whose broadcast (other than against one value) indexes element by element. */
const WASM_SLOW_BROADCASTS = [
  "Equal",
  "NotEqual",
  "Greater",
  "GreaterEqual",
  "Less",
  "LessEqual",
  "Maximum",
  "Minimum",
] as const;

/** Each kernel's function per backend, given the stock kernel it replaces (some fall back to it). */
const KERNEL_FUNCS: Record<
  string,
  (stock: tf.KernelConfig | undefined, backend: TrainingKernelBackend) => tf.KernelFunc
> = {
  Conv2DBackpropFilter: () => conv2DBackpropFilterKernel,
  Conv2DBackpropInput: () => conv2DBackpropInputKernel,
  DepthwiseConv2dNativeBackpropFilter: () => depthwiseConv2dNativeBackpropFilterKernel,
  DepthwiseConv2dNativeBackpropInput: () => depthwiseConv2dNativeBackpropInputKernel,
  Tile: (stock, backend) => tileKernel(stock, { onlyTwoAxes: backend === "cpu" }),
  Sum: (stock) => leadingSumKernel(stock),
  Mean: (stock) => leadingSumKernel(stock, { mean: true }),
  Identity: sharedIdentityKernel,
  BatchMatMul: (stock) => transposedMatMulKernel(stock),
  ...Object.fromEntries(
    BINARY_OPS.map((name) => [name, (stock: tf.KernelConfig | undefined) => suffixBroadcastKernel(stock, name)]),
  ),
  ...Object.fromEntries(
    WASM_SLOW_BROADCASTS.map((name) => [
      name,
      (stock: tf.KernelConfig | undefined) => tiledBroadcastKernel(stock, name),
    ]),
  ),
};

/**
 * The kernels registered per backend.
 * - wasm: the three gradient kernels it lacks (Conv2DBackpropFilter, DepthwiseConv2dNativeBackprop-
 *   Filter/Input); replacements for its Conv2DBackpropInput (1×1 convs as a matMul), Tile
 *   (batchnorm's gradient tiles full-size tensors), Sum/Mean over leading axes (batchnorm's
 *   statistics and gradients, as an average pool instead of a transpose + reduce) and Identity
 *   (shares data instead of copying every tensor the engine saves for the backward pass), and
 *   BatchMatMul with a transposed operand (a dense layer's gradients, as an explicit transpose and
 *   the untransposed product), and the comparisons and Maximum/Minimum, whose broadcasts it runs
 *   index by index (the global max pool's gradient compares [N, H, W, C] with [N, 1, 1, C]).
 * - cpu: Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter (instead of its index-by-index
 *   loops), leading-axes Sum/Mean, batchnorm's Tile, and the binary ops batchnorm's gradient
 *   broadcasts [1, 1, 1, C] statistics in (Multiply, Sub, Add, RealDiv, SquaredDifference: passed on
 *   as [C] to the stock kernel's fast loop). Its own Conv2DBackpropInput and
 *   DepthwiseConv2dNativeBackpropInput are already faster than ours there.
 * Why each, with measurements: docs/kernels.md.
 */
export const TRAINING_KERNELS_BY_BACKEND: Readonly<Record<TrainingKernelBackend, readonly string[]>> = {
  wasm: [
    "Conv2DBackpropFilter",
    "DepthwiseConv2dNativeBackpropFilter",
    "DepthwiseConv2dNativeBackpropInput",
    "Conv2DBackpropInput",
    "Tile",
    "Sum",
    "Mean",
    "Identity",
    "BatchMatMul",
    ...WASM_SLOW_BROADCASTS,
  ],
  cpu: ["Conv2DBackpropFilter", "DepthwiseConv2dNativeBackpropFilter", "Sum", "Mean", "Tile", ...BINARY_OPS],
};

/** Every kernel name registered for some backend, each once. */
export const TRAINING_KERNEL_NAMES: readonly string[] = [...new Set(Object.values(TRAINING_KERNELS_BY_BACKEND).flat())];

/** What registerTrainingKernels put in place (`ours`), and the stock kernel it replaced (undefined: there was none). */
const registered = new Map<
  string,
  { kernelName: string; backendName: string; ours: tf.KernelConfig; stock: tf.KernelConfig | undefined }
>();

export interface RegisterOptions {
  /** Backends to register for (default both, "wasm" and "cpu"). A backend need not be initialised yet. */
  backends?: readonly TrainingKernelBackend[];
}

/**
 * Registers the training kernels for `backends` with `tf.registerKernel`, replacing (and remembering)
 * any stock kernel of the same name. Idempotent: kernels already registered by an earlier call are
 * left as they are. Returns the `backend/kernel` pairs registered by this call.
 */
export function registerTrainingKernels({ backends = ["wasm", "cpu"] }: RegisterOptions = {}): string[] {
  for (const backend of backends) {
    if (!(backend in TRAINING_KERNELS_BY_BACKEND)) {
      throw new Error(
        `registerTrainingKernels: unknown backend ${JSON.stringify(backend)} in backends; use some of ${Object.keys(TRAINING_KERNELS_BY_BACKEND).join(", ")}`,
      );
    }
  }
  const added: string[] = [];
  for (const backendName of backends) {
    for (const kernelName of TRAINING_KERNELS_BY_BACKEND[backendName]) {
      const key = `${backendName}/${kernelName}`;
      if (registered.has(key)) continue;
      const stock = tf.getKernel(kernelName, backendName);
      if (stock !== undefined) tf.unregisterKernel(kernelName, backendName);
      // The stock setupFunc/disposeFunc stay attached: wasm kernels bind their wasm functions in
      // setupFunc when the backend starts, which the stock kernel needs once it is restored.
      const config: tf.KernelConfig = {
        kernelName,
        backendName,
        kernelFunc: KERNEL_FUNCS[kernelName]!(stock, backendName),
      };
      if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
      if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
      tf.registerKernel(config);
      registered.set(key, { kernelName, backendName, ours: config, stock });
      added.push(key);
    }
  }
  return added;
}

/**
 * Removes every kernel registerTrainingKernels registered and puts the stock ones back. A kernel
 * that someone else has registered over ours since is theirs now and is left in place.
 */
export function unregisterTrainingKernels(): void {
  for (const { kernelName, backendName, ours, stock } of registered.values()) {
    if (tf.getKernel(kernelName, backendName) !== ours) continue;
    tf.unregisterKernel(kernelName, backendName);
    if (stock !== undefined) tf.registerKernel(stock);
  }
  registered.clear();
}

/** The `backend/kernel` pairs currently registered by registerTrainingKernels. */
export function registeredTrainingKernels(): string[] {
  return [...registered.keys()];
}
