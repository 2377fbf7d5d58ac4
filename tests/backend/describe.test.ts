import { describe, expect, it } from "vitest";
import type { BackendChoice } from "../../src/backend/backend.js";
import { describeBackend } from "../../src/backend/describe.js";

const webgl: BackendChoice = {
  backend: "webgl",
  task: "infer",
  environment: "browser",
  attempts: [{ backend: "webgl", ok: true }],
};
const wasmInBrowser: BackendChoice = {
  backend: "wasm",
  task: "infer",
  environment: "browser",
  attempts: [
    { backend: "webgl", ok: false, reason: "webgl could not start" },
    { backend: "wasm", ok: true },
  ],
};

describe("describeBackend(choice, {renderer})", () => {
  it("says nothing more than the headline on a hardware GPU", () => {
    expect(describeBackend(webgl, { renderer: "ANGLE (NVIDIA GeForce RTX 4070)" })).toEqual({
      backend: "webgl",
      headline: 'TensorFlow.js runs on WebGL (your graphics chip): the "webgl" backend.',
      canTrain: true,
      banner: undefined,
    });
  });

  it("warns that a software renderer is slow and says how to fix it", () => {
    const { headline, banner } = describeBackend(webgl, {
      renderer: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))",
    });
    expect(headline).toBe('TensorFlow.js runs on WebGL (drawn in software on your CPU): the "webgl" backend.');
    expect(banner).toMatch(/^WebGL here is drawn in software \(ANGLE .*SwiftShader.*\).*Turn on hardware acceleration/);
  });

  it("explains in plain words that WebGL is missing, and that wasm cannot train yet", () => {
    const { canTrain, banner } = describeBackend(wasmInBrowser);
    expect(canTrain).toBe(false);
    expect(banner).toMatch(/^WebGL is not available in this browser, so the course runs on WebAssembly \(your CPU\)\./);
    expect(banner).toMatch(/The wasm backend cannot train yet \(it lacks gradient kernels\)/);
  });

  it("says why it took wasm over a software-rendered WebGL", () => {
    const choice: BackendChoice = {
      ...wasmInBrowser,
      attempts: [{ backend: "wasm", ok: true }],
      softwareWebGL: "SwiftShader Device",
    };
    expect(describeBackend(choice).banner).toMatch(
      /^WebGL here is drawn in software \(SwiftShader Device\), not by a graphics chip, and that is slower than WebAssembly on your CPU, so the course uses WebAssembly \(your CPU\)\./,
    );
  });

  it("gives no WebGL banner in Node, where there is no WebGL to miss", () => {
    const node: BackendChoice = {
      backend: "cpu",
      task: "train",
      environment: "node",
      attempts: [{ backend: "cpu", ok: true }],
    };
    expect(describeBackend(node).banner).toBeUndefined();
  });
});
