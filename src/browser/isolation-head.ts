// Runs first on every page (inlined into each page's <head> by observablehq.config.ts, before any
// module): makes the page cross-origin isolated when the host did not, with the course's service
// worker, and leaves the outcome in `globalThis.dlcourseIsolation` (a Promise<Isolation>) for
// `isolation.ts`. A first visit on such a host registers the worker and reloads once; that promise
// then never settles, so nothing starts work the reload would throw away. Nothing here throws: the
// worst outcome is one thread, with the reason.
import type { Isolation } from "../backend/threads.js";
import { ISOLATION_WORKER_FILE } from "./isolation-headers.js";

/**
 * sessionStorage key: set just before the one reload, cleared once a page is isolated; while it is set
 * and the page is not isolated, nothing reloads again in this tab.
 */
const RELOADED = "dlcourse-isolation-reloaded";
/** Set by the bundler (scripts/isolation.ts): true in Framework's preview, which serves no service worker. */
declare const DLCOURSE_PREVIEW: boolean;

/** How long the worker may take to install and take over the page before we give up on it. */
const WORKER_START_MS = 10_000;

function reloadedAlready(): boolean | undefined {
  try {
    return sessionStorage.getItem(RELOADED) === "1";
  } catch {
    return undefined; // storage blocked: no way to know, so never reload
  }
}

function markReload(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(RELOADED, "1");
    else sessionStorage.removeItem(RELOADED);
  } catch {
    // storage blocked: nothing to mark
  }
}

function controlledByUs(): boolean {
  const controller = navigator.serviceWorker?.controller;
  return controller != null && controller.scriptURL.endsWith(`/${ISOLATION_WORKER_FILE}`);
}

/** Whether a registration became active within WORKER_START_MS. */
function untilActive(): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), WORKER_START_MS);
    navigator.serviceWorker.ready.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function isolate(): Promise<Isolation> {
  if (globalThis.crossOriginIsolated) {
    const byWorker = controlledByUs();
    markReload(false);
    return { isolated: true, by: byWorker ? "service-worker" : "headers" };
  }
  if (DLCOURSE_PREVIEW)
    return {
      isolated: false,
      reason:
        "this is the course's live preview (npm run dev), which can send neither the isolation headers nor the service worker; build the site and serve dist/ for threads",
    };
  if (!globalThis.isSecureContext)
    return {
      isolated: false,
      reason:
        "this page is not served over https (or from localhost), and browsers share memory between threads only there",
    };
  if (!("serviceWorker" in navigator))
    return {
      isolated: false,
      reason:
        "the site's host does not send the cross-origin isolation headers, and this browser has no service workers to add them (private windows often turn them off)",
    };
  const reloaded = reloadedAlready();
  if (reloaded === true) {
    // the flag stays: no more reloads in this tab, on this page or the next
    return {
      isolated: false,
      reason: controlledByUs()
        ? "the course's service worker runs, but this browser still does not isolate the page (it may not support cross-origin isolation)"
        : "the course's service worker was registered, but the reload was not served by it (the browser or an extension bypasses service workers here)",
    };
  }
  let registration: ServiceWorkerRegistration | undefined;
  try {
    registration = await navigator.serviceWorker.register(new URL(ISOLATION_WORKER_FILE, document.baseURI).href);
  } catch (error) {
    return {
      isolated: false,
      reason: `the site's host does not send the cross-origin isolation headers, and the course's service worker could not be registered (${(error as Error)?.message ?? String(error)})`,
    };
  }
  if (!registration)
    return {
      isolated: false,
      reason:
        "the site's host does not send the cross-origin isolation headers, and this browser blocks service workers",
    };
  if (reloaded === undefined)
    return {
      isolated: false,
      reason:
        "the course's service worker is registered, but this browser blocks session storage, which the course needs to reload safely; reload the page yourself",
    };
  // active, it serves the reload (a hard reload, which bypasses workers, comes here too)
  if (!(await untilActive()))
    return {
      isolated: false,
      reason: `the course's service worker did not start within ${WORKER_START_MS / 1000} s`,
    };
  markReload(true);
  location.reload();
  return new Promise<never>(() => {}); // the reload replaces this page
}

const state = globalThis as { dlcourseIsolation?: Promise<Isolation> };
state.dlcourseIsolation = isolate().catch((error): Isolation => ({
  isolated: false,
  reason: `checking cross-origin isolation failed (${String(error)})`,
}));
