import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { describeThreads, wasmThreadsFor, type Isolation } from "../../src/backend/threads.js";
import { initNodeBackend } from "../../src/node/backend.js";

const byHeaders: Isolation = { isolated: true, by: "headers" };
const byWorker: Isolation = { isolated: true, by: "service-worker" };
const blocked: Isolation = { isolated: false, reason: "this browser blocks service workers" };

describe("wasmThreadsFor(isolation, cores)", () => {
  it("gives an isolated page every core the browser reports", () => {
    expect(wasmThreadsFor(byHeaders, 8)).toBe(8);
    expect(wasmThreadsFor(byWorker, 2)).toBe(2);
  });
  it("gives a page that is not isolated one thread, whatever the cores", () => {
    expect(wasmThreadsFor(blocked, 16)).toBe(1);
  });
  it("gives one thread where the browser reports no cores", () => {
    expect(wasmThreadsFor(byHeaders, 0)).toBe(1);
    expect(wasmThreadsFor(byHeaders, Number.NaN)).toBe(1);
  });
});

describe("describeThreads(backend, threads, isolation, cores)", () => {
  it("names the threads and what isolated the page", () => {
    expect(describeThreads("wasm", 4, byHeaders, 4)).toBe(
      "WebAssembly computes on 4 threads (this machine reports 4 cores): the site's host sends the cross-origin isolation headers.",
    );
    expect(describeThreads("wasm", 2, byWorker, 2)).toBe(
      "WebAssembly computes on 2 threads (this machine reports 2 cores): the course's service worker adds the cross-origin isolation headers.",
    );
  });
  it("says why there is one thread when the page is not isolated", () => {
    expect(describeThreads("wasm", 1, blocked, 8)).toBe(
      "WebAssembly computes on one thread, not all 8 cores: this browser blocks service workers. Everything works, training is only slower.",
    );
  });
  it("says a one-core machine has nothing to share", () => {
    expect(describeThreads("wasm", 1, byHeaders, 1)).toBe(
      "WebAssembly computes on 1 thread: this machine reports 1 core, so there is nothing to share.",
    );
  });
  it("says only wasm uses threads on another backend", () => {
    expect(describeThreads("webgl", undefined, byHeaders, 4)).toBe(
      "Threads: only the WebAssembly backend uses them; it could use them here (this machine reports 4 cores).",
    );
  });
});

describe("initNodeBackend({wasmThreads})", () => {
  // tfjs-backend-wasm 4.22 reports no thread support in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
  // there), so the single-threaded binary starts: docs/threads.md, "Node".
  it("starts the single-threaded wasm binary in Node, whatever is asked", async () => {
    const choice = await initNodeBackend({ task: "train", wasmThreads: 2 });
    expect(choice.backend).toBe("wasm");
    expect(choice.threads).toBe(1);
    expect(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")).toBe(false);
  });
});
