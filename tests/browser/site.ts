// Shared by the browser test files for the built site (site, home, lesson-1, lesson-2, app): the
// pages, a drop helper, and the static server for dist/ with the test files the course did not ship.
// The site itself is built once for all of them by tests/browser/build-site.ts (vitest globalSetup).
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { findChromium } from "./chromium.js";
import { ISOLATION_HEADERS, serveStatic } from "./server.js";
import { ISOLATION_WORKER_FILE } from "../../src/browser/isolation-headers.js";
import { datasetZip } from "../../src/node/write-dataset.js";
import { encodePng } from "../../src/node/encode.js";
import "../../src/node/model-files.js";
import { loadLearner } from "../../src/export/load.js";
import { drawPet } from "../../src/draw/pets.js";
import { seededRandom } from "../../src/random.js";

export const project = join(import.meta.dirname, "..", "..");
export const dist = join(project, "dist");
export const chromiumPath = findChromium();

/** Every page of the course: each Markdown file under lessons/ becomes `<path>.html`. */
export function sitePages(folder = join(project, "lessons")): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md") && !entry.parentPath.includes(".observablehq"))
    .filter((entry) => !relative(folder, entry.parentPath).split("/").includes("lib"))
    .map((entry) => `/${relative(folder, join(entry.parentPath, entry.name)).replace(/\.md$/, ".html")}`)
    .sort();
}

/** Gives `bytes` (a drawn picture, or anything) to the page's drop zone as the file `name`. */
export function dropFile(page: Page, name: string, bytes: Uint8Array | string): Promise<void> {
  return page
    .locator(".dl-drop input[type=file]")
    .setInputFiles({ name, mimeType: "image/png", buffer: Buffer.from(bytes) });
}

/** Files served next to the built site under /test-data/, each made only by the test files that ask for it. */
const TEST_DATA = {
  // 2,000 images the course did not ship, for lesson 1's "?data=URL" loader
  "/test-data/pets-2000.zip": async () => datasetZip({ set: "pets", seed: 7, perClass: 1000, size: 64 }),
  // the app's model as one zip, with a picture, for predict on every kind of browser image
  "/test-data/pets-model.zip": async () => {
    const appModel = await loadLearner(join(project, "data/models/pets"));
    const appZip = await appModel.exportZip();
    appModel.dispose();
    return appZip;
  },
  "/test-data/dog.png": async () => encodePng(drawPet(seededRandom(31337), { species: "dog", size: 96 })),
} satisfies Record<string, () => Promise<Uint8Array>>;

export type TestFile = keyof typeof TEST_DATA;

/**
 * How the test host serves the site: "headers" sends the cross-origin isolation headers (as a host
 * reading `_headers` does), "plain" sends none, so the course's service worker isolates the site;
 * "no-worker" sends none and answers 404 for the service worker's file.
 */
export type Host = "headers" | "plain" | "no-worker";

/**
 * The built site (dist/) on a local static server for the enclosing describe block, started before
 * its tests with the named /test-data/ files and closed after. Read `.url` inside tests. The default
 * host sends the isolation headers, so every page runs with threaded wasm from its first visit;
 * tests/browser/isolation.test.ts covers the plain host.
 */
export function useSite(
  testFiles: TestFile[] = [],
  { host = "headers" }: { host?: Host } = {},
): { readonly url: string } {
  let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
  beforeAll(async () => {
    const extra: Record<string, Uint8Array> = {};
    for (const path of testFiles) extra[path] = await TEST_DATA[path]();
    site = await serveStatic(dist, extra, {
      headers: host === "headers" ? ISOLATION_HEADERS : {},
      missing: host === "no-worker" ? [`/${ISOLATION_WORKER_FILE}`] : [],
    });
  });
  afterAll(async () => {
    await site?.close();
  });
  return {
    get url() {
      if (site === undefined) throw new Error("useSite: the server is not started yet; use it inside a test");
      return site.url;
    },
  };
}
