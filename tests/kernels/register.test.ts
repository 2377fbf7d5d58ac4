import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { missingKernels } from "../../src/backend/backend.js";
import {
  registerTrainingKernels,
  registeredTrainingKernels,
  TRAINING_KERNEL_NAMES,
  TRAINING_KERNELS_BY_BACKEND,
  unregisterTrainingKernels,
  type TrainingKernelBackend,
} from "../../src/kernels/index.js";
import { normal, runKernel, useBackend } from "./helpers.js";

const BACKENDS = Object.keys(TRAINING_KERNELS_BY_BACKEND) as TrainingKernelBackend[];
const STOCK_CPU_CONV2D_BACKPROP_FILTER = tf.getKernel("Conv2DBackpropFilter", "cpu");

/** The kernel configs registered now, per backend and name (undefined where none is). */
function snapshot(): Map<string, tf.KernelConfig | undefined> {
  const out = new Map<string, tf.KernelConfig | undefined>();
  for (const backend of BACKENDS)
    for (const name of TRAINING_KERNEL_NAMES) out.set(`${backend}/${name}`, tf.getKernel(name, backend));
  return out;
}

describe("registerTrainingKernels(options)", () => {
  afterEach(() => {
    unregisterTrainingKernels();
  });

  // first in this file: the wasm backend has not started yet
  it("keeps a replaced wasm kernel's setup, so the stock one runs again after unregistering (registered before wasm starts)", async () => {
    registerTrainingKernels();
    await useBackend("wasm");
    unregisterTrainingKernels();
    const y = runKernel(
      "Conv2DBackpropInput",
      { dy: normal([1, 4, 4, 2], 1), filter: normal([1, 1, 3, 2], 2) },
      { strides: 1, pad: "same", dataFormat: "NHWC", inputShape: [1, 4, 4, 3] },
    );
    expect(y.shape).toEqual([1, 4, 4, 3]);
    expect(y.values.some((v) => v !== 0)).toBe(true);
  });

  it("registers every listed kernel for both backends by default and returns them", () => {
    const stock = snapshot();
    const added = registerTrainingKernels();
    expect(added).toEqual(BACKENDS.flatMap((b) => TRAINING_KERNELS_BY_BACKEND[b].map((name) => `${b}/${name}`)));
    expect(registeredTrainingKernels()).toEqual(added);
    for (const backend of BACKENDS) {
      for (const name of TRAINING_KERNELS_BY_BACKEND[backend]) {
        const kernel = tf.getKernel(name, backend);
        expect(kernel, `${backend}/${name}`).toBeDefined();
        expect(kernel, `${backend}/${name}`).not.toBe(stock.get(`${backend}/${name}`));
      }
    }
  });

  it("gives wasm every gradient kernel the course's training needs", () => {
    expect(missingKernels("wasm", "train")).toEqual([
      "Conv2DBackpropFilter",
      "DepthwiseConv2dNativeBackpropFilter",
      "DepthwiseConv2dNativeBackpropInput",
    ]);
    registerTrainingKernels();
    expect(missingKernels("wasm", "train")).toEqual([]);
  });

  it("is idempotent: a second call registers nothing and keeps the same kernels", () => {
    registerTrainingKernels();
    const first = snapshot();
    expect(registerTrainingKernels()).toEqual([]);
    expect(snapshot()).toEqual(first);
  });

  it("registers for the named backends only, and adds the others on a later call", () => {
    const stock = snapshot();
    expect(registerTrainingKernels({ backends: ["cpu"] })).toEqual(
      TRAINING_KERNELS_BY_BACKEND.cpu.map((name) => `cpu/${name}`),
    );
    for (const name of TRAINING_KERNEL_NAMES) expect(tf.getKernel(name, "wasm"), name).toBe(stock.get(`wasm/${name}`));
    expect(registerTrainingKernels({ backends: ["wasm", "cpu"] })).toEqual(
      TRAINING_KERNELS_BY_BACKEND.wasm.map((name) => `wasm/${name}`),
    );
  });

  it("throws for an unknown backend, naming the setting, the value and the choices", () => {
    expect(() => registerTrainingKernels({ backends: ["webgl" as TrainingKernelBackend] })).toThrow(
      /^registerTrainingKernels: unknown backend "webgl" in backends; use some of wasm, cpu$/,
    );
    expect(registeredTrainingKernels()).toEqual([]);
  });
});

describe("unregisterTrainingKernels()", () => {
  it("puts back exactly the stock kernels (and none where there was none)", () => {
    const stock = snapshot();
    registerTrainingKernels();
    unregisterTrainingKernels();
    expect(snapshot()).toEqual(stock);
    for (const [key, config] of snapshot()) expect(config, key).toBe(stock.get(key));
    expect(registeredTrainingKernels()).toEqual([]);
  });

  it("leaves a kernel someone else registered over ours in place", () => {
    registerTrainingKernels({ backends: ["cpu"] });
    const theirs: tf.KernelConfig = {
      kernelName: "Conv2DBackpropFilter",
      backendName: "cpu",
      kernelFunc: () => {
        throw new Error("theirs");
      },
    };
    tf.unregisterKernel("Conv2DBackpropFilter", "cpu");
    tf.registerKernel(theirs);
    unregisterTrainingKernels();
    expect(tf.getKernel("Conv2DBackpropFilter", "cpu")).toBe(theirs);
    tf.unregisterKernel("Conv2DBackpropFilter", "cpu");
    tf.registerKernel(STOCK_CPU_CONV2D_BACKPROP_FILTER);
  });

  it("does nothing when nothing is registered", () => {
    const stock = snapshot();
    unregisterTrainingKernels();
    expect(snapshot()).toEqual(stock);
  });
});
