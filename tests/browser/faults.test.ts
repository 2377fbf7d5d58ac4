import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useChromium } from "./chromium.js";
import { ISOLATION_HEADERS, serveStatic } from "./server.js";
import { chromiumPath, dist } from "./site.js";
import { visit } from "./visit.js";
import { loadLearner } from "../../src/export/load.js";
import { drawPet } from "../../src/draw/pets.js";
import { encodePng } from "../../src/node/encode.js";
import { datasetZip } from "../../src/node/write-dataset.js";
import { seededRandom } from "../../src/random.js";

// Faults a learner's browser can throw at the pages: a reload mid-training, storage that refuses a
// write, a WebGL context taken away mid-training, a folder of 5,000 files. docs/faults.md's browser rows
// come from these tests. Each describe block has its own Chromium (a fresh profile: empty IndexedDB).

/** 80 small drawn pets (64 training images: two batches an epoch), so a whole fine-tune takes seconds. */
const SMALL = "/test-data/pets-80.zip";
const LESSON_1_SMALL = `/lesson-1.html?data=${SMALL}`;
/** Bytes of storage the quota test leaves the site: less than any write the pages make. */
const QUOTA = 1_000;

/**
 * A page script that runs `action` (script text) the moment IndexedDB commits lesson 1's first model
 * save (its frozen epoch 1) in a page whose address matches `where`, once per tab: the fault strikes
 * mid-training, one epoch in, with no wait for the page to draw.
 */
function afterFirstSave(where: RegExp, action: string): string {
  return `{
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
      const tx = transaction.call(this, stores, mode, ...rest);
      if (mode === "readwrite" && [].concat(stores).includes("models_store") && ${where}.test(location.href)
          && !sessionStorage.getItem("dl-course-fault")) {
        tx.addEventListener("complete", () => {
          sessionStorage.setItem("dl-course-fault", "done");
          ${action};
        });
      }
      return tx;
    };
  }`;
}

/** A page script that keeps every WebGL context the page makes in `window.__webglContexts`. */
const KEEP_WEBGL_CONTEXTS = `{
  window.__webglContexts = [];
  for (const Canvas of [HTMLCanvasElement, OffscreenCanvas]) {
    const getContext = Canvas.prototype.getContext;
    Canvas.prototype.getContext = function (type, ...rest) {
      const context = getContext.call(this, type, ...rest);
      if (context !== null && /^webgl/.test(type)) window.__webglContexts.push(context);
      return context;
    };
  }
}`;

/** Script text that takes away every WebGL context KEEP_WEBGL_CONTEXTS kept, as a driver reset would. */
const LOSE_WEBGL_CONTEXTS = `for (const gl of window.__webglContexts) if (!gl.isContextLost()) gl.getExtension("WEBGL_lose_context").loseContext()`;

/** `text` with its runs of white space made one space, trimmed. */
function words(text: string | null): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** Opens the app with the model lesson 1 saved in this browser; resolves to what the page says of it. */
async function appModelLine(page: Page): Promise<string> {
  const line = async () => words(await page.locator("[data-model]").textContent());
  const courseModel = await line();
  await page.locator("label:text-is('the model you trained in lesson 1')").click();
  await expect.poll(line, { timeout: 30_000 }).not.toBe(courseModel);
  return line();
}

/** Types `text` into a cell just added with "+ cell" (it opens its editor itself) and presses Ctrl-Enter. */
async function typeAndRun(added: Locator, text: string): Promise<void> {
  await added.locator(".cm-editor").waitFor({ timeout: 60_000 });
  await added.locator(".cm-content").click();
  await added.page().keyboard.press("Control+a");
  await added.page().keyboard.insertText(text);
  await added.page().keyboard.press("Control+Enter");
}

describe.skipIf(chromiumPath === undefined)("faults in the browser", () => {
  let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
  const url = (path: string) => `${site!.url}${path}`;
  beforeAll(async () => {
    site = await serveStatic(
      dist,
      { [SMALL]: await datasetZip({ set: "pets", seed: 5, perClass: 40, size: 64 }) },
      { headers: ISOLATION_HEADERS },
    );
  });
  afterAll(async () => {
    await site?.close();
  });

  describe("a reload in the middle of training", () => {
    const browser = useChromium([], { initScript: afterFirstSave(/lesson-1\.html/, "location.reload()") });

    it("keeps the model saved after the last completed epoch: the app and lesson 2 load it", async () => {
      // (not visit(): the page reloads while it would be checking the first one)
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on(
        "console",
        (message) => void (message.type() === "error" && problems.push(`console error: ${message.text()}`)),
      );
      await page.goto(url(LESSON_1_SMALL), { waitUntil: "load" });
      // reloaded as frozen epoch 1's save committed; the new visit says what this browser keeps, long
      // before its own training (started again from scratch) could save over it
      await page.waitForEvent("load", { timeout: 120_000 });
      expect(await page.evaluate(`sessionStorage.getItem("dl-course-fault")`)).toBe("done");
      const notice = page.locator(".saved");
      await notice.waitFor({ timeout: 60_000 });
      expect(await notice.getAttribute("data-saved")).toBe("earlier");
      expect(words(await notice.textContent())).toMatch(
        /^This browser keeps the model lesson 1 saved after 1 epoch, on .*: the app can use it\. The training on this page replaces it after its first epoch; to keep it, download it first\. Download it \(\.zip\)$/,
      );
      expect(problems).toEqual([]);
      await page.close();
      const app = await visit(browser.context, url("/app.html"));
      expect(await appModelLine(app.page)).toBe(
        "Ready: it tells cat from dog apart, from 64 × 64 pixel images (crop to size), fine-tuned from course base. Trained for 1 epoch.",
      );
      expect(["cat", "dog"]).toContain(await app.page.locator("[data-prediction]").getAttribute("data-prediction"));
      expect(app.problems).toEqual([]);
      await app.page.close();

      // lesson 2 loads it with loadLearner, in a cell the learner adds
      const lesson2 = await visit(browser.context, url("/lesson-2.html"));
      // lesson 2's own training is not what this checks: stopped, it leaves the page's thread to the cell
      await lesson2.page.evaluate(`document.querySelector(".training button")?.click()`);
      const first = lesson2.page.locator(".nb-cell").nth(2);
      await first.locator(".nb-add").click();
      const added = lesson2.page.locator(".nb-added").first();
      await typeAndRun(
        added,
        'const lesson1Model = await loadLearner("indexeddb://dl-course-lesson-1");\ndisplay(`${lesson1Model.classes} after ${lesson1Model.metadata.training.epochs.length} epoch`);',
      );
      await expect.poll(() => added.textContent(), { timeout: 30_000 }).toContain("cat,dog after 1 epoch");
      expect(lesson2.problems).toEqual([]);
      await lesson2.page.close();
    });
  });

  describe("storage that refuses a write", () => {
    const browser = useChromium();

    it("a full quota: lessons 1 and 2 say what was not saved and keep the model and the edits on the page; lesson 1 downloads the model", async () => {
      // Chromium's own quota check, made to fail (1 kB: a 2 MB model, even a cleaner edit): IndexedDB aborts the commit
      // with QuotaExceededError, as on a full disk. The override lasts while this session is attached.
      const holder = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(holder);
      await cdp.send("Storage.overrideQuotaForOrigin", { origin: site!.url, quotaSize: QUOTA });
      const { page: lesson, problems } = await visit(browser.context, url(LESSON_1_SMALL));
      await lesson.waitForSelector(".training[data-training=done]", { timeout: 120_000 });
      const saved = lesson.locator("[data-saved=error]");
      await saved.locator("button").waitFor({ timeout: 30_000 });
      expect(words(await saved.textContent())).toBe(
        "could not save the model to indexeddb://dl-course-lesson-1: this site's storage in the browser is full (QuotaExceededError); " +
          "free space by deleting other models or site data in the browser's settings, or download the model as a file instead. " +
          "The model is not lost: it still works on this page. Download the model (.zip)",
      );
      // the model in memory still predicts
      expect(["cat", "dog"]).toContain(await lesson.locator(".card [data-prediction]").getAttribute("data-prediction"));
      // and the button hands it over whole
      const [download] = await Promise.all([lesson.waitForEvent("download"), saved.locator("button").click()]);
      const folder = mkdtempSync(join(tmpdir(), "dl-course-quota-"));
      const zip = join(folder, download.suggestedFilename());
      await download.saveAs(zip);
      expect(download.suggestedFilename()).toBe("lesson-1-model.zip");
      const learner = await loadLearner(zip);
      expect(learner.classes).toEqual(["cat", "dog"]);
      expect(learner.metadata.training?.epochs?.length).toBe(4);
      learner.dispose();
      rmSync(folder, { recursive: true, force: true });
      expect(problems).toEqual([]);
      await lesson.close();
      // nothing was claimed that was not kept: the app finds no model
      const app = await visit(browser.context, url("/app.html"));
      expect(await appModelLine(app.page)).toBe(
        "This browser has no model from lesson 1 yet: train one there (it is saved after every epoch), then come back.",
      );
      await app.page.close();

      // lesson 2: its export-and-reload, and a cleaner edit, refused the same way
      const lesson2 = await visit(browser.context, url("/lesson-2.html"));
      const reloaded = lesson2.page.locator("[data-reloaded=error]");
      await reloaded.waitFor({ timeout: 120_000 });
      expect(words(await reloaded.textContent())).toBe(
        "could not save the model to indexeddb://dl-course-lesson-2: this site's storage in the browser is full (QuotaExceededError); " +
          "free space by deleting other models or site data in the browser's settings, or download the model as a file instead. " +
          "The trained model still works on this page: “Download the model” above keeps it as a file.",
      );
      await lesson2.page.locator("[data-cleaner] select").first().selectOption("delete");
      const edits = lesson2.page.locator("[data-edits-kept=no]");
      await edits.waitFor({ timeout: 30_000 });
      expect(words(await edits.textContent())).toBe(
        "could not keep the cleaner's edits in this browser: this site's storage in the browser is full (QuotaExceededError); " +
          "free space by deleting other models or site data in the browser's settings. " +
          "Your edits are still on this page: download them (the button below) to keep them.",
      );
      expect(await lesson2.page.locator(".dl-cleaner-pending").textContent()).toBe("1 to delete, 0 to relabel");
      expect(lesson2.problems).toEqual([]);
      await lesson2.page.close();
      await holder.close();
    });
  });

  describe("a WebGL context lost mid-training", () => {
    // takes every WebGL context away (as a driver reset would) when frozen epoch 1's save is committed
    const browser = useChromium([], {
      initScript: `${KEEP_WEBGL_CONTEXTS}\n${afterFirstSave(/backend=webgl/, LOSE_WEBGL_CONTEXTS)}`,
    });

    it("stops training with a message, keeps the last epoch's save for the app, and one click trains on wasm", async () => {
      const { page, problems } = await visit(browser.context, url(`${LESSON_1_SMALL}&backend=webgl`));
      await page.waitForSelector(".training[data-training=error]", { timeout: 120_000 });
      expect(await page.evaluate(`window.__webglContexts.map((gl) => gl.isContextLost())`)).toContain(true);
      expect(await page.locator(".training .error").textContent()).toBe(
        "WebGL stopped working: the browser took away the graphics context TensorFlow.js computes on (the graphics driver was reset, " +
          "or the graphics chip ran out of memory), so training stopped. The model saved after the last completed epoch is kept in " +
          "this browser; switch to WebAssembly (?backend=wasm in the page's address) to train again",
      );
      expect(await page.locator("[data-saved]").getAttribute("data-saved")).toBe("frozen 1");
      expect(problems).toEqual([]);

      const app = await visit(browser.context, url("/app.html"));
      expect(await appModelLine(app.page)).toMatch(/Trained for 1 epoch\.$/);
      await app.page.close();
      // (the curve fit at the top of the page may have been running too, and offers the same button)
      await page.locator(".training button[data-switch-backend=wasm]").click();
      await page.waitForURL(/[?&]backend=wasm/, { timeout: 30_000 });
      await page.waitForSelector(".training[data-training=done]", { timeout: 120_000 });
      expect(await page.locator(".training").textContent()).toContain("on wasm");
      await page.close();
    });
  });

  describe("a WebGL context lost during lrFind", () => {
    const browser = useChromium([], { initScript: KEEP_WEBGL_CONTEXTS });
    /** Stops lesson 1's own training (it would share the engine with lrFind), runs lrFind, waits for 3 of its batches. */
    const sweepThreeBatches = async (page: Page) => {
      await page.evaluate(`document.querySelector(".training button")?.click()`);
      await page.locator("button:text-is('Run lrFind')").click();
      await page.waitForFunction(
        `Number(document.querySelector(".sweep [data-progress]")?.dataset.done) >= 3`,
        undefined,
        { timeout: 120_000 },
      );
    };

    it("stops lrFind with a message, and one click runs it on wasm", async () => {
      const { page, problems } = await visit(browser.context, url(`${LESSON_1_SMALL}&backend=webgl`));
      // a few of its 100 batches in, the context goes
      await sweepThreeBatches(page);
      await page.evaluate(LOSE_WEBGL_CONTEXTS);
      // before, the sweep stayed "running" for ever (tfjs's read-back from a lost context never returns)
      await page.waitForSelector(".sweep[data-sweep=error]", { timeout: 30_000 });
      const done = Number(await page.locator(".sweep [data-progress]").getAttribute("data-done"));
      expect(done).toBeGreaterThanOrEqual(3);
      expect(done).toBeLessThan(100);
      expect(await page.locator(".sweep .error").textContent()).toBe(
        "WebGL stopped working: the browser took away the graphics context TensorFlow.js computes on (the graphics driver was reset, " +
          "or the graphics chip ran out of memory), so lrFind stopped. Switch to WebAssembly (?backend=wasm in the page's address) to train again",
      );
      expect(problems).toEqual([]);
      await page.locator(".sweep button[data-switch-backend=wasm]").click();
      await page.waitForURL(/[?&]backend=wasm/, { timeout: 30_000 });
      await page.waitForSelector(".training", { timeout: 120_000 });
      // the sweep runs there: its batches go by (a whole sweep on wasm is lesson-1.test's)
      await sweepThreeBatches(page);
      expect(await page.locator(".sweep[data-sweep=error]").count()).toBe(0);
      await page.close();
    });
  });

  describe("a folder of 5,000 files", () => {
    const browser = useChromium();
    let root = "";
    beforeAll(() => {
      root = join(mkdtempSync(join(tmpdir(), "dl-course-folder-")), "pets");
      for (const species of ["cat", "dog"] as const) {
        mkdirSync(join(root, species), { recursive: true });
        for (let i = 0; i < 2500; i++) {
          const png = encodePng(drawPet(seededRandom(10_000 + i), { species, size: 16 }));
          writeFileSync(join(root, species, `${species}-${String(i).padStart(4, "0")}.png`), png);
        }
      }
    });
    afterAll(() => rmSync(join(root, ".."), { recursive: true, force: true }));

    it("loads with the progress bar moving and the page answering while it reads", async () => {
      // (the training on the page's 80 images is cancelled by the pick, as any new data cancels it)
      const { page, problems } = await visit(browser.context, url(LESSON_1_SMALL));
      // in the page: the progress bar's value every 50 ms; every animation frame's gap over 100 ms, with
      // when it ended and the bar's value then; the last frame before the bar reached 5,000 (all read),
      // and the first frame showing the new dataset's training batch (the 80 images' is marked old)
      await page.evaluate(`{
        document.querySelector("[data-batch=train]").dataset.old = "";
        const probe = (window.__probe = {values: [], gaps: [], readAt: 0, shownAt: 0});
        const bar = () => document.querySelector("p.progress progress");
        const shown = () => document.querySelector("[data-batch=train]:not([data-old]) .dl-show-batch") !== null;
        probe.poll = setInterval(() => bar() && probe.values.push([performance.now(), bar().value, bar().max]), 50);
        let last = performance.now();
        const frame = (now) => {
          const [value, max] = [bar()?.value ?? 0, bar()?.max ?? 0];
          if (now - last > 100) probe.gaps.push([now - last, now, value, max]);
          last = now;
          if (max !== 5000 || value < 5000) probe.readAt = now;
          else if (!probe.shownAt && shown()) probe.shownAt = now;
          probe.raf = requestAnimationFrame(frame);
        };
        probe.raf = requestAnimationFrame(frame);
      }`);
      const started = Date.now();
      await page.locator("form:has(label:text-is('Your own folder')) input[type=file]").setInputFiles(root);
      const picked = Date.now();
      // round trips to the page while it loads
      const roundTrips: number[] = [];
      while (
        (await page
          .locator("p.progress progress")
          .getAttribute("value")
          .catch(() => null)) !== "5000"
      ) {
        const sent = Date.now();
        await page.evaluate("1");
        roundTrips.push(Date.now() - sent);
        await page.waitForTimeout(100);
      }
      const loaded = Date.now();
      await page.waitForSelector(".dataset[data-images='5000']", { timeout: 60_000 });
      await page.waitForFunction(`window.__probe.shownAt > 0`, undefined, { timeout: 60_000 });
      const { values, gaps, readAt, shownAt } = (await page.evaluate(`(() => {
        const probe = window.__probe;
        clearInterval(probe.poll);
        cancelAnimationFrame(probe.raf);
        return probe;
      })()`)) as {
        values: [number, number, number][];
        gaps: [number, number, number, number][];
        readAt: number;
        shownAt: number;
      };
      const reading = values.filter(([, , max]) => max === 5000).map(([, value]) => value);
      const distinct = [...new Set(reading)];
      // gaps that ended while files were being read: not the pick itself (Chromium making 5,000 File
      // objects before the page sees one: the frame after it shows 0), nor what follows the load
      const loadGaps = gaps.filter(([, , value, max]) => max === 5000 && value > 0 && value < 5000).map(([gap]) => gap);
      const pickGap = Math.max(
        0,
        ...gaps.filter(([, , value, max]) => max !== 5000 || value === 0).map(([gap]) => gap),
      );
      // and what follows, up to the new training batch on the page: the dataset's card (its fingerprint),
      // the data loaders (resizing, once in one go: 1.25 s without a frame) and the batches shown. What
      // comes after is the training's: the cell estimating its time times one step again, then it trains.
      const preparingGaps = gaps.filter(([, end]) => end > readAt && end <= shownAt).map(([gap]) => gap);
      console.log(
        `5,000 files: picked in ${((picked - started) / 1000).toFixed(1)} s, read in ${((loaded - picked) / 1000).toFixed(1)} s; ` +
          `${distinct.length} progress values seen; longest frame gap while reading ${Math.max(0, ...loadGaps).toFixed(0)} ms ` +
          `(at the pick ${pickGap.toFixed(0)} ms); its batches shown ${(shownAt - readAt).toFixed(0)} ms after the last file read, ` +
          `the longest frame gap meanwhile ${Math.max(0, ...preparingGaps).toFixed(0)} ms; ` +
          `longest round trip ${Math.max(0, ...roundTrips)} ms over ${roundTrips.length}`,
      );
      expect(distinct.length).toBeGreaterThanOrEqual(20);
      expect(reading).toEqual([...reading].sort((a, b) => a - b)); // it only moves forward
      expect(reading.at(-1)).toBe(5000);
      expect(Math.max(0, ...loadGaps)).toBeLessThan(1000);
      expect(shownAt).toBeGreaterThan(readAt);
      expect(Math.max(0, ...preparingGaps)).toBeLessThan(750); // 1.5 s when the loaders resized all at once
      expect(roundTrips.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...roundTrips)).toBeLessThan(1000);
      expect(await page.locator(".dataset").getAttribute("data-skipped")).toBe("0");
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
