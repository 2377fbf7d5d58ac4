export {
  TRAINING_KERNELS,
  backendOrder,
  detectEnvironment,
  initBackend,
  missingKernels,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type BackendOptions,
  type Environment,
  type Task,
  type WasmPaths,
} from "./backend/backend.js";
export { describeBackend, type BackendSummary } from "./backend/describe.js";
export { measureMatMul, type MatMulSpeed } from "./backend/speed.js";
