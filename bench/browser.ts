// The `browser` suite: the same training step in headless Chromium, webgl (SwiftShader) vs wasm +
// our training kernels, the comparison a learner without a GPU sees.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/browser/chromium.js";
import { serveStatic } from "../tests/browser/server.js";
import type { BrowserBenchResult, FineTuneResult, FrozenResult, PredictResult } from "./browser-entry.js";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { BenchRow } from "./table.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
/** SwiftShader webgl steps take seconds each, and its first step compiles shaders for longer. */
const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * A temporary folder holding the bench page: bench/browser-entry.ts bundled, the wasm binaries, the
 * course's base and app model. The caller serves it and removes it.
 */
export async function buildBenchPage(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "dl-course-bench-"));
  await build({
    entryPoints: [join(here, "browser-entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(dir, "bench.js"),
    logLevel: "warning",
  });
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html>\n<meta charset="utf-8">\n<title>bench</title>\n<script type="module" src="./bench.js"></script>\n`,
  );
  for (const file of WASM_FILES)
    copyFileSync(join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist", file), join(dir, file));
  for (const model of ["base", "pets"]) {
    mkdirSync(join(dir, model));
    for (const file of ["model.json", "weights.bin"])
      copyFileSync(join(root, "data/models", model, file), join(dir, model, file));
  }
  return dir;
}

/** Bundles bench/browser-entry.ts into a page, runs it on webgl then wasm in Chromium, and reports. */
export async function browserBenchmarks(): Promise<BenchRow[]> {
  if (findChromium() === undefined)
    return [{ name: "browser suite skipped: Chromium not found", value: 0, unit: "-", note: INSTALL_HINT }];
  const dir = await buildBenchPage();
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
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
    const inFreshPage = async <T>(run: "runFineTune" | "runPredict" | "runFrozen", backend: string): Promise<T> => {
      const p = await browser!.context.newPage();
      p.setDefaultTimeout(TIMEOUT_MS);
      await p.goto(`${server!.url}/`);
      await p.waitForFunction(`typeof globalThis.${run} === 'function'`);
      const result = (await p.evaluate(`${run}('${backend}')`)) as T;
      await p.close();
      return result;
    };
    const tuneWasm = await inFreshPage<FineTuneResult>("runFineTune", "wasm");
    const tuneWebgl = await inFreshPage<FineTuneResult>("runFineTune", "webgl");
    const predictWasm = await inFreshPage<PredictResult>("runPredict", "wasm");
    const predictWebgl = await inFreshPage<PredictResult>("runPredict", "webgl");
    const frozenWasm = await inFreshPage<FrozenResult>("runFrozen", "wasm");
    const frozenWebgl = await inFreshPage<FrozenResult>("runFrozen", "webgl");
    const app = await appFirstPrediction(browser);
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
      {
        name: "browser wasm ÷ webgl",
        value: wasm.imagesPerSecond / webgl.imagesPerSecond,
        unit: "×",
        note: "goal ≥ 3×",
      },
      {
        name: "browser lesson 1 fineTune(3): webgl (SwiftShader) wall time",
        value: tuneWebgl.seconds,
        unit: "s",
        note: `valid accuracy ${tuneWebgl.epochs}`,
      },
      {
        name: "browser lesson 1 fineTune(3): wasm wall time",
        value: tuneWasm.seconds,
        unit: "s",
        note: `valid accuracy ${tuneWasm.epochs}`,
      },
      ...[frozenWasm, frozenWebgl].map((f) => ({
        name: `browser frozen epoch, cached ÷ recomputed: ${f.backend === "webgl" ? "webgl (SwiftShader)" : "wasm"}`,
        value: f.recomputed / f.cached,
        unit: "×",
        note: `${f.cached.toFixed(3)} s vs ${f.recomputed.toFixed(3)} s, medians of 3; fastai's head; goal ≥ 10×`,
      })),
      {
        name: "browser predict one image: wasm p50",
        value: predictWasm.p50,
        unit: "ms",
        note: `p95 ${predictWasm.p95.toFixed(1)} ms; ${predictWasm.runs} runs after 20 warm-up; goal p50 < 15 ms`,
      },
      {
        name: "browser predict one image: webgl (SwiftShader) p50",
        value: predictWebgl.p50,
        unit: "ms",
        note: `p95 ${predictWebgl.p95.toFixed(1)} ms; ${predictWebgl.runs} runs after 20 warm-up`,
      },
      {
        name: "app page: load to first prediction",
        value: app,
        unit: "s",
        note: "built site, fresh page; the course's model on the picture drawn at load",
      },
      { name: "browser matMul 512×512: webgl", value: webgl.matMulMs, unit: "ms", note: "incl. readback" },
      { name: "browser matMul 512×512: wasm", value: wasm.matMulMs, unit: "ms", note: "incl. readback" },
    ];
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds from navigating to the built app page until its first prediction is on screen (builds dist/ when missing). */
async function appFirstPrediction(browser: Awaited<ReturnType<typeof launchChromium>>): Promise<number> {
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "app.html"))) {
    const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  }
  const site = await serveStatic(dist);
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${site.url}/app.html`, { waitUntil: "commit" });
    await page.waitForSelector("[data-prediction]");
    const seconds = ((await page.evaluate("performance.now()")) as number) / 1000;
    await page.close();
    return seconds;
  } finally {
    await site.close();
  }
}
