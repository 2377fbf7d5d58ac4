import type { Isolation } from "../backend/threads.js";

/**
 * Whether this page is cross-origin isolated, and how or why not, as the page's head script
 * (`isolation-head.ts`) found out. Without that script (a page the course did not build) it reads
 * `crossOriginIsolated` alone. On a first visit that reloads the page the promise never settles.
 */
export function pageIsolation(): Promise<Isolation> {
  const found = (globalThis as { dlcourseIsolation?: Promise<Isolation> }).dlcourseIsolation;
  if (found !== undefined) return found;
  if (globalThis.crossOriginIsolated) return Promise.resolve({ isolated: true, by: "headers" });
  return Promise.resolve({
    isolated: false,
    reason: "this page is not cross-origin isolated, and it has no head script to make it so",
  });
}

/** The cores the browser reports (`navigator.hardwareConcurrency`; 1 where it says nothing). */
export function browserCores(): number {
  return globalThis.navigator?.hardwareConcurrency || 1;
}
