// Starts the course's tfjs backend in the browser, with the wasm binaries served by this site.
// `?backend=webgl|wasm|cpu` in the page's address forces one (to compare them); `?threads=N` sets the
// wasm backend's threads (N = 1 compares against one thread; more than one needs isolation).
import { FileAttachment } from "observablehq:stdlib";
import { browserCores, initBackend, pageIsolation, wasmThreadsFor, webglInfo } from "../lib/browser/index.js";

export const wasmPaths = {
  "tfjs-backend-wasm.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm.wasm").href,
  "tfjs-backend-wasm-simd.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm-simd.wasm").href,
  "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../assets/wasm/tfjs-backend-wasm-threaded-simd.wasm").href,
};

/**
 * initBackend for a page: `task` is "infer" or "train"; see src/backend/backend.ts. Waits for the
 * page's cross-origin isolation (src/browser/isolation-head.ts) and gives wasm every core when it
 * holds. The choice carries `isolation` and `cores`, for describeThreads.
 */
export async function courseBackend(options = {}) {
  const params = new URLSearchParams(location.search);
  const forced = params.get("backend");
  const isolation = await pageIsolation();
  const cores = browserCores();
  const asked = params.get("threads");
  const wasmThreads = asked ? Math.max(1, Math.floor(Number(asked)) || 1) : wasmThreadsFor(isolation, cores);
  const choice = await initBackend({
    wasmPaths,
    wasmThreads,
    webglRenderer: webglInfo().renderer,
    ...(forced ? { order: [forced] } : {}),
    ...options,
  });
  return { ...choice, isolation, cores };
}
