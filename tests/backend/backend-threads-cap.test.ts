// Its own file: the wasm backend starts once per process, and this checks what happens around that start.
import { afterAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../../src/node/backend.js";

describe("initBackend({wasmThreads}) around the wasm start", () => {
  const before = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  // a browser-like navigator whose cores are an own property (as an extension might set them), and
  // every value defined on it while wasm starts
  const reported: unknown[] = [];
  const navigator = new Proxy(
    { hardwareConcurrency: 1 },
    {
      defineProperty(target, key, descriptor) {
        reported.push(descriptor.value);
        return Reflect.defineProperty(target, key, descriptor);
      },
    },
  );
  Object.defineProperty(globalThis, "navigator", { value: navigator, configurable: true });
  afterAll(() => {
    if (before === undefined) delete (globalThis as { navigator?: unknown }).navigator;
    else Object.defineProperty(globalThis, "navigator", before);
  });

  it("reports twice the threads while wasm starts, then puts navigator.hardwareConcurrency back as it was", async () => {
    const choice = await initNodeBackend({ task: "infer", wasmThreads: 2 });
    expect(choice.backend).toBe("wasm");
    // 4 while starting (the binary keeps half), then the original own property
    expect(reported).toEqual([4, 1]);
    expect(Object.getOwnPropertyDescriptor(navigator, "hardwareConcurrency")).toEqual({
      value: 1,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
});
