// The `threads` suite: the wasm backend on one thread against every core, in headless Chromium on a
// cross-origin isolated page (the bench page served with the isolation headers), and what Node gets.
// The thread count is fixed when wasm starts, so each count has its own page.
import { rmSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/browser/chromium.js";
import { ISOLATION_HEADERS, serveStatic } from "../tests/browser/server.js";
import { buildBenchPage } from "./browser.js";
import type {
  BrowserBenchResult,
  FineTuneResult,
  FrozenResult,
  KernelsResult,
  PredictBatchResult,
} from "./browser-entry.js";
import { initNodeBackend, nodeCores } from "../src/node/backend.js";
import { loadBaseFrom } from "../src/node/base.js";
import { visionLearner } from "../src/model/learner.js";
import { loadLearner } from "../src/export/load.js";
import "../src/node/model-files.js";
import { mobileNet } from "./models.js";
import { lessonPets } from "./pets.js";
import type { BenchRow } from "./table.js";
import { time } from "./table.js";

const TIMEOUT_MS = 10 * 60 * 1000;
/** Rounds of each measure per thread count; the median is reported. */
const ROUNDS = 3;
type Run = "runKernels" | "runBench" | "runFrozen" | "runFineTune" | "runPredictBatch";

export async function threadsBenchmarks(): Promise<BenchRow[]> {
  return [...(await chromiumRows()), ...(await nodeRows())];
}

async function chromiumRows(): Promise<BenchRow[]> {
  if (findChromium() === undefined)
    return [{ name: "threads suite (Chromium) skipped: Chromium not found", value: 0, unit: "-", note: INSTALL_HINT }];
  const dir = await buildBenchPage();
  const server = await serveStatic(dir, {}, { headers: ISOLATION_HEADERS });
  const browser = await launchChromium();
  try {
    const cores = (await (async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/`);
      const n = await page.evaluate("navigator.hardwareConcurrency");
      await page.close();
      return n;
    })()) as number;
    // Two pages side by side, one per thread count (fixed when wasm starts), called in turn round by
    // round: a busy moment of this shared machine then hits both alike. Each figure is the median.
    const open = async (threads: number) => {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      await page.goto(`${server.url}/`);
      await page.waitForFunction("typeof globalThis.runBench === 'function'");
      return { page, threads };
    };
    const pages = [await open(1), await open(cores)];
    const alternate = async <T>(fn: Run, rounds: number, key: (r: T) => number): Promise<[T, T]> => {
      const results: T[][] = [[], []];
      for (let round = 0; round < rounds; round++)
        for (const [i, { page, threads }] of pages.entries())
          // a plain string: a function would carry tsx's __name helpers into the page
          results[i]!.push((await page.evaluate(`${fn}('wasm', ${threads})`)) as T);
      const median = (rs: T[]) => [...rs].sort((a, b) => key(a) - key(b))[Math.floor(rs.length / 2)]!;
      return [median(results[0]!), median(results[1]!)];
    };
    const [kernels1, kernelsN] = await alternate<KernelsResult>("runKernels", 2 * ROUNDS + 1, (r) => r.matMulMs);
    const [step1, stepN] = await alternate<BrowserBenchResult>("runBench", ROUNDS, (r) => r.imagesPerSecond);
    const [frozen1, frozenN] = await alternate<FrozenResult>("runFrozen", ROUNDS, (r) => r.cached);
    const [tune1, tuneN] = await alternate<FineTuneResult>("runFineTune", ROUNDS, (r) => r.seconds);
    const [batch1, batchN] = await alternate<PredictBatchResult>("runPredictBatch", ROUNDS, (r) => r.imagesPerSecond);
    for (const { page } of pages) await page.close();
    const label = (threads: number) => `${threads} thread${threads === 1 ? "" : "s"}`;
    const rows = (
      name: string,
      unit: string,
      one: number,
      many: number,
      higherIsBetter: boolean,
      note = "",
    ): BenchRow[] => [
      { name: `Chromium ${name}: wasm, ${label(1)}`, value: one, unit, note: note || `median of ${ROUNDS}` },
      { name: `Chromium ${name}: wasm, ${label(cores)}`, value: many, unit, note: note || `median of ${ROUNDS}` },
      {
        name: `Chromium ${name}: speed-up`,
        value: higherIsBetter ? many / one : one / many,
        unit: "×",
        note: `${label(cores)} ÷ ${label(1)}`,
      },
    ];
    return [
      ...rows(
        "matMul 1024×1024",
        "ms",
        kernels1.matMulMs,
        kernelsN.matMulMs,
        false,
        `median of ${2 * ROUNDS + 1} rounds of median of 7`,
      ),
      ...rows(
        "conv 3×3, 32 × 64×64×32 → 64",
        "ms",
        kernels1.convMs,
        kernelsN.convMs,
        false,
        `the matMul's median round; median of 7`,
      ),
      ...rows(
        "train step (batch 32, 64 px)",
        "img/s",
        step1.imagesPerSecond,
        stepN.imagesPerSecond,
        true,
        `${step1.info} / ${stepN.info}`,
      ),
      ...rows(
        "cached frozen epoch (lesson 1)",
        "s",
        frozen1.cached,
        frozenN.cached,
        false,
        `median of ${ROUNDS} rounds of median of 3`,
      ),
      ...rows(
        "lesson 1 fineTune(3) wall time",
        "s",
        tune1.seconds,
        tuneN.seconds,
        false,
        `valid accuracy ${tune1.epochs} vs ${tuneN.epochs}`,
      ),
      ...rows(`predictBatch (${batch1.images} images)`, "img/s", batch1.imagesPerSecond, batchN.imagesPerSecond, true),
    ];
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Node: what the wasm backend gives when every core is asked for, and the same measures on it. */
async function nodeRows(): Promise<BenchRow[]> {
  const cores = nodeCores();
  const choice = await initNodeBackend({ task: "train" });
  const threads = choice.threads ?? 1;
  const note = `asked for ${cores}; tfjs-backend-wasm 4.22 starts its single-threaded binary in Node (docs/threads.md)`;

  const model = mobileNet({ size: 64 });
  const x = tf.randomNormal([32, 64, 64, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 32 }, (_, i) => i % 2),
      "int32",
    ),
    2,
  );
  const step = await time(() => model.trainOnBatch(x, y), { repeats: 5, warmup: true });
  tf.dispose([x, y]);
  model.dispose();

  const dls = lessonPets();
  const learn = await visionLearner(dls, { base: await loadBaseFrom() });
  const tuneStart = performance.now();
  const epochs = await learn.fineTune(3);
  const tuneSeconds = (performance.now() - tuneStart) / 1000;
  learn.dispose();

  const learner = await loadLearner("data/models/pets");
  const images = lessonPets({ augment: false }).valid.items.map((item) => item.image);
  const batch = await time(() => learner.predictBatch(images), { repeats: 3, warmup: true });
  learner.dispose();
  return [
    { name: "Node wasm threads", value: threads, unit: "threads", note },
    { name: `Node train step (batch 32, 64 px): wasm, ${threads} thread`, value: 32 / step, unit: "img/s" },
    {
      name: `Node lesson 1 fineTune(3) wall time: wasm, ${threads} thread`,
      value: tuneSeconds,
      unit: "s",
      note: `valid accuracy ${epochs.map((e) => (1 - e.metrics.errorRate!).toFixed(3)).join(" → ")}`,
    },
    {
      name: `Node predictBatch (${images.length} images): wasm, ${threads} thread`,
      value: images.length / batch,
      unit: "img/s",
    },
  ];
}
