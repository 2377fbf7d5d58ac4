import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";

/** Checks dtype, then shape, then every value within `rtol` relative (plus `atol` absolute) error. */
export function expectTensorsClose(
  actual: tf.Tensor,
  expected: tf.Tensor | number[],
  { rtol = 1e-5, atol = 1e-6 } = {},
): void {
  const want = Array.isArray(expected) ? tf.tensor(expected) : expected;
  try {
    expect(actual.dtype, "dtype").toBe(want.dtype);
    expect(actual.shape, "shape").toEqual(want.shape);
    const [a, b] = [actual.dataSync(), want.dataSync()];
    for (let i = 0; i < a.length; i++) {
      const tolerance = atol + rtol * Math.abs(b[i]!);
      if (!(Math.abs(a[i]! - b[i]!) <= tolerance)) {
        throw new Error(`value ${i}: got ${a[i]}, want ${b[i]} (±${tolerance})`);
      }
    }
  } finally {
    if (Array.isArray(expected)) want.dispose();
  }
}

/** Runs `fn` and checks that it leaves exactly `expected` more tensors alive than before (default 0). */
export async function expectNoLeakedTensors<T>(fn: () => T | Promise<T>, expected = 0): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors - before, "tensors left behind").toBe(expected);
  return result;
}
