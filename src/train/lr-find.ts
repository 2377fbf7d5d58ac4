import type { Trainable } from "./trainable.js";
import { checkAborted, TrainingDiverged, type TrainingControl } from "./events.js";
import { GroupAdam } from "./optimizer.js";
import { SmoothLoss } from "./recorder.js";

export interface LrFindOptions extends TrainingControl {
  /** Default 1e-7. */
  startLr?: number;
  /** Default 10. */
  endLr?: number;
  /** Most batches to try. Default 100. */
  numIt?: number;
  /** Stop once the smoothed loss exceeds 4× its minimum. Default true. */
  stopDiv?: boolean;
}

export interface LrFindResult {
  /** The rate of each batch tried. */
  lrs: number[];
  /** The smoothed training loss after each batch (what fastai plots). */
  losses: number[];
  /** fastai's "valley" suggestion. */
  suggestion: number;
}

/**
 * fastai's lr_find: trains batch after batch with the rate rising exponentially from startLr to endLr,
 * recording the smoothed loss, until numIt batches or the loss explodes; then puts every weight (and
 * the optimizer) back as it was. Uses the learner's freeze state.
 */
export async function lrFind(
  learn: Trainable,
  { startLr = 1e-7, endLr = 10, numIt = 100, stopDiv = true, signal, onEvent }: LrFindOptions = {},
): Promise<LrFindResult> {
  if (!(startLr > 0 && endLr > startLr && Number.isFinite(endLr)))
    throw new Error(`invalid startLr/endLr: ${startLr}/${endLr}; use 0 < startLr < endLr, e.g. 1e-7 and 10`);
  if (!Number.isInteger(numIt) || numIt < 10) throw new Error(`invalid numIt: ${numIt}; use an integer ≥ 10, e.g. 100`);
  const saved = learn.snapshot();
  const optimizer = learn.optimizer;
  learn.optimizer = new GroupAdam();
  const epochsDone = learn.epochsDone;
  const lrs: number[] = [];
  const losses: number[] = [];
  try {
    const smoothed = new SmoothLoss();
    let best = Infinity;
    let epoch = 0;
    sweep: while (true) {
      const batches = learn.dls.train.batchIndices(learn.epochsDone);
      for (let batch = 0; batch < batches.length; batch++) {
        checkAborted(signal);
        const i = lrs.length;
        if (i >= numIt) break sweep;
        const lr = startLr * (endLr / startLr) ** (i / numIt);
        let loss: number;
        try {
          loss = await learn.trainBatch(batches[batch]!, { epoch, batch, lrs: [lr, lr, lr], phase: "lrFind" });
        } catch (error) {
          if (error instanceof TrainingDiverged) break sweep;
          throw error;
        }
        const smooth = smoothed.add(loss);
        lrs.push(lr);
        losses.push(smooth);
        onEvent?.({ type: "batch", phase: "lrFind", epoch, batch, batches: batches.length, loss: smooth, lr });
        best = Math.min(best, smooth);
        if (stopDiv && smooth > 4 * best) break sweep;
      }
      learn.epochsDone++;
      epoch++;
    }
  } finally {
    saved.restore();
    saved.dispose();
    learn.optimizer.dispose();
    learn.optimizer = optimizer;
    learn.epochsDone = epochsDone;
    learn.bodyChanged();
  }
  if (lrs.length < 10)
    throw new Error(`lrFind: the loss exploded after ${lrs.length} batches; lower startLr, e.g. ${startLr / 100}`);
  return { lrs, losses, suggestion: valley(lrs, losses) };
}

/**
 * fastai's valley: finds the longest stretch over which the loss keeps falling (longest decreasing
 * subsequence) and returns the rate a little under halfway down it, after skipping the first tenth and
 * the last five points as fastai does.
 */
export function valley(lrs: readonly number[], losses: readonly number[]): number {
  const skipStart = Math.floor(lrs.length / 10);
  const end = Math.max(skipStart + 1, lrs.length - 5);
  const x = lrs.slice(skipStart, end);
  const y = losses.slice(skipStart, end);
  const n = y.length;
  const lds = Array(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (y[i]! < y[j]! && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      if (lds[maxEnd] < lds[i]) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd];
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const index = maxStart + Math.floor(sections) + Math.floor(sections / 2);
  return x[Math.min(Math.max(index, 0), n - 1)]!;
}
