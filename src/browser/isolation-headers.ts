/**
 * The headers that make a page cross-origin isolated, so that it may share memory between threads
 * (`SharedArrayBuffer`, which threaded WebAssembly needs). A host sends them itself (`lessons/_headers`,
 * docs/threads.md) or the course's service worker (`isolation-worker.ts`) adds them. `require-corp`
 * rather than `credentialless`: Safari isolates with it too, and every cross-origin request the course
 * makes is a CORS `fetch`, which it allows.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** The service worker's file, beside the pages at the site's root (its scope is that folder). */
export const ISOLATION_WORKER_FILE = "isolation-worker.js";

/**
 * Whether the service worker should answer `request` itself: only same-origin GETs. Anything else
 * (another origin's model, a POST) goes to the network untouched, as if there were no worker.
 * `only-if-cached` outside same-origin mode is refused by `fetch` in a worker, so it is left alone too.
 */
export function isolatesRequest(
  request: { url: string; method: string; mode: string; cache: string },
  origin: string,
): boolean {
  if (request.method !== "GET") return false;
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return false;
  try {
    return new URL(request.url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * `response` with the isolation headers added (the body is streamed through, not copied). Responses
 * that cannot be rebuilt (opaque, redirects the page must follow itself) come back unchanged.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === "opaque" || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
