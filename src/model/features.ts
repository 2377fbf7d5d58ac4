import * as tf from "@tensorflow/tfjs";
import type { DataLoader } from "../data/batches.js";
import { checkAborted, yieldToEventLoop } from "../train/events.js";

/**
 * A body cut where one tensor crosses: `lower` maps images [N, size, size, 3] to that tensor [N, h, w, c],
 * `upper` maps it to the body's output, on the same layers and weights.
 */
export interface BodyHalves {
  lower: tf.LayersModel;
  upper: tf.LayersModel;
}

/** Versions of the body's weights: `body` changes with any of them, `lower` only with the first half's. */
export interface BodyVersions {
  body: number;
  lower: number;
}

/** The most host memory the frozen first half's outputs may take per cache before they are recomputed instead. */
export const LOWER_CACHE_BYTES = 256 * 2 ** 20;

/** How a FeatureCache keeps a frozen first half's outputs (see FeatureCache). */
export interface LowerOptions {
  halves: BodyHalves | null;
  /** Whether to keep them now (asked at every pass). Default: always. */
  keepLower?: () => boolean;
  /** Default LOWER_CACHE_BYTES. */
  maxLowerBytes?: number;
}

/**
 * `upper` on `x` as at inference, with `predict`, which frees each layer's output once used: a wide
 * body's would not all fit at once. (A training step applies it itself: Learner.trainedPart.)
 */
function upperAtInference(upper: tf.LayersModel, x: tf.Tensor4D): tf.Tensor4D {
  return upper.predict(x) as tf.Tensor4D;
}

/**
 * A frozen body's pooled outputs for a loader's items (unaugmented, in item order), computed once per
 * body version: `pool` maps body features [N, h, w, c] to the vectors [N, d] the head starts from.
 * The training set's are kept as host floats (copying rows is far faster than tfjs's gather on wasm),
 * the validation set's as one tensor.
 *
 * With `halves`, and while `keepLower()` says so, it also keeps the first half's outputs [N, h, w, c]
 * as host floats (up to `maxLowerBytes`), computed in the same pass: while only that half stays
 * frozen (`freezeTo(-2)`), a training step starts from them (`lowerBatch`) and new pooled features
 * need only the second half. Owns what it holds; `dispose()` frees it.
 */
export class FeatureCache {
  private host: { version: number; data: Float32Array; width: number } | null = null;
  private device: { version: number; features: tf.Tensor2D } | null = null;
  private lower: { version: number; data: Float32Array } | null = null;
  /** Elements of one item's first-half output (h × w × c). */
  private readonly lowerSize: number;
  private readonly halves: BodyHalves | null;
  private readonly keepLower: () => boolean;
  private readonly maxLowerBytes: number;

  constructor(
    private readonly body: tf.LayersModel,
    private readonly pool: (features: tf.Tensor4D) => tf.Tensor2D,
    { halves, keepLower = () => true, maxLowerBytes = LOWER_CACHE_BYTES }: LowerOptions = { halves: null },
  ) {
    this.halves = halves;
    this.keepLower = keepLower;
    this.maxLowerBytes = maxLowerBytes;
    const shape = halves?.lower.outputs[0]!.shape.slice(1) as number[] | undefined;
    this.lowerSize = shape ? shape.reduce((a, b) => a * b, 1) : 0;
  }

  /** Pooled features of items `indices` of `loader` for body `versions`, as host floats [indices × d], row-major; the caller owns them. */
  hostRows(loader: DataLoader, indices: readonly number[], versions: BodyVersions): Float32Array {
    if (this.host?.version !== versions.body) {
      this.host = null;
      const features = this.compute(loader, versions);
      this.host = { version: versions.body, data: features.dataSync() as Float32Array, width: features.shape[1] };
      features.dispose();
    }
    const { data, width } = this.host;
    const rows = new Float32Array(indices.length * width);
    indices.forEach((item, row) => rows.set(data.subarray(item * width, (item + 1) * width), row * width));
    return rows;
  }

  /** Pooled features [items, d] of every item of `loader`, for body `versions`; the cache keeps them (do not dispose). */
  async all(loader: DataLoader, versions: BodyVersions, signal?: AbortSignal): Promise<tf.Tensor2D> {
    if (this.device?.version !== versions.body) {
      this.device?.features.dispose();
      this.device = null;
      this.device = { version: versions.body, features: await this.computeAsync(loader, versions, signal) };
    }
    return this.device.features;
  }

  /**
   * The first half's outputs [indices, h, w, c] for items `indices` of `loader` (unaugmented), for its
   * weights' `versions.lower`: computed for every item on first use, with the pooled features, and
   * kept. Null without halves, while `keepLower()` is false, or when they would not fit in
   * `maxLowerBytes`. The caller disposes the tensor.
   */
  lowerBatch(loader: DataLoader, indices: readonly number[], versions: BodyVersions): tf.Tensor4D | null {
    if (!this.keepsLower(loader)) return null;
    if (this.lower?.version !== versions.lower) {
      // one pass makes both: the pooled features' version is current only if the whole body's is
      const features = this.compute(loader, versions);
      if (this.host?.version !== versions.body)
        this.host = { version: versions.body, data: features.dataSync() as Float32Array, width: features.shape[1] };
      features.dispose();
    }
    return this.keptLower(indices);
  }

  dispose(): void {
    this.host = null;
    this.lower = null;
    this.device?.features.dispose();
    this.device = null;
  }

  /** The kept first-half outputs [indices, h, w, c] of items `indices`. */
  private keptLower(indices: readonly number[]): tf.Tensor4D {
    const { data } = this.lower!;
    const size = this.lowerSize;
    const rows = new Float32Array(indices.length * size);
    indices.forEach((item, row) => rows.set(data.subarray(item * size, (item + 1) * size), row * size));
    const shape = this.halves!.lower.outputs[0]!.shape.slice(1) as number[];
    return tf.tensor4d(rows, [indices.length, ...shape] as [number, number, number, number]);
  }

  private keepsLower(loader: DataLoader): boolean {
    return this.halves !== null && this.keepLower() && loader.items.length * this.lowerSize * 4 <= this.maxLowerBytes;
  }

  private compute(loader: DataLoader, versions: BodyVersions): tf.Tensor2D {
    const pass = this.startPass(loader, versions);
    const chunks = chunksOf(loader).map((indices) => pass.forward(indices));
    pass.finish();
    const features = tf.concat(chunks);
    tf.dispose(chunks);
    return features;
  }

  private async computeAsync(loader: DataLoader, versions: BodyVersions, signal?: AbortSignal): Promise<tf.Tensor2D> {
    const pass = this.startPass(loader, versions);
    const chunks: tf.Tensor2D[] = [];
    try {
      for (const indices of chunksOf(loader)) {
        checkAborted(signal);
        chunks.push(pass.forward(indices));
        await yieldToEventLoop();
      }
      pass.finish();
      return tf.concat(chunks);
    } finally {
      tf.dispose(chunks);
    }
  }

  /**
   * One pass over `loader`'s items in chunks, as at inference: from the kept first-half outputs when
   * they are current (only the second half runs), else the whole body — split, keeping the first
   * half's outputs, when they are wanted. `finish()` keeps what the pass filled once it covered every item.
   */
  private startPass(loader: DataLoader, versions: BodyVersions) {
    const halves = this.halves;
    const current = halves !== null && this.lower?.version === versions.lower;
    const filling =
      halves !== null && !current && this.keepsLower(loader)
        ? new Float32Array(loader.items.length * this.lowerSize)
        : null;
    const forward = (indices: number[]): tf.Tensor2D =>
      tf.tidy(() => {
        if (current) {
          return this.pool(upperAtInference(halves.upper, this.keptLower(indices)));
        }
        const { xs, ys } = loader.batchAt(indices, 0, 0, { augment: false });
        ys.dispose();
        if (filling === null) return this.pool(this.body.predict(xs) as tf.Tensor4D);
        const low = halves!.lower.predict(xs) as tf.Tensor4D;
        filling.set(low.dataSync(), indices[0]! * this.lowerSize);
        return this.pool(upperAtInference(halves!.upper, low));
      });
    return {
      forward,
      finish: () => {
        if (filling !== null) this.lower = { version: versions.lower, data: filling };
      },
    };
  }
}

/** Item indices of `loader` in chunks of 64, in order. */
function chunksOf(loader: DataLoader): number[][] {
  const all = loader.items.map((_, i) => i);
  return Array.from({ length: Math.ceil(all.length / 64) }, (_, c) => all.slice(c * 64, (c + 1) * 64));
}
