import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useChromium } from "./chromium.js";
import { serveStatic } from "./server.js";
import { chromiumPath, project, useSite } from "./site.js";
import { visit } from "./visit.js";
import "../../src/node/model-files.js";
import { loadLearner } from "../../src/export/load.js";
import { encodePng } from "../../src/node/encode.js";
import { drawPet } from "../../src/draw/pets.js";
import { seededRandom } from "../../src/random.js";

// Cross-origin isolation, and WebAssembly on every core, on each kind of host (docs/threads.md): one
// that sends the headers (lessons/_headers), a plain one where the course's service worker adds them,
// and a browser that blocks service workers, where the course runs on one thread and says why.

/** What the home page's machine card says about threads. */
async function threadsCard(page: Page) {
  const card = page.locator(".machine .threads");
  return {
    threads: Number(await card.getAttribute("data-threads")),
    isolation: await card.getAttribute("data-isolation"),
    isolated: await page.evaluate("crossOriginIsolated"),
    text: (await card.textContent())!.replace(/\s+/g, " ").trim(),
  };
}

/** The page's own tfjs module (the one its backend runs), as the built site bundles it. */
const PAGE_TF = `import([...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href).find((h) => h.includes("/_node/@tensorflow/tfjs@")))`;

/**
 * Gradients through every kernel the course registers for wasm (conv and depthwise backprop, the
 * transposed matMul, Tile/Sum/Mean), on seeded inputs big enough for XNNPACK to split across threads.
 */
const KERNEL_GRADIENTS = `(async () => {
  const tf = await ${PAGE_TF};
  const r = (shape, seed) => tf.randomNormal(shape, 0, 1, "float32", seed);
  const x = r([8, 32, 32, 16], 1), w = r([3, 3, 16, 32], 2), d = r([3, 3, 16, 1], 3), p = r([1, 1, 16, 32], 4);
  const a = r([256, 128], 5), b = r([256, 96], 6), bias = r([96], 7);
  const weigh = (y, seed) => tf.mul(y, r(y.shape, seed)).sum();
  const cases = {
    conv3x3: tf.grads((x, w) => weigh(tf.conv2d(x, w, 1, "same"), 10)),
    conv3x3Stride2: tf.grads((x, w) => weigh(tf.conv2d(x, w, 2, "same"), 11)),
    pointwise: tf.grads((x, p) => weigh(tf.conv2d(x, p, 1, "valid"), 12)),
    depthwise: tf.grads((x, d) => weigh(tf.depthwiseConv2d(x, d, 1, "same"), 13)),
    depthwiseStride2: tf.grads((x, d) => weigh(tf.depthwiseConv2d(x, d, 2, "same"), 14)),
  };
  const inputs = {conv3x3: [x, w], conv3x3Stride2: [x, w], pointwise: [x, p], depthwise: [x, d], depthwiseStride2: [x, d]};
  const out = {};
  for (const [name, grads] of Object.entries(cases)) out[name] = grads(inputs[name]).map((g) => Array.from(g.dataSync()));
  out.matMulBias = tf.grads((a, b, bias) => weigh(tf.add(tf.matMul(a, b, true, false), bias).mean(0, true), 15))([a, b, bias]).map((g) => Array.from(g.dataSync()));
  return {backend: tf.getBackend(), out};
})()`;

/** Largest |a − b| / max(1, |b|) over two nested arrays (or records) of numbers of the same shape. */
function maxRelativeDiff(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) / Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length).toBe(b.length);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, maxRelativeDiff(a[i], b[i]));
    return max;
  }
  let max = 0;
  for (const key of Object.keys(b as object))
    max = Math.max(max, maxRelativeDiff((a as never)[key], (b as never)[key]));
  return max;
}

/** Lesson 1's epoch table once its training is done: phase, epoch, losses and error rate (not the seconds). */
async function lesson1Epochs(page: Page): Promise<{ errorRate: string; rows: string[][] }> {
  await page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
  const table = page.locator("table").filter({ hasText: "trainLoss" });
  const rows = await table
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
  return {
    errorRate: (await page.locator(".training").getAttribute("data-error-rate"))!,
    rows: rows.map((cells) => cells.filter((c) => c !== "").slice(0, -1)),
  };
}

describe.skipIf(chromiumPath === undefined)("cross-origin isolation and threaded wasm in headless Chromium", () => {
  describe("a host that sends the isolation headers", () => {
    const site = useSite();
    const browser = useChromium();

    it("the home page is isolated by the headers, registers no service worker, and wasm runs on every core", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      const cores = (await page.evaluate("navigator.hardwareConcurrency")) as number;
      const card = await threadsCard(page);
      expect(card).toMatchObject({ isolated: true, isolation: "headers", threads: cores });
      expect(card.text).toBe(
        `WebAssembly computes on ${cores} threads (this machine reports ${cores} cores): the site's host sends the cross-origin isolation headers.`,
      );
      expect(await page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)")).toBe(0);
      // the estimate times a step on the threaded backend
      expect(await page.locator("[data-estimate]").textContent()).toMatch(
        new RegExp(`^On wasm with ${cores} threads, one training step`),
      );
      await page.close();
    });

    it("the course's wasm kernels give the same gradients on every core as on one thread (within 1e-5)", async () => {
      const threaded = await visit(browser.context, `${site.url}/index.html`);
      const single = await visit(browser.context, `${site.url}/index.html?threads=1`);
      expect(threaded.problems).toEqual([]);
      expect(single.problems).toEqual([]);
      expect((await threadsCard(single.page)).threads).toBe(1);
      expect((await threadsCard(threaded.page)).threads).toBeGreaterThan(1);
      const [a, b] = (await Promise.all([
        threaded.page.evaluate(KERNEL_GRADIENTS),
        single.page.evaluate(KERNEL_GRADIENTS),
      ])) as { backend: string; out: Record<string, number[][]> }[];
      expect([a!.backend, b!.backend]).toEqual(["wasm", "wasm"]);
      expect(Object.keys(a!.out)).toHaveLength(6);
      expect(maxRelativeDiff(a!.out, b!.out)).toBeLessThanOrEqual(1e-5);
      await threaded.page.close();
      await single.page.close();
    });

    describe("with a model on another origin that sends CORS headers", () => {
      let other: Awaited<ReturnType<typeof serveStatic>> | undefined;
      let expected: number[] = [];
      beforeAll(async () => {
        const model = await loadLearner(join(project, "data/models/pets"));
        const zip = await model.exportZip();
        const picture = drawPet(seededRandom(31337), { species: "dog", size: 96 });
        expected = (await model.predict(picture)).probs;
        model.dispose();
        const dog = encodePng(picture);
        // a second origin: same address, another port
        other = await serveStatic(
          join(project, "data/models"),
          { "/pets.zip": zip, "/dog.png": dog },
          {
            headers: { "access-control-allow-origin": "*" },
          },
        );
      });
      afterAll(async () => {
        await other?.close();
      });

      it("the isolated app loads it by URL and predicts on a picture from there", async () => {
        const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
        expect(await page.evaluate("crossOriginIsolated")).toBe(true);
        const result = (await page.evaluate(`(async () => {
          const href = [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href).find((h) => h.includes("/_import/lib/index."));
          const lib = await import(href);
          const fromZip = await lib.loadLearner(${JSON.stringify(`${other!.url}/pets.zip`)});
          const fromJson = await lib.loadLearner(${JSON.stringify(`${other!.url}/pets/model.json`)});
          const out = {classes: fromZip.classes, zip: (await fromZip.predict(${JSON.stringify(`${other!.url}/dog.png`)})).probs,
            json: (await fromJson.predict(${JSON.stringify(`${other!.url}/dog.png`)})).probs};
          fromZip.dispose(); fromJson.dispose();
          return out;
        })()`)) as { classes: string[]; zip: number[]; json: number[] };
        expect(result.classes).toEqual(["cat", "dog"]);
        // what Node predicts on the same pixels (PNG is lossless)
        expect(maxRelativeDiff(result.zip, expected)).toBeLessThanOrEqual(1e-5);
        expect(maxRelativeDiff(result.json, expected)).toBeLessThanOrEqual(1e-5);
        expect(problems).toEqual([]);
        await page.close();
      });
    });
  });

  describe("a plain host: the course's service worker isolates the site", () => {
    const site = useSite([], { host: "plain" });
    const browser = useChromium();

    it("the first visit reloads once and comes back isolated by the service worker; the next loads once", async () => {
      const page = await browser.context.newPage();
      const loads: string[] = [];
      page.on("load", () => loads.push(page.url()));
      await page.goto(`${site.url}/index.html`);
      await page.waitForFunction("crossOriginIsolated === true", undefined, { timeout: 60_000 });
      await page.waitForSelector(".machine .threads", { timeout: 120_000 });
      expect(loads).toHaveLength(2);
      await page.close();

      const { page: again, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      const cores = (await again.evaluate("navigator.hardwareConcurrency")) as number;
      const card = await threadsCard(again);
      expect(card).toMatchObject({ isolated: true, isolation: "service-worker", threads: cores });
      expect(card.text).toMatch(/the course's service worker adds the cross-origin isolation headers\.$/);
      await again.close();
    });

    it("lesson 1 fine-tunes to the same losses and error rate on every core as on one thread", async () => {
      const threaded = await visit(browser.context, `${site.url}/lesson-1.html`);
      expect(threaded.problems).toEqual([]);
      expect(await threaded.page.evaluate("crossOriginIsolated")).toBe(true);
      const many = await lesson1Epochs(threaded.page);
      await threaded.page.close();
      const single = await visit(browser.context, `${site.url}/lesson-1.html?threads=1`);
      expect(single.problems).toEqual([]);
      const one = await lesson1Epochs(single.page);
      await single.page.close();
      expect(many.rows).toHaveLength(4);
      // XNNPACK splits each kernel's output among threads and sums in the same order: identical to 4 decimals
      expect(many).toEqual(one);
      expect(Number(many.errorRate)).toBeLessThanOrEqual(0.1);
    });
  });

  describe("a plain host and a browser that blocks service workers", () => {
    const site = useSite([], { host: "plain" });
    const browser = useChromium([], { serviceWorkers: "block" });

    it("the course runs on one thread and the home page says why", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      const card = await threadsCard(page);
      expect(card).toMatchObject({ isolated: false, isolation: "none", threads: 1 });
      expect(card.text).toMatch(
        /^WebAssembly computes on one thread, not all \d+ cores: the site's host does not send the cross-origin isolation headers, and this browser blocks service workers\. Everything works, training is only slower\.$/,
      );
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");
      expect(Number(await page.locator("[data-estimate]").getAttribute("data-estimate"))).toBeGreaterThan(0);
      await page.close();
    });
  });

  describe("a plain host that does not serve the service worker's file", () => {
    const site = useSite([], { host: "no-worker" });
    const browser = useChromium();

    it("the course runs on one thread and the home page gives the browser's reason", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      // the only problem: Chromium logs the refused worker script, which the page then explains
      expect(problems).toEqual([
        "console error: A bad HTTP response code (404) was received when fetching the script.",
      ]);
      const card = await threadsCard(page);
      expect(card).toMatchObject({ isolated: false, isolation: "none", threads: 1 });
      expect(card.text).toMatch(
        /^WebAssembly computes on one thread, not all \d+ cores: the site's host does not send the cross-origin isolation headers, and the course's service worker could not be registered \(.*404.*\)\. Everything works, training is only slower\.$/,
      );
      expect(Number(await page.locator("[data-estimate]").getAttribute("data-estimate"))).toBeGreaterThan(0);
      await page.close();
    });
  });
});
