// Starts the course's tfjs backend in the browser, with the wasm binaries served by this site.
// `?backend=webgl|wasm|cpu` in the page's address forces one (to compare them).
import { FileAttachment } from "observablehq:stdlib";
import { initBackend, webglInfo } from "../lib/browser/index.js";

export const wasmPaths = {
  "tfjs-backend-wasm.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm.wasm").href,
  "tfjs-backend-wasm-simd.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm-simd.wasm").href,
  "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm-threaded-simd.wasm").href,
};

/** initBackend for a page: `task` is "infer" or "train"; see src/backend/backend.ts. */
export function courseBackend(options = {}) {
  const forced = new URLSearchParams(location.search).get("backend");
  return initBackend({
    wasmPaths,
    webglRenderer: webglInfo().renderer,
    ...(forced ? { order: [forced] } : {}),
    ...options,
  });
}
