import * as tf from "@tensorflow/tfjs";

export interface MatMulSpeed {
  /** Milliseconds per `size × size` matrix product, averaged over `repeats` after one warm-up. */
  ms: number;
  /** Billions of floating-point operations per second (a product is 2 · size³ of them). */
  gflops: number;
  /** Sum of the last product's entries: a real result, the same for the same seed on every backend (to ~1e-3). */
  checksum: number;
}

/**
 * Times `repeats` products of two seeded random `[size, size]` float32 matrices on the active backend.
 * Pass the backend the caller initialised (`initBackend(...).backend`): it is checked, so a page cell
 * cannot run this before the backend is ready. Leaves no tensors behind.
 */
export function measureMatMul(backend: string, { size = 512, repeats = 10, seed = 1 } = {}): MatMulSpeed {
  if (tf.getBackend() !== backend) {
    throw new Error(`measureMatMul: active backend is ${tf.getBackend()}, not ${backend}; await initBackend() first`);
  }
  const [a, b] = [
    tf.randomNormal([size, size], 0, 1, "float32", seed),
    tf.randomNormal([size, size], 0, 1, "float32", seed + 1),
  ];
  try {
    const product = () => tf.tidy(() => tf.matMul(a, b).sum().dataSync()[0]!);
    product(); // warm-up: shader compilation or kernel set-up is not what we time
    const start = performance.now();
    let checksum = 0;
    for (let i = 0; i < repeats; i++) checksum = product();
    const ms = (performance.now() - start) / repeats;
    return { ms, gflops: (2 * size ** 3) / (ms * 1e6), checksum };
  } finally {
    a.dispose();
    b.dispose();
  }
}
