import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL_HINT, NO_OFFSCREEN_WEBGL, NO_WEBGL_FLAGS, findChromium, launchChromium, useChromium } from "./chromium.js";
import { serveStatic } from "./server.js";
import { visit } from "./visit.js";
import { generateDataset } from "../../src/data/generate.js";
import { comparePaths } from "../../src/data/files.js";
import { fingerprint } from "../../src/data/fingerprint.js";
import { datasetZip } from "../../src/node/write-dataset.js";
import { mse, noisyLine, type Weights } from "../../src/teach/linear.js";
import { encodePng } from "../../src/node/encode.js";
import "../../src/node/model-files.js";
import { loadLearner } from "../../src/export/load.js";
import { drawPet } from "../../src/data/draw/pets.js";
import { seededRandom } from "../../src/random.js";

const project = join(import.meta.dirname, "..", "..");
const dist = join(project, "dist");
const chromiumPath = findChromium();
const underCi = process.env.CI === "true";

/** Every page of the course: each Markdown file under lessons/ becomes `<path>.html`. */
function sitePages(folder = join(project, "lessons")): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md") && !entry.parentPath.includes(".observablehq"))
    .filter((entry) => !relative(folder, entry.parentPath).split("/").includes("lib"))
    .map((entry) => `/${relative(folder, join(entry.parentPath, entry.name)).replace(/\.md$/, ".html")}`)
    .sort();
}

/** Gives `bytes` (a drawn picture, or anything) to the page's drop zone as the file `name`. */
function dropFile(page: Page, name: string, bytes: Uint8Array | string): Promise<void> {
  return page.locator(".dl-drop input[type=file]").setInputFiles({ name, mimeType: "image/png", buffer: Buffer.from(bytes) });
}

if (chromiumPath === undefined && !underCi) {
  console.warn(`Browser tests skipped: no Chromium at ${process.env.CHROMIUM ?? "/usr/bin/chromium"}; ${INSTALL_HINT}.`);
}

describe("Chromium for the browser tests", () => {
  it.runIf(underCi)("is installed (CI=true makes a missing browser a failure)", () => {
    expect(chromiumPath, `no Chromium at ${process.env.CHROMIUM ?? "/usr/bin/chromium"}; ${INSTALL_HINT}`).toBeDefined();
  });
});

describe.skipIf(chromiumPath === undefined)("the built site in headless Chromium", () => {
  let site: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    // the site is built once for every browser test file, by tests/browser/build-site.ts
    // 2,000 images the course did not ship, for lesson 1's "?data=URL" loader
    // and the app's model as one zip, with a picture, for predict on every kind of browser image
    const appModel = await loadLearner(join(project, "data/models/pets"));
    const appZip = await appModel.exportZip();
    appModel.dispose();
    site = await serveStatic(dist, {
      "/test-data/pets-2000.zip": datasetZip({ set: "pets", seed: 7, perClass: 1000, size: 64 }),
      "/test-data/pets-model.zip": appZip,
      "/test-data/dog.png": encodePng(drawPet(seededRandom(31337), { species: "dog", size: 96 })),
    });
  });

  afterAll(async () => {
    await site?.close();
  });

  it("npm run build writes one HTML page per lesson file, with no error cell in the HTML", () => {
    const built = readdirSync(dist, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".html") && entry.name !== "404.html")
      .map((entry) => `/${relative(dist, join(entry.parentPath, entry.name))}`)
      .sort();
    expect(built).toEqual(sitePages());
    for (const page of built) expect(readFileSync(join(dist, page), "utf8")).not.toContain("observablehq--error");
  });

  describe("with WebGL (SwiftShader)", () => {
    const browser = useChromium();

    it.each(sitePages())("%s renders with no error cell, page error, console error or failed request", async (path) => {
      const { page, problems } = await visit(browser.context, site.url + path);
      expect(problems).toEqual([]);
      expect(await page.locator("#observablehq-sidebar a[href$='lesson-1.html']").count()).toBe(1);
      expect(await page.locator("#observablehq-sidebar a[href$='lesson-2.html']").count()).toBe(1);
      await page.close();
    });

    it("the home page picks wasm over software WebGL, says why, and runs a real matrix product", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");
      expect(await page.locator(".machine .banner").textContent()).toMatch(/^WebGL here is drawn in software \(.*SwiftShader.*\), not by a graphics chip, and that is slower than WebAssembly/);
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      // lesson 1's time, from a real training step on this backend
      expect(Number(await page.locator("[data-estimate]").getAttribute("data-estimate"))).toBeGreaterThan(0);
      expect(await page.locator("[data-estimate]").textContent()).toMatch(/^On wasm, one training step of\s+32 images takes \d+ ms .* should take\s+about \d+ (seconds|minutes) on this machine/s);
      await page.close();
    });

    it("?backend=webgl starts tfjs on webgl and names the software renderer", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html?backend=webgl`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("webgl");
      expect(await page.locator(".machine h2").textContent()).toBe(`TensorFlow.js runs on WebGL (drawn in software on your CPU): the "webgl" backend.`);
      expect(await page.locator(".machine .banner").textContent()).toMatch(/drawn in software \(.*SwiftShader/);
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      await page.close();
    });
  });

  describe("lesson 1's first ideas", () => {
    const browser = useChromium();
    // the points lesson 1's line model learns from, drawn here as the page draws them
    const line = noisyLine({ n: 30, slope: 1.5, intercept: 0.5, noise: 1, seed: 1 });
    const shown = async (page: import("playwright-core").Page) => {
      const diagram = page.locator("[data-samuel]");
      const weights = (await diagram.getAttribute("data-weights"))!.split(",").map(Number) as unknown as Weights;
      return { weights, loss: Number(await diagram.getAttribute("data-loss")) };
    };

    it("the weight sliders and the loss map move the loss as mse computes it, and SGD brings it down", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      const start = await shown(page);
      expect(start.loss).toBeCloseTo(mse(start.weights, line), 12);
      const w1 = page.locator("form:has(label:text-is('w1 (slope)')) input[type=number]");
      await w1.fill("2");
      await w1.dispatchEvent("input");
      await page.waitForSelector("[data-samuel][data-weights^='2,']", { timeout: 30_000 });
      const moved = await shown(page);
      expect(moved.loss).not.toBe(start.loss);
      expect(moved.loss).toBeCloseTo(mse([2, start.weights[1]], line), 12);
      expect(await page.locator("[data-line-fit]").getAttribute("data-loss")).toBe(String(moved.loss));
      // pressing on the map picks the weights under the pointer: top left is small w1, large w2
      const surface = page.locator("[data-loss-surface]");
      const box = (await surface.boundingBox())!;
      await surface.click({ position: { x: box.width * 0.2, y: box.height * 0.2 } });
      await page.waitForFunction(`(document.querySelector("[data-samuel]")?.dataset.weights ?? ${JSON.stringify(moved.weights.join(","))}) !== ${JSON.stringify(moved.weights.join(","))}`, undefined, { timeout: 30_000 });
      const picked = await shown(page);
      expect(picked.weights[0]).toBeLessThan(2);
      expect(picked.weights[1]).toBeGreaterThan(0);
      expect(picked.loss).toBeCloseTo(mse(picked.weights, line), 12);
      await page.locator("button:text-is('Let SGD do it')").click();
      await page.waitForSelector("[data-sgd=done], [data-sgd=error]", { timeout: 60_000 });
      expect(await page.locator("[data-sgd]").getAttribute("data-sgd")).toBe("done");
      const after = await shown(page);
      expect(after.loss).toBeLessThan(picked.loss);
      expect(after.loss).toBeCloseTo(mse(after.weights, line), 12);
      expect(await surface.getAttribute("data-steps")).toBe(await page.locator("[data-sgd]").getAttribute("data-sgd-steps"));
      // a hand on a slider during a run takes over: SGD stops, and the weight stays where the hand put it
      await page.locator("form:has(label:text-is('SGD steps')) input[type=number]").fill("100");
      await page.locator("form:has(label:text-is('SGD steps')) input[type=number]").dispatchEvent("input");
      await page.locator("button:text-is('Let SGD do it')").click();
      await page.waitForSelector("[data-sgd=running]", { timeout: 30_000 });
      await page.waitForFunction(`Number(document.querySelector("[data-sgd]")?.dataset.sgdSteps) >= 2`, undefined, { timeout: 30_000 });
      const slider = page.locator("form:has(label:text-is('w1 (slope)')) input[type=range]");
      const track = (await slider.boundingBox())!;
      await slider.click({ position: { x: track.width * 0.9, y: track.height / 2 } }); // scrolls it into view first
      await page.waitForSelector("[data-sgd=stopped]", { timeout: 30_000 });
      const handSet = Number(await slider.inputValue());
      expect(Number(await page.locator("[data-sgd]").getAttribute("data-sgd-steps"))).toBeLessThan(100);
      await page.waitForTimeout(500); // two more SGD intervals: nothing moves the slider back
      expect(Number(await slider.inputValue())).toBe(handSet);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("a network fits the curve the learner picks, its loss falling step by step", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      await page.locator("form:has(label:text-is('curve')) select").selectOption("parabola");
      await page.waitForFunction(`(() => { const fit = document.querySelector(".fit"); return fit?.dataset.fit === "done" && fit.textContent.includes("parabola"); })()`, undefined, { timeout: 60_000 });
      const fit = page.locator(".fit");
      const [first, last] = [Number(await fit.getAttribute("data-fit-first-loss")), Number(await fit.getAttribute("data-fit-loss"))];
      expect(last).toBeLessThan(first / 10);
      const losses = page.locator("[data-step-losses]");
      expect(Number(await losses.getAttribute("data-loss"))).toBe(last);
      expect(Number(await losses.getAttribute("data-steps"))).toBeGreaterThan(1);
      expect(await page.locator("[data-curve-fit]").getAttribute("data-fitted")).toBe("64");
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("lesson 1's data", () => {
    const browser = useChromium();

    it("decodes the bundled zip to exactly the pixels the generator draws in Node", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      expect(problems).toEqual([]);
      const card = page.locator(".dataset");
      expect(await card.getAttribute("data-images")).toBe("300");
      expect(await card.getAttribute("data-skipped")).toBe("0");
      const drawn = generateDataset({ set: "pets", seed: 42, perClass: 150, size: 96 }).items.sort((a, b) => comparePaths(a.file, b.file));
      expect(await card.getAttribute("data-fingerprint")).toBe(fingerprint(drawn));
      expect(await page.locator("[data-batch=valid] canvas").count()).toBe(12);
      expect(await page.locator("[data-batch=train] canvas").count()).toBe(12);
      await page.close();
    });

    it("lesson 2 loads the noisy set with 5 % flipped labels and shows the resize modes and augmentations", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-2.html`);
      expect(problems).toEqual([]);
      const card = page.locator("[data-flipped]");
      expect(await card.getAttribute("data-images")).toBe("300");
      expect(await card.getAttribute("data-flipped")).toBe("15");
      expect(await page.locator("[data-resize-modes] figcaption").allTextContents()).toEqual(["original192 × 96", "squish64 × 64", "crop64 × 64", "pad64 × 64"]);
      expect(await page.locator("[data-augmentations] canvas").count()).toBe(8);
      // the loss explorer: sure and wrong costs −ln p
      const p = page.locator("form:has(label:text-is('probability of the right class')) input[type=number]");
      await p.fill("0.05");
      await p.dispatchEvent("input");
      await page.waitForSelector("[data-loss-explorer][data-p='0.05']", { timeout: 30_000 });
      expect(Number(await page.locator("[data-loss-explorer]").getAttribute("data-loss"))).toBeCloseTo(-Math.log(0.05), 10);
      expect(await page.locator("[data-loss-explorer]").getAttribute("data-correct")).toBe("false");
      expect(problems).toEqual([]);
      await page.close();
    });

    it("loads 2,000 images from ?data=URL without a crash, and records the memory it took", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html?data=/test-data/pets-2000.zip`);
      expect(problems).toEqual([]);
      expect(await page.locator(".dataset").getAttribute("data-images")).toBe("2000");
      const memory = await page.evaluate("({heap: performance.memory.usedJSHeapSize, tensors: null})");
      console.log(`browser load of 2,000 images (64 px): JS heap ${((memory as { heap: number }).heap / 2 ** 20).toFixed(0)} MiB after load`);
      await page.close();
    });
  });

  describe("lesson 1's later sections and the app", () => {
    const browser = useChromium();

    it("shows the head in the summary, saves the model every epoch, overfits a small set, predicts a dropped picture, and the app loads the saved model", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      // learn.summary(): while frozen only the head trains
      const summary = page.locator("[data-summary]");
      const [trainable, total] = [Number(await summary.getAttribute("data-trainable")), Number(await summary.getAttribute("data-total"))];
      expect(trainable).toBeGreaterThan(0);
      expect(trainable).toBeLessThan(total);
      expect(await page.locator("[data-summary] tr[data-part=head]").count()).toBeGreaterThan(3);
      await page.locator("label:text-is('after unfreezing')").click();
      await page.waitForFunction(`document.querySelector("[data-summary]")?.dataset.trainable === "${total}"`, undefined, { timeout: 30_000 });
      // fineTune saves to IndexedDB after every epoch
      await page.waitForSelector("[data-training=done]", { timeout: 240_000 });
      await page.waitForSelector("[data-saved='unfrozen 3']", { timeout: 30_000 });
      // overfitting: validation loss turns up while training loss falls
      await page.locator("button:text-is('Train on the small set')").click();
      await page.waitForSelector("[data-overfit-status=done]", { timeout: 120_000 });
      expect(Number(await page.locator("[data-overfit]").getAttribute("data-overfit"))).toBe(15);
      expect(Number(await page.locator("[data-turn]").getAttribute("data-turn"))).toBeGreaterThanOrEqual(1);
      expect(await page.locator("[data-overfit-status]").textContent()).toMatch(/The validation loss was lowest after epoch \d+/);
      // predict: a drawn face at once, then a dropped PNG
      const mine = page.locator(".card [data-prediction]");
      expect(["cat", "dog"]).toContain(await mine.getAttribute("data-prediction"));
      const cat = drawPet(seededRandom(99), { species: "cat", size: 96 });
      await dropFile(page, "cat.png", encodePng(cat));
      await page.waitForFunction(`document.querySelector(".dl-drop-status")?.textContent === "cat.png" && document.querySelector(".card img[src^=blob]") !== null`, undefined, { timeout: 30_000 });
      const probs = (await page.locator(".card [data-prediction]").getAttribute("data-probs"))!.split(",").map(Number);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(problems).toEqual([]);
      await page.close();
      // the app picks up the model lesson 1 saved in this browser
      const app = await visit(browser.context, `${site.url}/app.html`);
      await app.page.locator("label:text-is('the model you trained in lesson 1')").click();
      await app.page.waitForFunction(`document.querySelector("[data-model]")?.textContent.includes("Trained for 4 epochs")`, undefined, { timeout: 30_000 });
      expect(["cat", "dog"]).toContain(await app.page.locator("[data-prediction]").getAttribute("data-prediction"));
      expect(app.problems).toEqual([]);
      await app.page.close();
    });
  });

  describe("lesson 1's training", () => {
    const browser = useChromium();

    it("fine-tunes the pretrained base live, beats random weights, and keeps tensors flat across re-runs", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      const training = page.locator(".training");
      await page.waitForSelector(".training[data-training=done], .training[data-training=error]", { timeout: 240_000 });
      expect(await training.getAttribute("data-training")).toBe("done");
      const errorRate = Number(await training.getAttribute("data-error-rate"));
      expect(errorRate).toBeLessThanOrEqual(0.1); // chance is 0.5; measured 0.05 (95.0 %), as in Node
      expect(Number(await page.locator("[data-loss-chart]").getAttribute("data-batches"))).toBe(4 * 7);
      expect(await page.locator("[data-base-classes]").getAttribute("data-base-classes")).toBe("20");
      const tensors = await training.getAttribute("data-tensors");
      // a knob re-runs training: the old learner is disposed, the new one takes its place
      const epochs = page.locator("form:has(label:text-is('epochs')) input[type=number]");
      await epochs.fill("1");
      await epochs.dispatchEvent("input");
      await page.waitForSelector(".training[data-training=running]", { timeout: 60_000 });
      await page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
      expect(await training.getAttribute("data-tensors")).toBe(tensors);
      expect(Number(await page.locator("[data-loss-chart]").getAttribute("data-batches"))).toBe(2 * 7);
      // the same budget from random weights is far worse
      await page.locator("button:text-is('Train the same network from random weights')").click();
      await page.waitForSelector("[data-compare=done]", { timeout: 240_000 });
      const pretrainedError = Number(await training.getAttribute("data-error-rate"));
      const scratchError = Number(await page.locator("[data-compare]").getAttribute("data-scratch-error-rate"));
      expect(scratchError - pretrainedError).toBeGreaterThanOrEqual(0.15);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("lrFind sweeps, draws the curve and suggests a rate", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html`);
      await page.locator("button:text-is('Run lrFind')").click();
      await page.waitForSelector("[data-lr-suggestion]", { timeout: 240_000 });
      const suggestion = Number(await page.locator("[data-lr-suggestion]").getAttribute("data-lr-suggestion"));
      expect(suggestion).toBeGreaterThan(1e-6);
      expect(suggestion).toBeLessThan(1);
      expect(await page.locator("[data-lr-find]").count()).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("lesson 2's train-then-clean", () => {
    const browser = useChromium();

    it("trains on the noisy pets, then shows the top losses, how many flips they hold, and the confusion matrix", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-2.html`);
      await page.waitForSelector("[data-found]", { timeout: 240_000 });
      expect(await page.locator("[data-top-losses] figure").count()).toBe(30);
      const found = Number(await page.locator("[data-found]").getAttribute("data-found"));
      expect(found).toBeGreaterThan(0);
      expect(found).toBeLessThanOrEqual(15);
      const confusion = (await page.locator("[data-confusion]").getAttribute("data-confusion"))!.split(";").map((row) => row.split(",").map(Number));
      expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
      // exported to IndexedDB and loaded back: the same probabilities
      await page.waitForSelector("[data-parity]", { timeout: 60_000 });
      expect(Number(await page.locator("[data-parity]").getAttribute("data-parity"))).toBeLessThanOrEqual(1e-5);
      expect(await page.locator("[data-parity]").textContent()).toMatch(/the same label for\s+60 of 60\s+validation/);
      expect(await page.locator("[data-metadata] pre").textContent()).toContain('"format": "dl-course/image-classifier"');
      // the download is one zip that loadLearner reads in Node, with the page's classes
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("button:text-is('Download the model (.zip)')").click()]);
      expect(download.suggestedFilename()).toBe("pets-model.zip");
      const zipped = await loadLearner(new Blob([await readFile((await download.path())!)]));
      expect(zipped.classes).toEqual(["cat", "dog"]);
      zipped.dispose();
      // clicking the "cat taken for dog" cell opens those images in the cleaner
      await page.locator("[data-confusion] [aria-label=cell] rect").nth(1).click();
      await page.waitForFunction(`[...document.querySelectorAll("[data-cleaner] figcaption div:first-child")].every((d) => d.textContent === "dog / cat")`, undefined, { timeout: 30_000 });
      expect(await page.locator("[data-cleaner] figure").count()).toBe(Math.min(24, confusion[0]![1]!));
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("lesson 2's cleaner", () => {
    const browser = useChromium();

    it("keeps an edit across switching class and reloading the page (IndexedDB)", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-2.html`);
      await page.waitForSelector("[data-cleaner] select", { timeout: 240_000 });
      const first = page.locator("[data-cleaner] select").first();
      const file = (await first.getAttribute("data-edit"))!;
      await first.selectOption("delete");
      expect(await page.locator(".dl-cleaner-pending").textContent()).toBe("1 to delete, 0 to relabel");
      const classSelect = page.locator("form:has(label:text-is('class')) select");
      await classSelect.selectOption(file.startsWith("cat/") ? "dog" : "cat");
      await page.waitForFunction(`!document.querySelector('[data-edit="${file}"]')`, undefined, { timeout: 30_000 });
      await classSelect.selectOption("all");
      await page.waitForSelector(`[data-edit="${file}"]`, { timeout: 30_000 });
      expect(await page.locator(`[data-edit="${file}"]`).inputValue()).toBe("delete");
      await page.reload();
      await page.waitForSelector(`[data-edit="${file}"]`, { timeout: 240_000 });
      expect(await page.locator(`[data-edit="${file}"]`).inputValue()).toBe("delete");
      expect(await page.locator(".dl-cleaner-pending").textContent()).toBe("1 to delete, 0 to relabel");
      // the edits download as JSON naming the dataset, and a file imported joins them
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("button:text-is('Download the edits (JSON)')").click()]);
      const saved = JSON.parse(await readFile((await download.path())!, "utf8")) as { format: string; dataset: string; edits: Record<string, unknown> };
      expect(saved.format).toBe("dl-course-cleaner-edits");
      expect(saved.edits).toEqual({ [file]: { action: "delete" } });
      const importInput = page.locator("form:has(label:text-is('Import edits')) input[type=file]");
      await importInput.setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from("{not json") });
      await page.waitForSelector("[data-import=error]", { timeout: 30_000 });
      expect(await page.locator("[data-import]").textContent()).toMatch(/^Could not import bad\.json: the edits file is not JSON .*; give a file saved by the cleaner$/);
      const other = (await page.locator("[data-cleaner] select").nth(1).getAttribute("data-edit"))!;
      const relabelTo = other.startsWith("cat/") ? "dog" : "cat";
      const file2 = JSON.stringify({ ...saved, edits: { [other]: { action: "relabel", label: relabelTo } } });
      await importInput.setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(file2) });
      await page.waitForSelector("[data-import=done]", { timeout: 30_000 });
      await page.waitForFunction(`document.querySelector(".dl-cleaner-pending")?.textContent === "1 to delete, 1 to relabel"`, undefined, { timeout: 30_000 });
      expect(await page.locator(`[data-edit="${other}"]`).inputValue()).toBe(`relabel:${relabelTo}`);
      expect(await page.locator(`[data-edit="${file}"]`).inputValue()).toBe("delete");
      // apply and re-train: a real run on the cleaned dataset, with the before/after line
      await page.locator("button:text-is('Apply the edits and train again')").click();
      await page.waitForSelector("[data-retrain=done], [data-retrain=error]", { timeout: 240_000 });
      expect(await page.locator("[data-retrain]").getAttribute("data-retrain")).toBe("done");
      expect(Number(await page.locator("[data-retrain]").getAttribute("data-after-error-rate"))).toBeLessThan(0.5);
      expect(await page.locator("[data-retrain]").textContent()).toMatch(/After \(1 deleted,\s+1 relabelled\):\s+[\d.]+ %/);
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("the app page", () => {
    const browser = useChromium();

    it("predicts on a drawn picture at once, then on a dropped PNG as Node does, and explains what it cannot do", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
      expect(problems).toEqual([]);
      expect(await page.locator("[data-model]").getAttribute("data-model")).toBe("ready");
      // the first prediction needs no input: a picture drawn on the page
      const first = page.locator("[data-prediction]");
      expect(["cat", "dog"]).toContain(await first.getAttribute("data-prediction"));
      const firstProbs = (await first.getAttribute("data-probs"))!.split(",").map(Number);
      expect(firstProbs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Number(await page.locator("[data-ms]").getAttribute("data-ms"))).toBeGreaterThan(0);
      // a PNG given to the picker: the same probabilities as the same model in Node (wasm both)
      const dog = drawPet(seededRandom(424242), { species: "dog", size: 96 });
      const learner = await loadLearner(join(project, "data/models/pets"));
      const expected = await learner.predict(dog);
      learner.dispose();
      await dropFile(page, "dog.png", encodePng(dog));
      await page.waitForFunction(`document.querySelector(".dl-drop-status")?.textContent === "dog.png" && document.querySelector("img[src^=blob]") !== null`, undefined, { timeout: 30_000 });
      const probs = (await page.locator("[data-prediction]").getAttribute("data-probs"))!.split(",").map(Number);
      expect(await page.locator("[data-prediction]").getAttribute("data-prediction")).toBe(expected.label);
      expect(Math.max(...probs.map((p, i) => Math.abs(p - expected.probs[i]!)))).toBeLessThanOrEqual(1e-5);
      // a broken file: a clear line, the page still works
      await dropFile(page, "broken.png", "not a png");
      await page.waitForSelector("[data-prediction-error]", { timeout: 30_000 });
      expect(await page.locator("[data-prediction-error]").textContent()).toMatch(/^Could not read broken\.png: /);
      // no camera here (headless, no fake device): it says so, and the rest keeps working
      await page.locator("button:text-is('Use the camera')").click();
      await page.waitForSelector("[data-camera=error]", { timeout: 30_000 });
      expect(await page.locator("[data-camera=error]").textContent()).toMatch(/^No camera: \w+: .*Drop or pick a picture instead\.$/);
      // no model trained in this browser yet: it says what to do
      await page.locator("label:text-is('the model you trained in lesson 1')").click();
      await page.waitForSelector("[data-model=error]", { timeout: 30_000 });
      expect(await page.locator("[data-model=error]").textContent()).toMatch(/^This browser has no model from lesson 1 yet: train one there/);
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("the app's camera (Chromium's fake camera)", () => {
    const browser = useChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);

    it("takes a picture with the camera and predicts on it", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
      await page.locator("button:text-is('Use the camera')").click();
      await page.waitForSelector("[data-camera=on] video", { timeout: 30_000 });
      await page.waitForFunction(`document.querySelector("[data-camera=on] video").videoWidth > 0`, undefined, { timeout: 30_000 });
      await page.locator("button:text-is('Take the picture')").click();
      await page.waitForFunction(`document.querySelector(".dl-drop-status")?.textContent === "camera.png" && document.querySelector(".app-result img[src^=blob]") !== null`, undefined, { timeout: 30_000 });
      expect(["cat", "dog"]).toContain(await page.locator("[data-prediction]").getAttribute("data-prediction"));
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("loadLearner and predict in the browser", () => {
    const browser = useChromium();

    it("loads a model .zip by URL and gives the same probabilities for a File, a URL, an <img>, an ImageBitmap, a canvas and ImageData", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
      // the page's own copy of the library, as the built site bundles it
      const results = (await page.evaluate(`(async () => {
        const href = [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href).find((h) => h.includes("/_import/lib/index."));
        const lib = await import(href);
        const learner = await lib.loadLearner("/test-data/pets-model.zip");
        const blob = await (await fetch("/test-data/dog.png")).blob();
        const file = new File([blob], "dog.png", {type: "image/png"});
        const img = new Image();
        img.src = "/test-data/dog.png";
        await img.decode();
        const bitmap = await createImageBitmap(blob);
        const canvas = document.createElement("canvas");
        [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
        canvas.getContext("2d").drawImage(img, 0, 0);
        const imageData = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        const inputs = {file, url: "/test-data/dog.png", img, bitmap, canvas, imageData};
        const out = {classes: learner.classes};
        for (const [name, input] of Object.entries(inputs)) out[name] = (await learner.predict(input)).probs;
        out.batch = (await learner.predictBatch([file, img])).map((p) => p.probs);
        learner.dispose();
        return out;
      })()`)) as Record<string, number[]> & { classes: string[]; batch: number[][] };
      expect(results.classes).toEqual(["cat", "dog"]);
      // Node, same model, same pixels (PNG is lossless)
      const node = await loadLearner(join(project, "data/models/pets"));
      const expected = (await node.predict(drawPet(seededRandom(31337), { species: "dog", size: 96 }))).probs;
      node.dispose();
      for (const name of ["file", "url", "img", "bitmap", "canvas", "imageData"]) {
        const diff = Math.max(...results[name]!.map((p, i) => Math.abs(p - expected[i]!)));
        expect(diff, name).toBeLessThanOrEqual(1e-5);
      }
      expect(results.batch).toHaveLength(2);
      expect(Math.max(...results.batch[1]!.map((p, i) => Math.abs(p - expected[i]!)))).toBeLessThanOrEqual(1e-5);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("the app loads a model from picked files (model.json + weights.bin), and says what is wrong with a file that is not one", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
      await page.locator("label:text-is('a model file')").click();
      await page.waitForSelector("[data-model=waiting]", { timeout: 30_000 });
      const picker = page.locator("form:has(label:text-is('Model file')) input[type=file]");
      await picker.setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: Buffer.from(encodePng(drawPet(seededRandom(5), { species: "cat", size: 32 }))) });
      await page.waitForSelector("[data-model=error]", { timeout: 30_000 });
      expect(await page.locator("[data-model=error]").textContent()).toMatch(/model|zip|json/i);
      await picker.setInputFiles(["model.json", "weights.bin"].map((f) => join(project, "data/models/pets", f)));
      await page.waitForSelector("[data-model=ready]", { timeout: 30_000 });
      expect(["cat", "dog"]).toContain(await page.locator("[data-prediction]").getAttribute("data-prediction"));
      expect(problems).toEqual([]);
      await page.close();
    });
  });

  describe("without WebGL", () => {
    const browser = useChromium(NO_WEBGL_FLAGS, { initScript: NO_OFFSCREEN_WEBGL });

    it("the home page falls back to wasm loaded from the site and says so in plain words", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");
      expect(await page.locator(".machine .banner").textContent()).toMatch(/^WebGL is not available in this browser/);
      expect(await page.locator(".machine").textContent()).toMatch(/webgl\s*✗ webgl could not start in this environment.*wasm\s*✓ started — in use/s);
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      await page.close();
    });
  });
});

describe.skipIf(chromiumPath === undefined)("npm run dev (observable preview)", () => {
  it("serves the home page with the library and tfjs, as the build does; editing a later cell of a lesson keeps the model trained above it", async () => {
    const port = 3100 + Math.floor(Math.random() * 800);
    const preview = spawn(join(project, "node_modules", ".bin", "observable"), ["preview", "--host", "127.0.0.1", "--port", String(port), "--no-open"], {
      cwd: project,
      env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const browser = await launchChromium();
    try {
      await new Promise<void>((resolve, reject) => {
        preview.stdout.on("data", (chunk: Buffer) => String(chunk).includes(`127.0.0.1:${port}`) && resolve());
        preview.on("exit", (code) => reject(new Error(`observable preview exited with ${code}`)));
      });
      const { page, problems } = await visit(browser.context, `http://127.0.0.1:${port}/`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");

      // editing a later cell re-runs that cell only: the model trained above it survives
      const copy = join(project, "lessons", `tweak-check-${port}.md`);
      writeFileSync(copy, readFileSync(join(project, "lessons", "lesson-1.md"), "utf8"));
      try {
        const lesson = await visit(browser.context, `http://127.0.0.1:${port}/tweak-check-${port}`, { timeout: 240_000 });
        await lesson.page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
        await lesson.page.evaluate(`document.querySelector(".training").dataset.marker = "trained once"`);
        const chart = "resize((width) => lossChart(training, {width}))";
        writeFileSync(copy, readFileSync(copy, "utf8").replace(chart, "resize((width) => lossChart(training, {width, height: 123}))"));
        await lesson.page.waitForFunction(`[...document.querySelectorAll("[data-loss-chart] svg")].some((svg) => svg.getAttribute("height") === "123")`, undefined, { timeout: 60_000 });
        expect(await lesson.page.locator(".training").getAttribute("data-marker")).toBe("trained once");
        expect(await lesson.page.locator(".training").getAttribute("data-training")).toBe("done");
        expect(lesson.problems).toEqual([]);
      } finally {
        rmSync(copy, { force: true });
      }
    } finally {
      await browser.close();
      preview.kill();
    }
  }, 400_000);
});
