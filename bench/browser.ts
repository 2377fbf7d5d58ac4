// The `browser` suite: the same training step in headless Chromium, webgl (SwiftShader) vs wasm +
// our training kernels, the comparison a learner without a GPU sees.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/browser/chromium.js";
import { serveStatic } from "../tests/browser/server.js";
import type { BrowserBenchResult, FineTuneResult } from "./browser-entry.js";
import type { BenchRow } from "./table.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
/** SwiftShader webgl steps take seconds each, and its first step compiles shaders for longer. */
const TIMEOUT_MS = 10 * 60 * 1000;

/** Bundles bench/browser-entry.ts into a page, runs it on webgl then wasm in Chromium, and reports. */
export async function browserBenchmarks(): Promise<BenchRow[]> {
  if (findChromium() === undefined) return [{ name: "browser suite skipped: Chromium not found", value: 0, unit: "-", note: INSTALL_HINT }];
  const dir = mkdtempSync(join(tmpdir(), "dl-course-bench-"));
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    await build({
      entryPoints: [join(here, "browser-entry.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: join(dir, "bench.js"),
      logLevel: "warning",
    });
    writeFileSync(join(dir, "index.html"), `<!doctype html>\n<meta charset="utf-8">\n<title>bench</title>\n<script type="module" src="./bench.js"></script>\n`);
    for (const file of WASM_FILES) copyFileSync(join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist", file), join(dir, file));
    mkdirSync(join(dir, "base"));
    for (const file of ["model.json", "weights.bin"]) copyFileSync(join(root, "data/models/base", file), join(dir, "base", file));
    server = await serveStatic(dir);
    browser = await launchChromium();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${server.url}/`);
    await page.waitForFunction("typeof globalThis.runBench === 'function'");
    // Plain strings: a function would carry tsx's __name helpers into the page.
    const webgl = (await page.evaluate("runBench('webgl')")) as BrowserBenchResult;
    const wasm = (await page.evaluate("runBench('wasm')")) as BrowserBenchResult;
    // a fresh page per backend: tfjs keeps one backend's kernels registered per page
    const fineTune = async (backend: string) => {
      const p = await browser!.context.newPage();
      p.setDefaultTimeout(TIMEOUT_MS);
      await p.goto(`${server!.url}/`);
      await p.waitForFunction("typeof globalThis.runFineTune === 'function'");
      const result = (await p.evaluate(`runFineTune('${backend}')`)) as FineTuneResult;
      await p.close();
      return result;
    };
    const tuneWasm = await fineTune("wasm");
    const tuneWebgl = await fineTune("webgl");
    const gflops = (r: BrowserBenchResult) => `${((3 * r.forwardFlops * r.imagesPerSecond) / 1e9).toFixed(2)} GFLOP/s`;
    return [
      {
        name: "browser train step (batch 32, 64px): webgl (SwiftShader)",
        value: webgl.imagesPerSecond,
        unit: "img/s",
        note: `${gflops(webgl)}; ${webgl.steps} steps after a ${webgl.warmupSeconds.toFixed(1)} s first step; ${webgl.info}`,
      },
      {
        name: "browser train step: wasm + our kernels",
        value: wasm.imagesPerSecond,
        unit: "img/s",
        note: `${gflops(wasm)}; ${wasm.steps} steps after a ${wasm.warmupSeconds.toFixed(1)} s first step; ${wasm.info}`,
      },
      { name: "browser wasm ÷ webgl", value: wasm.imagesPerSecond / webgl.imagesPerSecond, unit: "×", note: "goal ≥ 3×" },
      { name: "browser lesson 1 fineTune(3): webgl (SwiftShader) wall time", value: tuneWebgl.seconds, unit: "s", note: `valid accuracy ${tuneWebgl.epochs}` },
      { name: "browser lesson 1 fineTune(3): wasm wall time", value: tuneWasm.seconds, unit: "s", note: `valid accuracy ${tuneWasm.epochs}` },
      { name: "browser matMul 512×512: webgl", value: webgl.matMulMs, unit: "ms", note: "incl. readback" },
      { name: "browser matMul 512×512: wasm", value: wasm.matMulMs, unit: "ms", note: "incl. readback" },
    ];
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
