// Runs in the page built by bench/browser.ts: times a training step and a matMul on one backend.
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/backend/backend.js";
import { forwardFlops, mobileNet } from "./models.js";
import { frozenEpochs } from "./frozen.js";
import { lessonPets } from "./pets.js";
import { loadBase } from "../src/model/load-base.js";
import { visionLearner } from "../src/model/learner.js";
import { loadLearner } from "../src/export/load.js";
import { latencies, time } from "./table.js";

const SIZE = 64;
const BATCH = 32;

/** What one backend measured in the page. */
export interface BrowserBenchResult {
  backend: string;
  /** Images per second of `trainOnBatch`, after the warm-up step. */
  imagesPerSecond: number;
  /** Seconds of the warm-up (first) step, shader compilation included. */
  warmupSeconds: number;
  steps: number;
  /** Milliseconds of one 512×512 matMul (after a warm-up). */
  matMulMs: number;
  forwardFlops: number;
  /** Backend flags worth reporting (wasm SIMD / threads). */
  info: string;
}

/**
 * Starts `backend` in the page with the course's training kernels, wasm from the page's folder on
 * `threads` threads (more than one needs a cross-origin isolated page; checked). Returns the threads
 * wasm runs on (1 for webgl).
 */
async function startBackend(backend: "webgl" | "wasm", caller: string, threads?: number): Promise<number> {
  const choice = await initBackend({
    order: [backend],
    wasmPaths: new URL("./", location.href).href,
    ...(threads === undefined ? {} : { wasmThreads: threads }),
  }).catch((error: Error) => {
    throw new Error(`${caller}: backend ${backend} failed to start: ${error.message}`);
  });
  await tf.ready();
  if (threads !== undefined && backend === "wasm" && choice.threads !== threads)
    throw new Error(
      `${caller}: asked for ${threads} wasm threads, got ${choice.threads} (crossOriginIsolated: ${String(crossOriginIsolated)})`,
    );
  return choice.threads ?? 1;
}

async function runBench(backend: "webgl" | "wasm", threads?: number): Promise<BrowserBenchResult> {
  const running = await startBackend(backend, "runBench", threads);
  const steps = backend === "webgl" ? 2 : 5;
  const model = mobileNet({ size: SIZE });
  const x = tf.randomNormal([BATCH, SIZE, SIZE, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i % 2),
      "int32",
    ),
    2,
  );
  // trainOnBatch reads the loss back, so each step is finished when it resolves.
  let start = performance.now();
  await model.trainOnBatch(x, y);
  const warmupSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const stepSeconds = (performance.now() - start) / 1000 / steps;
  const flops = forwardFlops(model);
  tf.dispose([x, y]);
  model.dispose();

  const a = tf.randomNormal([512, 512], 0, 1, "float32", 2);
  const b = tf.randomNormal([512, 512], 0, 1, "float32", 3);
  const matMul = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await matMul();
  const repeats = 5;
  start = performance.now();
  for (let i = 0; i < repeats; i++) await matMul();
  const matMulMs = (performance.now() - start) / repeats;
  tf.dispose([a, b]);

  const info =
    backend === "wasm"
      ? `simd ${String(tf.env().getBool("WASM_HAS_SIMD_SUPPORT"))}, threads ${running}`
      : `webgl ${String(tf.env().getNumber("WEBGL_VERSION"))}`;
  return {
    backend: tf.getBackend(),
    imagesPerSecond: BATCH / stepSeconds,
    warmupSeconds,
    steps,
    matMulMs,
    forwardFlops: flops,
    info,
  };
}

/** Lesson 1's default fine-tune in the page: what a learner waits for. */
export interface FineTuneResult {
  backend: string;
  seconds: number;
  accuracy: number;
  epochs: string;
}

/** The course base, served beside the page. */
function loadPageBase(): ReturnType<typeof loadBase> {
  return loadBase({ url: new URL("./base/model.json", location.href).href });
}

async function runFineTune(backend: "webgl" | "wasm", threads?: number): Promise<FineTuneResult> {
  await startBackend(backend, "runFineTune", threads);
  const dls = lessonPets();
  const base = await loadPageBase();
  const learn = await visionLearner(dls, { base });
  const start = performance.now();
  const epochs = await learn.fineTune(3);
  const seconds = (performance.now() - start) / 1000;
  learn.dispose();
  return {
    backend: tf.getBackend(),
    seconds,
    accuracy: 1 - epochs.at(-1)!.metrics.errorRate!,
    epochs: epochs.map((e) => (1 - e.metrics.errorRate!).toFixed(3)).join(" → "),
  };
}

/** Single-image predict latency in the page, as the app runs it. */
export interface PredictResult {
  backend: string;
  p50: number;
  p95: number;
  runs: number;
}

async function runPredict(backend: "webgl" | "wasm"): Promise<PredictResult> {
  await startBackend(backend, "runPredict");
  const learner = await loadLearner(new URL("./pets/model.json", location.href).href);
  const images = lessonPets({ augment: false }).valid.items.map((item) => item.image);
  // the warm-up compiles shaders and allocates buffers
  const timed = await latencies((i) => learner.predict(images[i % images.length]!), {
    runs: backend === "webgl" ? 40 : 200,
  });
  learner.dispose();
  return { backend: tf.getBackend(), ...timed };
}

/** Lesson 1's frozen epoch (no augmentation) on cached features vs recomputing the body, on this backend. */
export interface FrozenResult {
  backend: string;
  cached: number;
  recomputed: number;
}

async function runFrozen(backend: "webgl" | "wasm", threads?: number): Promise<FrozenResult> {
  await startBackend(backend, "runFrozen", threads);
  const base = await loadPageBase();
  const timed = await frozenEpochs(lessonPets({ augment: false }), base, { rounds: 3 });
  return { backend: tf.getBackend(), ...timed };
}

/** Images per second of `predictBatch` on lesson 1's validation images, as lesson 2's interpretation runs it. */
export interface PredictBatchResult {
  backend: string;
  imagesPerSecond: number;
  images: number;
}

async function runPredictBatch(backend: "webgl" | "wasm", threads?: number): Promise<PredictBatchResult> {
  await startBackend(backend, "runPredictBatch", threads);
  const learner = await loadLearner(new URL("./pets/model.json", location.href).href);
  const images = lessonPets({ augment: false }).valid.items.map((item) => item.image);
  const seconds = await time(() => learner.predictBatch(images), { repeats: 3, warmup: true });
  learner.dispose();
  return { backend: tf.getBackend(), imagesPerSecond: images.length / seconds, images: images.length };
}

/** Milliseconds of two big kernels, each the median of 7 after a warm-up: what threads split best. */
export interface KernelsResult {
  backend: string;
  /** A 1024 × 1024 matrix product, read back. */
  matMulMs: number;
  /** A 3 × 3 convolution, 32 images of 64 × 64 × 32 channels to 64, read back. */
  convMs: number;
}

async function runKernels(backend: "webgl" | "wasm", threads?: number): Promise<KernelsResult> {
  await startBackend(backend, "runKernels", threads);
  const a = tf.randomNormal([1024, 1024], 0, 1, "float32", 1);
  const b = tf.randomNormal([1024, 1024], 0, 1, "float32", 2);
  const x = tf.randomNormal([32, 64, 64, 32], 0, 1, "float32", 3);
  const w = tf.randomNormal([3, 3, 32, 64], 0, 1, "float32", 4);
  const medianMs = async (op: () => tf.Tensor): Promise<number> => {
    const once = async () => {
      const start = performance.now();
      const out = op();
      await out.data();
      out.dispose();
      return performance.now() - start;
    };
    await once();
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) ms.push(await once());
    return ms.sort((p, q) => p - q)[3]!;
  };
  const matMulMs = await medianMs(() => tf.matMul(a, b));
  const convMs = await medianMs(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"));
  tf.dispose([a, b, x, w]);
  return { backend: tf.getBackend(), matMulMs, convMs };
}

Object.assign(globalThis, { runBench, runFineTune, runPredict, runFrozen, runPredictBatch, runKernels });
