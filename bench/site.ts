// The `site` suite: how long lesson 1 takes to render its first screen in headless Chromium, built
// as a notebook (every cell's code shown, the notebook's toolbar) and as a plain page
// (DLCOURSE_NOTEBOOK=off), and how long the first Edit takes (loading CodeMirror and the compiler).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/browser/chromium.js";
import { serveStatic } from "../tests/browser/server.js";
import type { BenchRow } from "./table.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const VISITS = 3;

function buildSite(output: string, notebook: boolean): void {
  const env = { ...process.env, DLCOURSE_OUTPUT: output, DLCOURSE_NOTEBOOK: notebook ? "on" : "off" };
  const run = spawnSync("npm", ["run", "build"], { cwd: root, env, encoding: "utf8" });
  if (run.status !== 0)
    throw new Error(`npm run build (${notebook ? "notebook" : "plain"}) failed:\n${run.stdout}\n${run.stderr}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function siteBenchmarks(): Promise<BenchRow[]> {
  if (findChromium() === undefined)
    return [{ name: "site suite skipped: Chromium not found", value: 0, unit: "-", note: INSTALL_HINT }];
  const dir = mkdtempSync(join(tmpdir(), "dl-course-site-"));
  const browser = await launchChromium();
  const servers: Awaited<ReturnType<typeof serveStatic>>[] = [];
  try {
    const sites = { plain: join(dir, "plain"), notebook: join(dir, "notebook") };
    buildSite(sites.plain, false);
    buildSite(sites.notebook, true);
    const urls = { plain: "", notebook: "" };
    for (const kind of ["plain", "notebook"] as const) {
      const server = await serveStatic(sites[kind]);
      servers.push(server);
      urls[kind] = `${server.url}/lesson-1.html`;
    }
    const times = { plain: [] as number[], notebook: [] as number[] };
    const edits: number[] = [];
    // alternate the two, so that a busy moment of this shared machine hits both alike
    for (let visit = 0; visit < VISITS; visit++) {
      for (const kind of ["plain", "notebook"] as const) {
        const page = await browser.context.newPage();
        await page.goto(urls[kind], { waitUntil: "load" });
        await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, {
          timeout: 120_000,
        });
        times[kind].push((await page.evaluate("performance.now()")) as number);
        if (kind === "notebook") {
          // once lesson 1's training (which starts with the page) is done, as when a learner edits
          await page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
          const start = (await page.evaluate("performance.now()")) as number;
          await page.locator(".nb-cell .nb-edit").nth(2).click();
          await page.locator(".nb-cell .cm-editor").first().waitFor();
          edits.push(((await page.evaluate("performance.now()")) as number) - start);
        }
        await page.close();
      }
    }
    const plain = median(times.plain);
    const notebook = median(times.notebook);
    return [
      {
        name: "lesson 1 first render, plain page",
        value: plain,
        unit: "ms",
        note: `median of ${VISITS}, navigation to no cell loading`,
      },
      {
        name: "lesson 1 first render, notebook",
        value: notebook,
        unit: "ms",
        note: `median of ${VISITS}; ${(notebook / plain).toFixed(2)}× the plain page`,
      },
      {
        name: "first Edit (loads CodeMirror + compiler)",
        value: median(edits),
        unit: "ms",
        note: `median of ${VISITS}, click to editor shown, page idle`,
      },
    ];
  } finally {
    for (const server of servers) await server.close();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
