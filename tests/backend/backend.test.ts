import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import {
  TRAINING_KERNELS,
  backendOrder,
  initBackend,
  isSoftwareRenderer,
  missingKernels,
} from "../../src/backend/backend.js";
import { initNodeBackend } from "../../src/node/backend.js";
import { nodeWasmPaths } from "../../src/node/wasm-paths.js";
import { registerTrainingKernels, unregisterTrainingKernels } from "../../src/kernels/register.js";

describe("backendOrder(environment)", () => {
  it("tries webgl, then wasm, then cpu in a browser", () => {
    expect(backendOrder("browser")).toEqual(["webgl", "wasm", "cpu"]);
  });
  it("tries wasm, then cpu in Node (no WebGL there)", () => {
    expect(backendOrder("node")).toEqual(["wasm", "cpu"]);
  });
  it("tries wasm before webgl in a browser whose WebGL is drawn in software", () => {
    expect(backendOrder("browser", { softwareWebGL: true })).toEqual(["wasm", "webgl", "cpu"]);
  });
});

describe("isSoftwareRenderer(renderer)", () => {
  it("recognises SwiftShader and llvmpipe, not a graphics chip", () => {
    expect(
      isSoftwareRenderer(
        "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
      ),
    ).toBe(true);
    expect(isSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)")).toBe(true);
    expect(isSoftwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 Direct3D11 vs_5_0 ps_5_0)")).toBe(false);
  });
});

describe("missingKernels(backend, task)", () => {
  it("is empty for inference on every backend", () => {
    expect(missingKernels("wasm", "infer")).toEqual([]);
  });
  it("is empty for training on cpu, which has every gradient kernel", () => {
    expect(missingKernels("cpu", "train")).toEqual([]);
  });
  it("lists the gradient kernels stock wasm lacks", () => {
    unregisterTrainingKernels();
    expect(missingKernels("wasm", "train")).toEqual([
      "Conv2DBackpropFilter",
      "DepthwiseConv2dNativeBackpropFilter",
      "DepthwiseConv2dNativeBackpropInput",
    ]);
  });
  it("is empty for training on wasm once the course's training kernels are registered", () => {
    registerTrainingKernels();
    expect(missingKernels("wasm", "train")).toEqual([]);
  });
});

describe("initNodeBackend(options)", () => {
  it("starts wasm for inference and makes it the active backend", async () => {
    const choice = await initNodeBackend({ task: "infer" });
    expect(choice).toEqual({
      backend: "wasm",
      task: "infer",
      environment: "node",
      attempts: [{ backend: "wasm", ok: true }],
      threads: 1,
    });
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0])).toBe(11);
  });

  it("trains on wasm, with the course's training kernels registered by default", async () => {
    const choice = await initNodeBackend({ task: "train" });
    expect(choice).toEqual({
      backend: "wasm",
      task: "train",
      environment: "node",
      attempts: [{ backend: "wasm", ok: true }],
      threads: 1,
    });
    expect(missingKernels("wasm", "train")).toEqual([]);
  });

  describe("with stock tfjs (trainingKernels: false)", () => {
    afterEach(() => {
      registerTrainingKernels();
    });

    it("falls back to cpu for training, saying which gradient kernels wasm lacks", async () => {
      unregisterTrainingKernels();
      const choice = await initNodeBackend({ task: "train", trainingKernels: false });
      expect(choice.backend).toBe("cpu");
      expect(tf.getBackend()).toBe("cpu");
      expect(choice.attempts[0]).toEqual({
        backend: "wasm",
        ok: false,
        reason:
          "wasm cannot train here: no Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput kernel",
      });
    });
  });
});

describe("initBackend(options)", () => {
  it("falls back from webgl to wasm when WebGL cannot start (the browser order, run in Node)", async () => {
    const choice = await initBackend({ environment: "browser", wasmPaths: nodeWasmPaths() });
    expect(choice.backend).toBe("wasm");
    expect(choice.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ["webgl", false],
      ["wasm", true],
    ]);
    expect(choice.attempts[0]!.reason).toBe("webgl is not available here (tfjs registers it only where it can run)");
  });

  it("starts wasm, not webgl, in a browser with a software WebGL renderer, and says so", async () => {
    const choice = await initBackend({
      environment: "browser",
      wasmPaths: nodeWasmPaths(),
      webglRenderer: "SwiftShader Device",
    });
    expect(choice).toMatchObject({
      backend: "wasm",
      attempts: [{ backend: "wasm", ok: true }],
      softwareWebGL: "SwiftShader Device",
    });
  });

  it("skips wasm, saying why, when no wasmPaths are given", async () => {
    const choice = await initBackend({ environment: "node" });
    expect(choice.backend).toBe("cpu");
    expect(choice.attempts[0]).toEqual({
      backend: "wasm",
      ok: false,
      reason: "no wasmPaths given (where the .wasm files are served from)",
    });
  });

  it("follows an explicit order", async () => {
    expect((await initBackend({ order: ["cpu"] })).backend).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });

  it("rejects wasmThreads that is not a whole number of threads, naming the value and the fix", async () => {
    await expect(initBackend({ order: ["cpu"], wasmThreads: 0 })).rejects.toThrow(
      "invalid wasmThreads: 0; use a whole number of threads, 1 or more",
    );
    await expect(initBackend({ order: ["cpu"], wasmThreads: 1.5 })).rejects.toThrow("invalid wasmThreads: 1.5");
  });

  it("rejects an unknown task, naming the value and the fix", async () => {
    await expect(initBackend({ task: "fly" as never })).rejects.toThrow(
      /^invalid task: "fly"; use "infer" or "train"$/,
    );
  });

  it("rejects an unknown backend in order, naming the value and the valid ones", async () => {
    await expect(initBackend({ order: ["tpu" as never] })).rejects.toThrow(
      /^invalid order: unknown backend "tpu"; use some of webgl, wasm, cpu$/,
    );
  });

  it("fails with every reason when nothing can start", async () => {
    await expect(initBackend({ order: ["webgl"], environment: "node" })).rejects.toThrow(
      /^no tfjs backend could be started for task "infer" \(webgl: webgl is not available here/,
    );
  });
});

describe("TRAINING_KERNELS", () => {
  it("names kernels that really exist (cpu has them all)", () => {
    for (const name of TRAINING_KERNELS) expect(tf.getKernel(name, "cpu"), name).toBeDefined();
  });
});
