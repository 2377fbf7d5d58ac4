/**
 * Whether the page can share memory between threads (`crossOriginIsolated`), and how it got there or
 * why not. The browser side (`src/browser/isolation.ts`) finds it out; the wasm backend's thread count
 * and the learner's explanation follow from it. Node has no isolation to speak of: see `nodeThreads`.
 */
export type Isolation = { isolated: true; by: "headers" | "service-worker" } | { isolated: false; reason: string };

/** Threads for the wasm backend: every core the browser reports when isolated, else one. */
export function wasmThreadsFor(isolation: Isolation, cores: number): number {
  if (!isolation.isolated) return 1;
  return Math.max(1, Math.floor(Number.isFinite(cores) ? cores : 1));
}

const BY = {
  headers: "the site's host sends the cross-origin isolation headers",
  "service-worker": "the course's service worker adds the cross-origin isolation headers",
};

/**
 * One sentence for the learner: how many threads WebAssembly computes on, and why. `threads` is what
 * the started backend reports (`BackendChoice.threads`); undefined when the backend is not wasm.
 */
export function describeThreads(
  backend: string,
  threads: number | undefined,
  isolation: Isolation,
  cores: number,
): string {
  const coreWords = `${cores} core${cores === 1 ? "" : "s"}`;
  if (backend !== "wasm" || threads === undefined) {
    const state = isolation.isolated ? "could use them" : "would use one";
    return `Threads: only the WebAssembly backend uses them; it ${state} here (this machine reports ${coreWords}).`;
  }
  if (isolation.isolated && threads > 1)
    return `WebAssembly computes on ${threads} threads (this machine reports ${coreWords}): ${BY[isolation.by]}.`;
  if (isolation.isolated)
    return `WebAssembly computes on 1 thread: this machine reports ${coreWords}, so there is nothing to share.`;
  return (
    `WebAssembly computes on one thread, not all ${coreWords}: ${isolation.reason}. ` +
    `Everything works, training is only slower.`
  );
}
