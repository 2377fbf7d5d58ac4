import { availableParallelism } from "node:os";
import { initBackend, type BackendChoice, type BackendOptions } from "../backend/backend.js";
import type { Isolation } from "../backend/threads.js";
import { nodeWasmPaths } from "./wasm-paths.js";

/**
 * `initBackend` for Node, with the wasm binaries taken from node_modules unless given, asking wasm
 * for every core. tfjs-backend-wasm 4.22 starts single-threaded in Node all the same
 * (`NODE_THREADS` says why; docs/threads.md), so `choice.threads` is 1.
 */
export function initNodeBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  return initBackend({ environment: "node", wasmPaths: nodeWasmPaths(), wasmThreads: nodeCores(), ...options });
}

/** The cores Node may use (`os.availableParallelism()`). */
export function nodeCores(): number {
  return availableParallelism();
}

/** Why wasm has one thread in Node, as `describeThreads` takes it. */
export const NODE_THREADS: Isolation = {
  isolated: false,
  reason: "tfjs-backend-wasm 4.22 starts its single-threaded binary in Node (its threaded one needs browser workers)",
};
