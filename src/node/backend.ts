import { initBackend, type BackendChoice, type BackendOptions } from "../backend/backend.js";
import { nodeWasmPaths } from "./wasm-paths.js";

/** `initBackend` for Node, with the wasm binaries taken from node_modules unless given. */
export function initNodeBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  return initBackend({ environment: "node", wasmPaths: nodeWasmPaths(), ...options });
}
