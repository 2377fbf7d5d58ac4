import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerTrainingKernels } from "../kernels/register.js";

/** The tfjs backends the course knows how to use, fastest first where each can run. */
export type BackendName = "webgl" | "wasm" | "cpu";

/** What the backend is for: forward passes only, or training (which needs gradient kernels). */
export type Task = "infer" | "train";

/** Where the code runs; decides the order in which backends are tried. */
export type Environment = "browser" | "node";

/**
 * Where the wasm backend finds its binaries: a folder prefix ending in "/" or a map from each
 * `tfjs-backend-wasm*.wasm` file name to its URL or path.
 */
export type WasmPaths = string | Record<string, string>;

export interface BackendOptions {
  /** Default "infer". "train" skips backends that lack a gradient kernel the course's models need. */
  task?: Task;
  /** Default: detected (a `window` with a `document` means "browser"). */
  environment?: Environment;
  /** Where the wasm binaries are; without it the wasm backend is not tried. */
  wasmPaths?: WasmPaths;
  /** Override the order tried (e.g. `["cpu"]` for bit-exact runs). */
  order?: BackendName[];
  /**
   * The browser's WebGL renderer string, when known. A software renderer (SwiftShader, llvmpipe) is
   * slower than wasm here (README, "Backends"), so wasm is tried before webgl.
   */
  webglRenderer?: string;
  /**
   * Register the course's training kernels (src/kernels: the gradients wasm lacks, faster ones for
   * cpu) first. Default true; false leaves tfjs stock (benchmarks compare against it).
   */
  trainingKernels?: boolean;
  /**
   * Threads for the wasm backend's kernels, set before it starts (a whole number ≥ 1). They run only
   * where the threaded binary loads: a cross-origin isolated page (src/browser/isolation.ts). Default:
   * the backend's own choice, half the cores. Node always gets one (docs/threads.md).
   */
  wasmThreads?: number;
}

/** One backend that was considered, and why it was not taken. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendChoice {
  backend: BackendName;
  task: Task;
  environment: Environment;
  attempts: BackendAttempt[];
  /** Set (to the renderer) when WebGL was software-rendered and so tried after wasm. */
  softwareWebGL?: string;
  /** wasm only: the threads its kernels run on, as the started backend reports them. */
  threads?: number;
}

/** Gradient kernels the training step of a MobileNet-style CNN (conv, depthwise conv, pooling) calls. */
export const TRAINING_KERNELS = [
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "DepthwiseConv2dNativeBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "AvgPoolGrad",
  "MaxPoolGrad",
] as const;

const BACKENDS: readonly BackendName[] = ["webgl", "wasm", "cpu"];

/**
 * Measured order (see README, "Backends"): in a browser webgl on a graphics chip, then wasm, then cpu
 * — but wasm first when WebGL is drawn in software, which is several times slower than wasm; in Node
 * there is no WebGL and wasm beats cpu by ~20× on inference and ~150× on training.
 */
export function backendOrder(environment: Environment, { softwareWebGL = false } = {}): BackendName[] {
  if (environment === "node") return ["wasm", "cpu"];
  return softwareWebGL ? ["wasm", "webgl", "cpu"] : ["webgl", "wasm", "cpu"];
}

/** Whether a WebGL renderer string names a software rasteriser (no graphics chip behind it). */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver/i.test(renderer);
}

export function detectEnvironment(): Environment {
  const g = globalThis as { window?: unknown; document?: unknown };
  return g.window !== undefined && g.document !== undefined ? "browser" : "node";
}

/** The kernels `task` needs that `backend` has not registered; empty when it can do the task. */
export function missingKernels(backend: BackendName, task: Task): string[] {
  if (task === "infer") return [];
  return TRAINING_KERNELS.filter((name) => tf.getKernel(name, backend) === undefined);
}

let wasmPathsSet: string | undefined;

function configureWasm(paths: WasmPaths): void {
  const key = JSON.stringify(paths);
  if (wasmPathsSet === key) return;
  if (typeof paths === "string") setWasmPaths(paths.endsWith("/") ? paths : `${paths}/`);
  else setWasmPaths(paths);
  wasmPathsSet = key;
}

/**
 * Runs `start` (the wasm backend starting) with `navigator.hardwareConcurrency` reporting at least
 * `2 × threads`. The threaded binary caps its pool at half the cores the browser reports (it assumes
 * two hyperthreads per core), which leaves a 2-core machine one thread whatever `setThreadsCount`
 * asked; the count it reads at start is all it uses. The browser's own value is back when `start` settles.
 */
async function withCoresReported<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const real = nav?.hardwareConcurrency;
  if (nav === undefined || real === undefined || real >= 2 * threads) return start();
  // an own property (set by an extension, say) is put back as it was; a fixed one is left alone
  const own = Object.getOwnPropertyDescriptor(nav, "hardwareConcurrency");
  if (own !== undefined && !own.configurable) return start();
  Object.defineProperty(nav, "hardwareConcurrency", { value: 2 * threads, configurable: true });
  try {
    return await start();
  } finally {
    if (own !== undefined) Object.defineProperty(nav, "hardwareConcurrency", own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<string | undefined> {
  if (tf.findBackendFactory(name) === null)
    return `${name} is not available here (tfjs registers it only where it can run)`;
  if (name === "wasm") {
    if (options.wasmPaths === undefined) return "no wasmPaths given (where the .wasm files are served from)";
    configureWasm(options.wasmPaths);
  }
  try {
    const threads = name === "wasm" ? options.wasmThreads : undefined;
    const start = () => tf.setBackend(name);
    if (await (threads !== undefined && threads > 1 ? withCoresReported(threads, start) : start())) return undefined;
    return `${name} could not start in this environment (tfjs logged the cause as a warning)`;
  } catch (error) {
    return `${name} failed to initialise: ${(error as Error).message}`;
  }
}

/**
 * Picks and initialises the best tfjs backend for where the code runs and what it will do:
 * browser webgl → wasm → cpu, Node wasm → cpu, skipping a backend that cannot do `task` or
 * does not start. Registers the training kernels first (unless `trainingKernels: false`), which
 * is what lets wasm train. The chosen backend is active (`tf.getBackend()`) when the promise resolves.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  const { task = "infer", environment = detectEnvironment(), trainingKernels = true } = options;
  if (task !== "infer" && task !== "train") {
    throw new Error(`invalid task: ${JSON.stringify(task)}; use "infer" or "train"`);
  }
  const software =
    environment === "browser" && options.webglRenderer !== undefined && isSoftwareRenderer(options.webglRenderer);
  const order = options.order ?? backendOrder(environment, { softwareWebGL: software });
  for (const name of order) {
    if (!BACKENDS.includes(name)) {
      throw new Error(`invalid order: unknown backend ${JSON.stringify(name)}; use some of ${BACKENDS.join(", ")}`);
    }
  }
  if (options.wasmThreads !== undefined) {
    const n = options.wasmThreads;
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`invalid wasmThreads: ${JSON.stringify(n)}; use a whole number of threads, 1 or more`);
    setThreadsCount(n);
  }
  if (trainingKernels) registerTrainingKernels();
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const missing = missingKernels(backend, task);
    let reason: string | undefined;
    if (missing.length > 0) reason = `${backend} cannot train here: no ${missing.join(", ")} kernel`;
    else reason = await tryBackend(backend, options);
    attempts.push(reason === undefined ? { backend, ok: true } : { backend, ok: false, reason });
    if (reason === undefined) {
      const choice: BackendChoice = { backend, task, environment, attempts };
      if (software && options.order === undefined) choice.softwareWebGL = options.webglRenderer;
      if (backend === "wasm") choice.threads = getThreadsCount();
      return choice;
    }
  }
  const why = attempts.map((a) => `${a.backend}: ${a.reason}`).join("; ");
  throw new Error(`no tfjs backend could be started for task ${JSON.stringify(task)} (${why})`);
}
