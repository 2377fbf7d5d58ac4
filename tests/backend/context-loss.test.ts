import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { WebGLContextLost, watchContextLoss } from "../../src/backend/context-loss.js";

// The words a lost WebGL context ends a run with; losing one is tried in Chromium by
// tests/browser/faults.test.ts (lesson 1's training and its lrFind).
describe("new WebGLContextLost(words)", () => {
  const cause =
    "WebGL stopped working: the browser took away the graphics context TensorFlow.js computes on " +
    "(the graphics driver was reset, or the graphics chip ran out of memory), ";

  it("says training stopped and the last epoch's save is kept, by default", () => {
    const error = new WebGLContextLost();
    expect(error.name).toBe("WebGLContextLost");
    expect(error.message).toBe(
      `${cause}so training stopped. The model saved after the last completed epoch is kept in this browser; ` +
        "switch to WebAssembly (?backend=wasm in the page's address) to train again",
    );
  });

  it('names what stopped, and with kept "" claims nothing kept', () => {
    expect(new WebGLContextLost({ stopped: "lrFind", kept: "" }).message).toBe(
      `${cause}so lrFind stopped. Switch to WebAssembly (?backend=wasm in the page's address) to train again`,
    );
    expect(new WebGLContextLost({ kept: "The cleaner's edits are kept" }).message).toBe(
      `${cause}so training stopped. The cleaner's edits are kept; switch to WebAssembly (?backend=wasm in the page's address) to train again`,
    );
  });
});

describe("watchContextLoss(stop, words)", () => {
  it("never aborts on a backend other than webgl", async () => {
    await tf.setBackend("cpu");
    const signal = watchContextLoss(undefined, { stopped: "lrFind", kept: "" });
    expect(tf.getBackend()).toBe("cpu");
    expect(signal.aborted).toBe(false);
  });
});
