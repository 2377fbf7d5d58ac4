import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, useChromium } from "./chromium.js";
import { ISOLATION_HEADERS, serveStatic } from "./server.js";
import { visit, type Visit } from "./visit.js";

// The built lesson pages as notebooks (src/notebook/): code shown, edited, run, added, kept, reverted.
const project = join(import.meta.dirname, "..", "..");
const chromiumPath = findChromium();
const STORE_KEY = "dl-course:notebook:v1:/lesson-1";

/** The notebook cell whose shown code contains `text`. */
function cellWith(page: Page, text: string): Locator {
  return page.locator(".nb-cell", { has: page.locator("pre.nb-source", { hasText: text }) }).first();
}

/** Opens the cell's editor, replaces its text with `text` and presses Ctrl-Enter. */
async function editAndRun(cell: Locator, text: string): Promise<void> {
  if ((await cell.getAttribute("data-editing")) === null) await cell.locator(".nb-edit").click();
  await cell.locator(".cm-editor").waitFor();
  await cell.locator(".cm-content").click();
  await cell.page().keyboard.press("Control+a");
  await cell.page().keyboard.insertText(text);
  await cell.page().keyboard.press("Control+Enter");
}

/** Rows of fastai's epoch table under the fine-tune cell. */
function epochRows(page: Page): Promise<number> {
  return cellWith(page, "training.epochs.map(").locator("table tbody tr").count();
}

async function trained(page: Page): Promise<void> {
  await page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
}

describe.skipIf(chromiumPath === undefined)("lesson 1 as a notebook in the built site", () => {
  const browser = useChromium();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let lesson: Visit;
  let page: Page;
  let tensors: string | null;
  const chart = "resize((width) => lossChart(training, {width}))";
  const chartEdit = "resize((width) => lossChart(training, {width, height: 123}))";
  let fineTune: string;

  beforeAll(async () => {
    // served as a host that sends the isolation headers (without them the first visit reloads once: isolation.test.ts)
    site = await serveStatic(join(project, "dist"), {}, { headers: ISOLATION_HEADERS });
    lesson = await visit(browser.context, `${site.url}/lesson-1.html`, { timeout: 240_000 });
    page = lesson.page;
    await trained(page);
    tensors = await page.locator(".training").getAttribute("data-tensors");
    fineTune = (await cellWith(page, "fineTune(").locator("pre.nb-source").textContent())!;
  });

  afterAll(async () => {
    await page?.close();
    await site?.close();
  });

  it("shows every cell's code, the very text Framework compiled (its id is that text's hash), and loads no editor yet", async () => {
    const cells = await page.$$eval(".nb-cell", (nodes) =>
      nodes.map((n) => [n.getAttribute("data-cell"), n.querySelector("pre.nb-source")!.textContent]),
    );
    expect(cells.length).toBeGreaterThan(40);
    for (const [id, code] of cells)
      expect(createHash("sha256").update(code!).digest("hex").slice(0, 8)).toBe(id!.split("-")[0]);
    expect(fineTune).toContain("learn.fineTune(epochs,");
    expect(await cellWith(page, "fineTune(").isVisible()).toBe(true);
    // plumbing (imports) folded, teaching cells open
    expect(await page.locator(".nb-cell[data-fold]").count()).toBe(2);
    expect(await cellWith(page, "fineTune(").getAttribute("data-fold")).toBeNull();
    const requested = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    expect(requested.some((url) => url.includes("/assets/notebook/editor"))).toBe(false);
    expect(lesson.problems).toEqual([]);
  });

  it("editing a chart below the fine-tune cell re-runs that cell only: the model is not retrained", async () => {
    await page.evaluate(`document.querySelector(".training").dataset.marker = "trained once"`);
    const cell = cellWith(page, chart);
    await editAndRun(cell, chartEdit);
    await page.waitForFunction(
      `[...document.querySelectorAll("[data-loss-chart] svg")].some((svg) => svg.getAttribute("height") === "123")`,
      undefined,
      { timeout: 60_000 },
    );
    expect(await cell.getAttribute("data-state")).toBe("edited");
    expect(await cell.locator(".nb-badge").textContent()).toBe("edited");
    expect(await page.locator(".training").getAttribute("data-marker")).toBe("trained once");
    expect(await page.locator(".training").getAttribute("data-training")).toBe("done");
    const requested = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    expect(requested.filter((url) => url.includes("/assets/notebook/editor"))).toHaveLength(1);
  });

  it("compileCell in the page gives every cell the inputs, outputs and body the build gave it", async () => {
    // a string, so that the test runner does not rewrite its import()
    const mismatches: { wrong: string[]; imports: string[] } = await page.evaluate(`(async () => {
      const notebook = document.querySelector("#observablehq-main").__notebook;
      const lib = await import(notebook.options.editorUrl);
      const { pageCells } = globalThis.__dlcourseNotebook;
      const cells = [...document.querySelectorAll(".nb-cell:not(.nb-added)")].map((n) => ({ id: n.getAttribute("data-cell"), source: n.querySelector("pre.nb-source").textContent }));
      // the build writes imports relative to the page; the in-page resolver gives absolute URLs
      const base = "http://base.invalid/";
      const imports = lib.importsOf(cells.map((c) => ({ source: c.source, body: String(pageCells.get(c.id).body) })), base);
      const resolveImport = (s) => "./" + imports.get(s).slice(base.length);
      const wrong = [];
      for (const { id, source } of cells) {
        const original = pageCells.get(id);
        const code = lib.transpileCell(source, { id, path: "/lesson-1", resolveImport });
        const compiled = lib.compileCell(source, { id, path: "/lesson-1", resolveImport });
        const same =
          code.includes(String(original.body)) &&
          JSON.stringify(compiled.inputs ?? []) === JSON.stringify(original.inputs ?? []) &&
          JSON.stringify(compiled.outputs ?? []) === JSON.stringify(original.outputs ?? []);
        if (!same) wrong.push(id);
      }
      return { wrong, imports: [...imports.keys()] };
    })()`);
    expect(mismatches.wrong).toEqual([]);
    expect(mismatches.imports).toEqual(
      expect.arrayContaining(["@tensorflow/tfjs", "./lib/pages.js", "./components/backend.js"]),
    );
  });

  it("editing the epochs in the fine-tune cell's code, mid-run, stops that run and trains with those epochs; the tensor count comes back", async () => {
    // a knob starts a run (6 epochs); the edit replaces it before it ends
    const knob = page.locator("form:has(label:text-is('epochs')) input[type=number]");
    await knob.fill("5");
    await knob.dispatchEvent("input");
    await page.waitForSelector(".training[data-training=running]", { timeout: 60_000 });
    const cell = cellWith(page, "fineTune(");
    await editAndRun(
      cell,
      fineTune.replace("fineTune(epochs,", "fineTune(1,").replace("freezeEpochs + epochs", "freezeEpochs + 1"),
    );
    await page.waitForSelector(".training[data-training=running]", { timeout: 60_000 });
    await trained(page);
    expect(await epochRows(page)).toBe(2); // freezeEpochs (1) + 1, was 1 + 3
    expect(await page.locator(".training").getAttribute("data-tensors")).toBe(tensors);
    expect(await cell.getAttribute("data-state")).toBe("edited");
  });

  it("a syntax error shows its line and column in the cell and changes nothing; a thrown error shows in its cell only, with its line", async () => {
    const cell = cellWith(page, "lossChart(training");
    await editAndRun(cell, "resize((width) =>\n  lossChart(training, {width, height: 99})\n");
    const message = cell.locator(".nb-message");
    await message.waitFor();
    expect(await message.textContent()).toMatch(/^SyntaxError: Unexpected token \(3:0\)/);
    expect(await cell.getAttribute("data-state")).toBe("pending");
    // the chart that was running still is, and the learner's text is still in the editor
    expect(await page.locator("[data-loss-chart] svg[height='123']").count()).toBeGreaterThan(0);
    expect(await cell.locator(".cm-content").textContent()).toContain("height: 99");
    await editAndRun(cell, chartEdit);
    await expect.poll(() => message.isHidden()).toBe(true);

    await cell.locator(".nb-add").click();
    const added = page.locator(".nb-added").first();
    await editAndRun(added, 'const one = 1;\nif (one) {\n  throw new Error("boom");\n}');
    await added.locator(".observablehq--error").waitFor();
    expect(await added.locator(".observablehq--error").textContent()).toContain("boom (line 3)");
    expect(await page.locator(".observablehq--error").count()).toBe(1);
    expect(await page.locator(".training").getAttribute("data-training")).toBe("done");
  });

  it("a cell defining a name another cell defines is refused with both named", async () => {
    const added = page.locator(".nb-added").first();
    await editAndRun(added, "const epochs = 5;");
    const message = added.locator(".nb-message");
    await message.waitFor();
    expect(await message.textContent()).toBe(
      "`epochs` is already defined by the cell that starts `const defaults = fineTuneDefaults(base.info); // fastai's…`. Two cells cannot define the same name: rename it here, or edit that cell.",
    );
    expect(await page.locator(".training").getAttribute("data-training")).toBe("done");
  });

  it("an added cell sees the page's names: learn.summary() lists the trained model", async () => {
    const added = page.locator(".nb-added").first();
    await editAndRun(added, "learn.summary()");
    await expect
      .poll(() => added.locator(".observablehq--inspect").first().textContent(), { timeout: 30_000 })
      .toMatch(/totalParams: \d+/);
    const total = Number(
      /totalParams: (\d+)/.exec((await added.locator(".observablehq--inspect").first().textContent())!)![1],
    );
    expect(total).toBeGreaterThan(100_000);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
  });

  it("after a reload the edits are shown but nothing of them runs until Run; then they run", async () => {
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, {
      timeout: 120_000,
    });
    await trained(page);
    expect(await page.locator(".nb-cell[data-state=pending]").count()).toBe(3); // fine-tune, chart, added cell
    expect(await page.locator(".nb-notice").textContent()).toContain("3 cells show code you wrote earlier");
    expect(await cellWith(page, "fineTune(1,").count()).toBe(1);
    expect(await epochRows(page)).toBe(4); // the page's own training ran, not the edit
    expect(await page.locator("[data-loss-chart] svg[height='123']").count()).toBe(0);
    expect(await page.locator(".nb-added .observablehq--inspect").count()).toBe(0);

    await page.locator(".nb-run-saved").click();
    await page.waitForSelector(".training[data-training=running]", { timeout: 60_000 });
    await trained(page);
    expect(await epochRows(page)).toBe(2);
    await page.waitForSelector("[data-loss-chart] svg[height='123']");
    await expect
      .poll(() => page.locator(".nb-added .observablehq--inspect").first().textContent())
      .toMatch(/totalParams/);
    expect(await page.locator(".nb-cell[data-state=pending]").count()).toBe(0);
  });

  it("Download .md gives the page's Markdown with the edits and the added cell in it", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".nb-download").click()]);
    expect(download.suggestedFilename()).toBe("lesson-1.md");
    const markdown = await readFile((await download.path())!, "utf8");
    const original = await readFile(join(project, "lessons", "lesson-1.md"), "utf8");
    expect(markdown).toContain("await learn.fineTune(1, {baseLr");
    // the training cell's own line (the one that saves after each epoch) is the edited one now
    const trainingLine = original
      .split("\n")
      .find((l) => l.includes("learn.fineTune(epochs,") && l.includes("afterEpoch"));
    expect(trainingLine).toBeDefined();
    expect(markdown).not.toContain(trainingLine);
    expect(markdown).toContain(`${chartEdit}\n\`\`\`\n\n\`\`\`js\nlearn.summary()\n\`\`\``);
    expect(markdown.split("\n").length).toBe(original.split("\n").length + 4);
  });

  it("revert puts back a cell's own code and runs it; revert all restores the page and forgets every edit", async () => {
    const cell = cellWith(page, "fineTune(1,");
    await cell.locator(".nb-revert").click();
    expect(await cellWith(page, "fineTune(").locator("pre.nb-source").textContent()).toBe(fineTune);
    await page.waitForSelector(".training[data-training=running]", { timeout: 60_000 });
    await trained(page);
    expect(await epochRows(page)).toBe(4);
    expect(await page.locator(".training").getAttribute("data-tensors")).toBe(tensors);

    await page.locator(".nb-revert-all").click();
    expect(await page.locator(".nb-added").count()).toBe(0);
    expect(await page.locator(".nb-cell[data-edited]").count()).toBe(0);
    await page.waitForFunction(
      `![...document.querySelectorAll("[data-loss-chart] svg")].some((svg) => svg.getAttribute("height") === "123")`,
    );
    expect(await page.evaluate((key) => localStorage.getItem(key), STORE_KEY)).toBeNull();
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, {
      timeout: 120_000,
    });
    expect(await page.locator(".nb-added").count()).toBe(0);
    expect(await page.locator(".nb-cell[data-state=pending]").count()).toBe(0);
    expect(await page.locator(".nb-notice").isHidden()).toBe(true);
  });
});
