// Its own file: a wasm backend that failed to load stays broken for the rest of the process.
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";

describe("initBackend(options) with unreachable wasm binaries", () => {
  it("falls back to cpu and records that wasm could not start", async () => {
    const choice = await initBackend({ environment: "node", wasmPaths: "/nonexistent/wasm/" });
    expect(choice.backend).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(choice.attempts[0]).toMatchObject({ backend: "wasm", ok: false });
    expect(choice.attempts[0]!.reason).toMatch(/^wasm (could not start|failed to initialise)/);
  });
});
