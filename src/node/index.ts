export * from "../index.js";
export { initNodeBackend } from "./backend.js";
export { nodeWasmPaths } from "./wasm-paths.js";
