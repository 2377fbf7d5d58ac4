import * as tf from "@tensorflow/tfjs";
import type { DataLoader } from "../data/batches.js";
import { checkAborted, yieldToEventLoop } from "../train/events.js";

/**
 * A frozen body's pooled outputs for a loader's items (unaugmented, in item order), computed once per
 * body version: `pool` maps body features [N, h, w, c] to the vectors [N, d] the head starts from.
 * The training set's are kept as host floats (copying rows is far faster than tfjs's gather on wasm),
 * the validation set's as one tensor. Owns what it holds; `dispose()` frees it.
 */
export class FeatureCache {
  private host: { version: number; data: Float32Array; width: number } | null = null;
  private device: { version: number; features: tf.Tensor2D } | null = null;

  constructor(
    private readonly body: tf.LayersModel,
    private readonly pool: (features: tf.Tensor4D) => tf.Tensor2D,
  ) {}

  /** Pooled features of items `indices` of `loader` for body `version`, as host floats [indices × d], row-major; the caller owns them. */
  hostRows(loader: DataLoader, indices: readonly number[], version: number): Float32Array {
    if (this.host?.version !== version) {
      this.host = null;
      const features = this.compute(loader);
      this.host = { version, data: features.dataSync() as Float32Array, width: features.shape[1] };
      features.dispose();
    }
    const { data, width } = this.host;
    const rows = new Float32Array(indices.length * width);
    indices.forEach((item, row) => rows.set(data.subarray(item * width, (item + 1) * width), row * width));
    return rows;
  }

  /** Pooled features [items, d] of every item of `loader`, for body `version`; the cache keeps them (do not dispose). */
  async all(loader: DataLoader, version: number, signal?: AbortSignal): Promise<tf.Tensor2D> {
    if (this.device?.version !== version) {
      this.device?.features.dispose();
      this.device = null;
      this.device = { version, features: await this.computeAsync(loader, signal) };
    }
    return this.device.features;
  }

  dispose(): void {
    this.host = null;
    this.device?.features.dispose();
    this.device = null;
  }

  private compute(loader: DataLoader): tf.Tensor2D {
    const chunks = chunksOf(loader).map((indices) => this.forward(loader, indices));
    const features = tf.concat(chunks);
    tf.dispose(chunks);
    return features;
  }

  private async computeAsync(loader: DataLoader, signal?: AbortSignal): Promise<tf.Tensor2D> {
    const chunks: tf.Tensor2D[] = [];
    try {
      for (const indices of chunksOf(loader)) {
        checkAborted(signal);
        chunks.push(this.forward(loader, indices));
        await yieldToEventLoop();
      }
      return tf.concat(chunks);
    } finally {
      tf.dispose(chunks);
    }
  }

  private forward(loader: DataLoader, indices: number[]): tf.Tensor2D {
    return tf.tidy(() => {
      const { xs, ys } = loader.batchAt(indices, 0, 0, { augment: false });
      ys.dispose();
      return this.pool(this.body.apply(xs, { training: false }) as tf.Tensor4D);
    });
  }
}

/** Item indices of `loader` in chunks of 64, in order. */
function chunksOf(loader: DataLoader): number[][] {
  const all = loader.items.map((_, i) => i);
  return Array.from({ length: Math.ceil(all.length / 64) }, (_, c) => all.slice(c * 64, (c + 1) * 64));
}
