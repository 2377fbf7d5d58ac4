import * as tf from "@tensorflow/tfjs";

/**
 * Per-channel mean and standard deviation of pixels scaled to [0, 1]: a model's inputs are
 * (pixel / 255 − mean) / std. The one place the course states it; models store theirs in metadata.
 */
export interface Normalization {
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * The statistics of the course's pretraining images (fastai's imagenet_stats, for our ImageNet
 * stand-in): measured over the generated pretrain set, checked by tests/data/normalize.test.ts.
 */
export const pretrainStats: Normalization = {
  mean: [0.578, 0.583, 0.547],
  std: [0.22, 0.22, 0.252],
};

export function checkNormalization({ mean, std }: Normalization): void {
  if (mean?.length !== 3 || !mean.every(Number.isFinite)) throw new Error(`invalid normalization mean: ${JSON.stringify(mean)}; use three numbers [r, g, b] for pixels in [0, 1]`);
  if (std?.length !== 3 || !std.every((s) => s > 0)) throw new Error(`invalid normalization std: ${JSON.stringify(std)}; use three positive numbers [r, g, b]`);
}

/** (x − mean) / std for x: [..., 3] float32 in [0, 1]. Returns a new tensor; the caller disposes it. */
export function normalizeTensor<T extends tf.Tensor>(x: T, { mean, std }: Normalization): T {
  return tf.tidy(() => x.sub(tf.tensor1d(mean)).div(tf.tensor1d(std)) as T);
}

/** Per-channel mean and std of RGB bytes (e.g. many images' data), as pixels in [0, 1]. */
export function channelStats(pixels: Iterable<Uint8Array>): Normalization {
  const sum = [0, 0, 0];
  const squares = [0, 0, 0];
  let count = 0;
  for (const data of pixels) {
    for (let i = 0; i < data.length; i += 3) {
      for (let c = 0; c < 3; c++) {
        const v = data[i + c]! / 255;
        sum[c]! += v;
        squares[c]! += v * v;
      }
    }
    count += data.length / 3;
  }
  const mean = sum.map((s) => s / count) as Normalization["mean"];
  const std = squares.map((s, c) => Math.sqrt(s / count - mean[c]! ** 2)) as Normalization["std"];
  return { mean, std };
}
