import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { useChromium } from "./chromium.js";
import { chromiumPath, useSite } from "./site.js";
import { visit } from "./visit.js";
import { loadLearner } from "../../src/export/load.js";
import "../../src/node/model-files.js";

// Lesson 2 (lesson-2.html): the noisy set, train-then-clean, and the cleaner's edits.
describe.skipIf(chromiumPath === undefined)("lesson 2 in headless Chromium", () => {
  const site = useSite();

  describe("lesson 2's data", () => {
    const browser = useChromium();

    it("lesson 2 loads the noisy set with 5 % flipped labels and shows the resize modes and augmentations", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/lesson-2.html`);
      expect(problems).toEqual([]);
      const card = page.locator("[data-flipped]");
      expect(await card.getAttribute("data-images")).toBe("300");
      expect(await card.getAttribute("data-flipped")).toBe("15");
      expect(await page.locator("[data-resize-modes] figcaption").allTextContents()).toEqual([
        "original192 × 96",
        "squish64 × 64",
        "crop64 × 64",
        "pad64 × 64",
      ]);
      expect(await page.locator("[data-augmentations] canvas").count()).toBe(8);
      // the loss explorer: sure and wrong costs −ln p
      const p = page.locator("form:has(label:text-is('probability of the right class')) input[type=number]");
      await p.fill("0.05");
      await p.dispatchEvent("input");
      await page.waitForSelector("[data-loss-explorer][data-p='0.05']", { timeout: 30_000 });
      expect(Number(await page.locator("[data-loss-explorer]").getAttribute("data-loss"))).toBeCloseTo(
        -Math.log(0.05),
        10,
      );
      expect(await page.locator("[data-loss-explorer]").getAttribute("data-correct")).toBe("false");
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
      const confusion = (await page.locator("[data-confusion]").getAttribute("data-confusion"))!
        .split(";")
        .map((row) => row.split(",").map(Number));
      expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
      // exported to IndexedDB and loaded back: the same probabilities
      await page.waitForSelector("[data-parity]", { timeout: 60_000 });
      expect(Number(await page.locator("[data-parity]").getAttribute("data-parity"))).toBeLessThanOrEqual(1e-5);
      expect(await page.locator("[data-parity]").textContent()).toMatch(/the same label for\s+60 of 60\s+validation/);
      expect(await page.locator("[data-metadata] pre").textContent()).toContain(
        '"format": "dl-course/image-classifier"',
      );
      // the download is one zip that loadLearner reads in Node, with the page's classes
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("button:text-is('Download the model (.zip)')").click(),
      ]);
      expect(download.suggestedFilename()).toBe("pets-model.zip");
      const zipped = await loadLearner(new Blob([await readFile((await download.path())!)]));
      expect(zipped.classes).toEqual(["cat", "dog"]);
      zipped.dispose();
      // clicking the "cat taken for dog" cell opens those images in the cleaner
      await page.locator("[data-confusion] [aria-label=cell] rect").nth(1).click();
      await page.waitForFunction(
        `[...document.querySelectorAll("[data-cleaner] figcaption div:first-child")].every((d) => d.textContent === "dog / cat")`,
        undefined,
        { timeout: 30_000 },
      );
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
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("button:text-is('Download the edits (JSON)')").click(),
      ]);
      const saved = JSON.parse(await readFile((await download.path())!, "utf8")) as {
        format: string;
        dataset: string;
        edits: Record<string, unknown>;
      };
      expect(saved.format).toBe("dl-course-cleaner-edits");
      expect(saved.edits).toEqual({ [file]: { action: "delete" } });
      const importInput = page.locator("form:has(label:text-is('Import edits')) input[type=file]");
      await importInput.setInputFiles({
        name: "bad.json",
        mimeType: "application/json",
        buffer: Buffer.from("{not json"),
      });
      await page.waitForSelector("[data-import=error]", { timeout: 30_000 });
      expect(await page.locator("[data-import]").textContent()).toMatch(
        /^Could not import bad\.json: the edits file is not JSON .*; give a file saved by the cleaner$/,
      );
      const other = (await page.locator("[data-cleaner] select").nth(1).getAttribute("data-edit"))!;
      const relabelTo = other.startsWith("cat/") ? "dog" : "cat";
      const file2 = JSON.stringify({ ...saved, edits: { [other]: { action: "relabel", label: relabelTo } } });
      await importInput.setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(file2) });
      await page.waitForSelector("[data-import=done]", { timeout: 30_000 });
      await page.waitForFunction(
        `document.querySelector(".dl-cleaner-pending")?.textContent === "1 to delete, 1 to relabel"`,
        undefined,
        { timeout: 30_000 },
      );
      expect(await page.locator(`[data-edit="${other}"]`).inputValue()).toBe(`relabel:${relabelTo}`);
      expect(await page.locator(`[data-edit="${file}"]`).inputValue()).toBe("delete");
      // apply and re-train: a real run on the cleaned dataset, with the before/after line
      await page.locator("button:text-is('Apply the edits and train again')").click();
      await page.waitForSelector("[data-retrain=done], [data-retrain=error]", { timeout: 240_000 });
      expect(await page.locator("[data-retrain]").getAttribute("data-retrain")).toBe("done");
      expect(Number(await page.locator("[data-retrain]").getAttribute("data-after-error-rate"))).toBeLessThan(0.5);
      expect(await page.locator("[data-retrain]").textContent()).toMatch(
        /After \(1 deleted,\s+1 relabelled\):\s+[\d.]+ %/,
      );
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
