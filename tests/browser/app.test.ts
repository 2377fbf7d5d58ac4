import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useChromium } from "./chromium.js";
import { chromiumPath, dropFile, project, useSite } from "./site.js";
import { visit } from "./visit.js";
import { encodePng } from "../../src/node/encode.js";
import "../../src/node/model-files.js";
import { loadLearner } from "../../src/export/load.js";
import { drawPet } from "../../src/draw/pets.js";
import { seededRandom } from "../../src/random.js";

// The app (app.html), and the library as the built site bundles it: loadLearner and predict in the page.
// The app test that finds no lesson 1 model relies on its describe block's fresh Chromium profile
// (empty IndexedDB); the app loading a model lesson 1 saved is tested in lesson-1.test.ts.
describe.skipIf(chromiumPath === undefined)("the app in headless Chromium", () => {
  const site = useSite(["/test-data/pets-model.zip", "/test-data/dog.png"]);

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
      await page.waitForFunction(
        `document.querySelector(".dl-drop-status")?.textContent === "dog.png" && document.querySelector("img[src^=blob]") !== null`,
        undefined,
        { timeout: 30_000 },
      );
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
      expect(await page.locator("[data-camera=error]").textContent()).toMatch(
        /^No camera: \w+: .*Drop or pick a picture instead\.$/,
      );
      // no model trained in this browser yet: it says what to do
      await page.locator("label:text-is('the model you trained in lesson 1')").click();
      await page.waitForSelector("[data-model=error]", { timeout: 30_000 });
      expect(await page.locator("[data-model=error]").textContent()).toMatch(
        /^This browser has no model from lesson 1 yet: train one there/,
      );
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
      await page.waitForFunction(`document.querySelector("[data-camera=on] video").videoWidth > 0`, undefined, {
        timeout: 30_000,
      });
      await page.locator("button:text-is('Take the picture')").click();
      await page.waitForFunction(
        `document.querySelector(".dl-drop-status")?.textContent === "camera.png" && document.querySelector(".app-result img[src^=blob]") !== null`,
        undefined,
        { timeout: 30_000 },
      );
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
      await picker.setInputFiles({
        name: "cat.png",
        mimeType: "image/png",
        buffer: Buffer.from(encodePng(drawPet(seededRandom(5), { species: "cat", size: 32 }))),
      });
      await page.waitForSelector("[data-model=error]", { timeout: 30_000 });
      expect(await page.locator("[data-model=error]").textContent()).toMatch(/model|zip|json/i);
      await picker.setInputFiles(["model.json", "weights.bin"].map((f) => join(project, "data/models/pets", f)));
      await page.waitForSelector("[data-model=ready]", { timeout: 30_000 });
      expect(["cat", "dog"]).toContain(await page.locator("[data-prediction]").getAttribute("data-prediction"));
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
