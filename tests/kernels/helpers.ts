import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import {
  registerTrainingKernels,
  registeredTrainingKernels,
  unregisterTrainingKernels,
} from "../../src/kernels/index.js";
import { nodeWasmPaths } from "../../src/node/wasm-paths.js";
import { pick, randomInt, seededRandom } from "../../src/random.js";
import { expectTensorsClose } from "../util/tensors.js";

export type KernelBackend = "wasm" | "cpu";

/**
 * Makes `name` the active backend (wasm from the installed binaries). Leaves the training kernels as
 * they are: the tests register and unregister them themselves.
 */
export async function useBackend(name: KernelBackend): Promise<void> {
  if (name === "wasm") await initBackend({ order: ["wasm"], wasmPaths: nodeWasmPaths(), trainingKernels: false });
  else await initBackend({ order: ["cpu"], trainingKernels: false });
}

/** A tensor's values off the backend, so they can cross to another backend or outlive a tidy. */
export interface Values {
  shape: number[];
  values: Float32Array;
}

/** Seeded N(0, 1) values (tfjs's seeded generator runs in JS, so they are the same on any backend). */
export function normal(shape: number[], seed: number): Values {
  const t = tf.randomNormal(shape, 0, 1, "float32", seed);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return { shape, values };
}

/** Runs the kernel registered under `name` for the active backend on `inputs`; returns its output's values. */
export function runKernel(name: string, inputs: Record<string, Values>, attrs: object): Values {
  let out: Values | undefined;
  tf.tidy(() => {
    const tensors: tf.NamedTensorMap = {};
    for (const [key, v] of Object.entries(inputs)) tensors[key] = tf.tensor(v.values, v.shape, "float32");
    const y = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    out = { shape: y.shape, values: y.dataSync() as Float32Array };
  });
  return out!;
}

/** Runs `fn` on stock cpu (the training kernels unregistered), then registers them again. */
export async function onStockCpu<T>(fn: () => T | Promise<T>): Promise<T> {
  unregisterTrainingKernels();
  try {
    await useBackend("cpu");
    expect(registeredTrainingKernels(), "training kernels registered while computing a stock reference").toEqual([]);
    return await fn();
  } finally {
    registerTrainingKernels();
  }
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: Values, expected: Values): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < expected.values.length; i++) {
    diff = Math.max(diff, Math.abs(actual.values[i]! - expected.values[i]!));
    scale = Math.max(scale, Math.abs(expected.values[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** The worst {@link relativeError} any test in this process has checked (for reporting). */
export const worst = { relativeError: 0 };

/**
 * Checks shape, then every value within `rtol` of the reference relative to its own size plus
 * `rtol` of the reference's largest magnitude (so values near zero in a big sum are judged on that
 * sum's scale), and records the relative error.
 */
export function expectClose(actual: Values, expected: Values, rtol = 1e-4): void {
  expect(actual.shape, "shape").toEqual(expected.shape);
  const scale = expected.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const error = relativeError(actual, expected);
  worst.relativeError = Math.max(worst.relativeError, error);
  tf.tidy(() =>
    expectTensorsClose(tf.tensor(actual.values, actual.shape), tf.tensor(expected.values, expected.shape), {
      rtol,
      atol: rtol * scale,
    }),
  );
}

/** One convolution geometry to test a gradient kernel on. */
export interface ConvCase {
  title: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  dyShape: [number, number, number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  dilations: number;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function padTitle(pad: ConvCase["pad"]): string {
  if (typeof pad === "string") return `${pad} padding`;
  if (typeof pad === "number") return `padding ${pad}`;
  return `explicit padding ${JSON.stringify(pad.slice(1, 3))}`;
}

/**
 * Seeded geometries: every stride (1, 2) × padding (same, valid) × filter (1×1, 3×3), plus numeric
 * and explicit padding, unequal strides and a 5×5 filter; batch 1…32, odd and even sizes (7, 8, 9, 15),
 * few channels so that the stock cpu reference stays fast. `depthwise`: channel multipliers 1 and 2.
 */
export function convCases(seed: number, { depthwise }: { depthwise: boolean }): ConvCase[] {
  const random = seededRandom(seed);
  const make = (
    f: number,
    strides: ConvCase["strides"],
    pad: ConvCase["pad"],
    extra: { dimRoundingMode?: ConvCase["dimRoundingMode"]; multiplier?: number } = {},
  ): ConvCase => {
    const n = pick(random, [1, 2, 3, 5, 8, 16, 32]);
    const small = n >= 16;
    const [h, w] = [pick(random, small ? [7, 8, 9] : [7, 8, 9, 15]), pick(random, small ? [7, 9] : [7, 8, 9, 15])];
    const c = randomInt(random, 1, small ? 3 : 4);
    const out = depthwise ? (extra.multiplier ?? 1) : randomInt(random, 1, 5);
    const xShape: ConvCase["xShape"] = [n, h, w, c];
    const filterShape: ConvCase["filterShape"] = [f, f, c, out];
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      filterShape,
      strides,
      1,
      pad,
      extra.dimRoundingMode,
      depthwise,
    );
    const s = Array.isArray(strides) ? `strides ${strides.join("×")}` : `stride ${strides}`;
    const m = depthwise ? `, multiplier ${out}` : "";
    const r = extra.dimRoundingMode === undefined ? "" : `, ${extra.dimRoundingMode} rounding`;
    return {
      title: `${s}, ${padTitle(pad)}${r}, ${f}×${f}${m} (x [${xShape}], filter [${filterShape}])`,
      xShape,
      filterShape,
      dyShape: info.outShape,
      strides,
      pad,
      dilations: 1,
      ...(extra.dimRoundingMode === undefined ? {} : { dimRoundingMode: extra.dimRoundingMode }),
    };
  };
  const cases: ConvCase[] = [];
  let i = 0;
  for (const stride of [1, 2]) {
    for (const pad of ["same", "valid"] as const) {
      for (const f of [1, 3]) cases.push(make(f, stride, pad, { multiplier: 1 + (i++ % 2) }));
    }
  }
  cases.push(make(3, 2, 1, { multiplier: 2 }));
  cases.push(make(3, 2, 1, { dimRoundingMode: "ceil", multiplier: 1 }));
  cases.push(
    make(
      3,
      1,
      [
        [0, 0],
        [2, 0],
        [1, 3],
        [0, 0],
      ],
      { multiplier: 2 },
    ),
  );
  cases.push(
    make(
      3,
      2,
      [
        [0, 0],
        [4, 0],
        [0, 1],
        [0, 0],
      ],
      { multiplier: 1 },
    ),
  );
  cases.push(make(3, [1, 2], "same", { multiplier: 2 }));
  cases.push(make(5, 2, "same", { multiplier: 1 }));
  return cases;
}

/** The attrs tfjs passes to a conv gradient kernel for `c`. */
export function convAttrs(c: ConvCase): Record<string, unknown> {
  return {
    strides: c.strides,
    pad: c.pad,
    dataFormat: "NHWC",
    dilations: c.dilations,
    filterShape: c.filterShape,
    inputShape: c.xShape,
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
  };
}

/** Inputs of a gradient kernel for one case: x/dy for the filter gradients, dy/filter for the input ones. */
export function gradientInputs(kernel: string, c: ConvCase, seed: number): Record<string, Values> {
  const dy = normal(c.dyShape, seed + 1);
  if (kernel.endsWith("Filter")) return { x: normal(c.xShape, seed), dy };
  return { dy, filter: normal(c.filterShape, seed + 2) };
}

/** Checks that `kernel` on `backend` (training kernels registered) matches stock cpu on `c`. */
export async function expectMatchesStockCpu(
  kernel: string,
  backend: KernelBackend,
  c: ConvCase,
  seed: number,
): Promise<void> {
  const inputs = gradientInputs(kernel, c, seed);
  const attrs = convAttrs(c);
  const want = await onStockCpu(() => runKernel(kernel, inputs, attrs));
  await useBackend(backend);
  expectClose(runKernel(kernel, inputs, attrs), want);
}

/**
 * Checks that one call of `kernel` outside any tidy leaves only its output behind (as tensors and as
 * backend data buffers), and nothing once the output is disposed.
 */
export function expectKernelLeavesOnlyItsOutput(kernel: string, c: ConvCase): void {
  const inputs = gradientInputs(kernel, c, 1);
  const tensors: tf.NamedTensorMap = {};
  for (const [key, v] of Object.entries(inputs)) tensors[key] = tf.tensor(v.values, v.shape, "float32");
  const before = tf.memory();
  const dataBefore = tf.backend().numDataIds();
  const out = tf.engine().runKernel(kernel, tensors, convAttrs(c) as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.memory().numTensors - before.numTensors, "tensors after the call").toBe(1);
  expect(tf.backend().numDataIds() - dataBefore, "data buffers after the call").toBe(1);
  out.dispose();
  for (const t of Object.values(tensors)) t.dispose();
  expect(tf.memory().numTensors, "tensors after disposing").toBe(before.numTensors - Object.keys(tensors).length);
  expect(tf.backend().numDataIds(), "data buffers after disposing").toBe(dataBefore - Object.keys(tensors).length);
}

/** A [fh, fw, a, b] filter with d − 1 zero rows/columns between its taps: [(fh − 1)·d + 1, (fw − 1)·d + 1, a, b]. */
export function zeroFilledFilter(f: Values, d: number): Values {
  const [fh, fw, a, b] = f.shape as [number, number, number, number];
  const [gh, gw] = [(fh - 1) * d + 1, (fw - 1) * d + 1];
  const values = new Float32Array(gh * gw * a * b);
  for (let i = 0; i < fh; i++)
    for (let j = 0; j < fw; j++)
      for (let k = 0; k < a * b; k++) values[(i * d * gw + j * d) * a * b + k] = f.values[(i * fw + j) * a * b + k]!;
  return { shape: [gh, gw, a, b], values };
}

/** The taps of a zero-filled filter's gradient that belong to the original filter: [::d, ::d]. */
export function everyDthTap(g: Values, d: number): Values {
  const [gh, gw, a, b] = g.shape as [number, number, number, number];
  const [fh, fw] = [(gh - 1) / d + 1, (gw - 1) / d + 1];
  const values = new Float32Array(fh * fw * a * b);
  for (let i = 0; i < fh; i++)
    for (let j = 0; j < fw; j++)
      for (let k = 0; k < a * b; k++) values[(i * fw + j) * a * b + k] = g.values[(i * d * gw + j * d) * a * b + k]!;
  return { shape: [fh, fw, a, b], values };
}
