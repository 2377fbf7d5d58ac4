/**
 * Training kernels as a tfjs plug-in: the gradient kernels the wasm backend lacks (so it can train),
 * and faster replacements for cpu's gradient loops, all computed with the backend's own conv2d,
 * depthwiseConv2d and matMul. Register with `registerTrainingKernels()`, restore stock tfjs with
 * `unregisterTrainingKernels()`.
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
export { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropFilterKernel } from "./depthwise-backprop-filter.js";
export { depthwiseConv2dNativeBackpropInput, depthwiseConv2dNativeBackpropInputKernel } from "./depthwise-backprop-input.js";
