import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { measureMatMul } from "../../src/backend/speed.js";
import { expectNoLeakedTensors } from "../util/tensors.js";

/** Reference: sum of all entries of a·b, by plain loops over the same seeded matrices. */
function referenceChecksum(size: number, seed: number): number {
  const [a, b] = [
    tf.randomNormal([size, size], 0, 1, "float32", seed),
    tf.randomNormal([size, size], 0, 1, "float32", seed + 1),
  ];
  const [x, y] = [a.dataSync(), b.dataSync()];
  a.dispose();
  b.dispose();
  let sum = 0;
  for (let i = 0; i < size; i++)
    for (let k = 0; k < size; k++) for (let j = 0; j < size; j++) sum += x[i * size + k]! * y[k * size + j]!;
  return sum;
}

describe("measureMatMul(backend, options)", () => {
  beforeAll(async () => {
    await initBackend({ order: ["cpu"] });
  });

  it("computes the real product: its checksum matches plain loops", async () => {
    const speed = await expectNoLeakedTensors(() => measureMatMul("cpu", { size: 48, repeats: 2, seed: 7 }));
    expect(speed.checksum).toBeCloseTo(referenceChecksum(48, 7), 2);
    expect(speed.ms).toBeGreaterThan(0);
    expect(speed.gflops).toBeCloseTo((2 * 48 ** 3) / (speed.ms * 1e6), 6);
  });

  it("refuses to run on a backend other than the one the caller started", () => {
    expect(() => measureMatMul("webgl")).toThrow(
      /^measureMatMul: active backend is cpu, not webgl; await initBackend\(\) first$/,
    );
  });
});
