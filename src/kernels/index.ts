/**
 * Training kernels as a tfjs plug-in (public `tf.registerKernel` API, no fork):
 * - wasm: the gradient kernels it lacks (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
 *   DepthwiseConv2dNativeBackpropInput), so it can train, plus faster Conv2DBackpropInput, Tile,
 *   leading-axes Sum/Mean and a copy-free Identity;
 * - cpu: faster conv/depthwise filter gradients, Sum/Mean, and batchnorm's broadcasts;
 * all computed with the backend's own conv2d, depthwiseConv2d, matMul and avgPool.
 * Register with `registerTrainingKernels()` (idempotent; before or after the backend starts), restore
 * stock tfjs with `unregisterTrainingKernels()`.
 */
export {
  registerTrainingKernels,
  unregisterTrainingKernels,
  registeredTrainingKernels,
  TRAINING_KERNELS_BY_BACKEND,
  TRAINING_KERNEL_NAMES,
  type RegisterOptions,
  type TrainingKernelBackend,
} from "./register.js";
export { conv2DBackpropFilter, conv2DBackpropFilterKernel } from "./conv2d-backprop-filter.js";
export { conv2DBackpropInput, conv2DBackpropInputKernel } from "./conv2d-backprop-input.js";
export {
  depthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dNativeBackpropFilterKernel,
} from "./depthwise-backprop-filter.js";
export {
  depthwiseConv2dNativeBackpropInput,
  depthwiseConv2dNativeBackpropInputKernel,
} from "./depthwise-backprop-input.js";
