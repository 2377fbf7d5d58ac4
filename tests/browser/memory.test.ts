import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useChromium } from "./chromium.js";
import { ISOLATION_HEADERS, serveStatic } from "./server.js";
import { chromiumPath, dist, dropFile } from "./site.js";
import { visit } from "./visit.js";
import { tiledJpeg } from "../util/tiled-jpeg.js";

// Memory in Chromium: a 9000×9000 photo given to the library and to the app, the tab's and the GPU process's peak RSS read
// from /proc (Linux) after resetting their high-water marks (clear_refs). docs/faults.md's row.

const MiB = 1024 * 1024;
const SIDE = 9000;

/**
 * The renderer and GPU processes of the Chromium launched last with a dl-course-chromium- profile (this
 * file's: Chromium writes its arguments as one string, `--user-data-dir=…` among them).
 */
function chromiumProcesses(): { pid: number; type: string }[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        const dir = /--user-data-dir=(\S*dl-course-chromium-\S+)/.exec(cmdline)?.[1];
        const type = /--type=(renderer|gpu-process)\b/.exec(cmdline)?.[1];
        // field 22 of /proc/pid/stat, after the parenthesised name: start time in clock ticks
        const start = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19]);
        return dir && type ? [{ pid: Number(pid), type, dir, start }] : [];
      } catch {
        return []; // gone, or not ours to read
      }
    });
  const newest = all.reduce((a, b) => (b.start > a.start ? b : a), all[0]!)?.dir;
  return all.filter((p) => p.dir === newest).map(({ pid, type }) => ({ pid, type }));
}

/** VmRSS and VmHWM (peak) of `pid`, in bytes. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { now: kb("VmRSS"), peak: kb("VmHWM") };
}

describe.skipIf(chromiumPath === undefined || process.platform !== "linux")("a 9000×9000 photo in Chromium", () => {
  const browser = useChromium();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let photo: Uint8Array;
  const tile = new Uint8Array(
    readFileSync(fileURLToPath(new URL("../fixtures/jpeg/tile-420-restart.jpg", import.meta.url))),
  );
  beforeAll(async () => {
    photo = tiledJpeg(tile, SIDE, SIDE);
    site = await serveStatic(dist, { "/test-data/huge.jpg": photo }, { headers: ISOLATION_HEADERS });
  });
  afterAll(async () => {
    await site?.close();
  });

  /** Runs `script` in a page of the app and returns how much each Chromium process grew at its peak, and in all. */
  async function peakDuring(
    script: string | ((page: Page) => Promise<unknown>),
  ): Promise<{ total: number; line: string; result: unknown }> {
    const { page, problems } = await visit(browser.context, `${site.url}/app.html`);
    expect(problems).toEqual([]);
    const processes = chromiumProcesses();
    expect(processes.some((p) => p.type === "renderer")).toBe(true);
    // start each high-water mark at the process's size now
    for (const { pid } of processes) writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const before = new Map(processes.map(({ pid }) => [pid, rss(pid).now]));
    const result = typeof script === "string" ? await page.evaluate(script) : await script(page);
    const grown = processes.map(({ pid, type }) => ({ type, bytes: rss(pid).peak - before.get(pid)! }));
    await page.close();
    const total = grown.reduce((sum, g) => sum + Math.max(0, g.bytes), 0);
    const line = grown
      .filter((g) => g.bytes >= MiB)
      .map((g) => `${g.type} ${(g.bytes / MiB).toFixed(0)} MiB`)
      .join(", ");
    return { total, line, result };
  }

  it("decodeImageBlob shrinks it to 256 px with the tab peaking within twice its decoded pixels", async () => {
    const decoded = SIDE * SIDE * 4;
    // the page's own copy of the library, as the built site bundles it
    const { total, line, result } = await peakDuring(`(async () => {
      const href = [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href).find((h) => h.includes("/_import/lib/browser/index."));
      const lib = await import(href);
      const blob = await (await fetch("/test-data/huge.jpg")).blob();
      const image = await lib.decodeImageBlob(blob, "huge.jpg");
      return [image.width, image.height];
    })()`);
    console.log(
      `9000×9000 JPEG (${(photo.byteLength / MiB).toFixed(1)} MiB) through decodeImageBlob: peak above the page before it ${(total / MiB).toFixed(0)} MiB (${line}), ${(total / decoded).toFixed(2)}× its ${(decoded / MiB).toFixed(0)} MiB of RGBA`,
    );
    expect(result).toEqual([256, 256]);
    expect(total).toBeLessThanOrEqual(2 * decoded);
  });

  // Given by path, as a learner's pick is: Chromium reads the file itself. Playwright's setInputFiles with
  // the bytes instead (a buffer) sends them over the DevTools protocol and builds the File in the page,
  // which alone peaked 720 MiB in the renderer for this 27.5 MiB file on a bare <input> with no listener
  // (the figure docs/faults.md once gave for the app); by path the same bare input costs 3 MiB.
  it.each([
    // the app decodes the file twice, each time reading its bytes whole: for predict (256 px) and for
    // the preview (384 px); measured 72–78 MiB, most of it the two 27.5 MiB copies of the file
    { side: SIDE, boundMiB: 128 },
    // under 8 MB, the preview once showed the file itself in an <img>, which Chromium decodes at full
    // size: 207 MiB (2.69× its RGBA); through the course's decoder, 28–32 MiB
    { side: 4500, boundMiB: 64 },
  ])(
    "the app predicts on a $side×$side JPEG chosen in its picker, the tab peaking under $boundMiB MiB",
    async ({ side, boundMiB }) => {
      const bytes = side === SIDE ? photo : tiledJpeg(tile, side, side);
      const path = join(tmpdir(), `dl-course-memory-${process.pid}-${side}.jpg`);
      writeFileSync(path, bytes);
      try {
        const { total, line } = await peakDuring(async (page) => {
          await page.locator(".dl-drop input[type=file]").setInputFiles(path);
          // the prediction, then its preview, both made from the file
          await page.waitForFunction(
            `document.querySelector(".dl-drop-status")?.textContent === "${basename(path)}" && document.querySelector(".app-result img[src^=blob]")?.complete`,
            undefined,
            { timeout: 120_000 },
          );
          expect(await page.locator(".app-result img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(384);
        });
        const decoded = side * side * 4;
        console.log(
          `${side}×${side} JPEG (${(bytes.byteLength / MiB).toFixed(1)} MiB) picked in the app: peak above the page before it ${(total / MiB).toFixed(0)} MiB (${line}), ${(total / decoded).toFixed(2)}× its ${(decoded / MiB).toFixed(0)} MiB of RGBA`,
        );
        expect(total).toBeLessThanOrEqual(boundMiB * MiB);
      } finally {
        rmSync(path, { force: true });
      }
    },
  );
});
