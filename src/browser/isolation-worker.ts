// The course's service worker (built to `isolation-worker.js` at the site's root by
// scripts/postbuild.ts): it answers the site's own requests from the network with the cross-origin
// isolation headers added, so that a host which cannot send them still gets threaded WebAssembly.
// Requests to other origins it does not touch. It caches nothing: the network is always asked.
import { isolatesRequest, withIsolationHeaders } from "./isolation-headers.js";

/** The parts of a service worker's global scope this file uses (the DOM lib does not describe it). */
interface WorkerScope {
  location: { origin: string };
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(
    type: "install" | "activate",
    listener: (event: { waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
  addEventListener(
    type: "fetch",
    listener: (event: { request: Request; respondWith(r: Promise<Response>): void }) => void,
  ): void;
}

const scope = globalThis as unknown as WorkerScope;

// start at once, and take over the open pages, so the first visit needs one reload and no more
scope.addEventListener("install", (event) => event.waitUntil(scope.skipWaiting()));
scope.addEventListener("activate", (event) => event.waitUntil(scope.clients.claim()));
scope.addEventListener("fetch", (event) => {
  if (!isolatesRequest(event.request, scope.location.origin)) return;
  event.respondWith(fetch(event.request).then(withIsolationHeaders));
});
