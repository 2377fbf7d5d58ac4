import * as Plot from "@observablehq/plot";
import { SmoothLoss, type BatchEvent, type EpochEvent } from "../train/recorder.js";

/** What lossSeries reads: a Recorder, or any list of events collected from onEvent. */
export interface LossHistory {
  batches: readonly BatchEvent[];
  epochs: readonly EpochEvent[];
  /** Smoothed loss per entry of `batches` (the Recorder's); computed when absent. */
  smoothLoss?: readonly number[];
}

export interface TrainPoint {
  /** 1-based count of batches across the whole history. */
  iteration: number;
  loss: number;
  smooth: number;
  phase: string;
}

export interface ValidPoint {
  /** The iteration of the epoch's last batch. */
  iteration: number;
  loss: number;
  phase: string;
  epoch: number;
}

/**
 * The points a loss chart draws: every training batch numbered from 1 across runs (lr_find's batches
 * left out), with fastai's smoothed loss (debiased moving average, beta 0.98, as the Recorder keeps it),
 * and each epoch's validation loss placed at that epoch's last batch (`batch === batches - 1`).
 */
export function lossSeries({ batches, epochs, smoothLoss }: LossHistory): { train: TrainPoint[]; valid: ValidPoint[] } {
  const kept: BatchEvent[] = [];
  const train: TrainPoint[] = [];
  const smoothed = new SmoothLoss();
  batches.forEach((event, i) => {
    if (event.phase === "lrFind") return;
    const computed = smoothed.add(event.loss);
    const smooth = smoothLoss?.[i] ?? computed;
    kept.push(event);
    train.push({ iteration: train.length + 1, loss: event.loss, smooth, phase: event.phase });
  });
  const valid: ValidPoint[] = [];
  let next = 0;
  for (const { phase, epoch, validLoss } of epochs) {
    if (phase === "lrFind") continue;
    const found = kept.findIndex(
      (b, k) => k >= next && b.phase === phase && b.epoch === epoch && b.batch === b.batches - 1,
    );
    // no batch ends this epoch (a hand-made history): at the last batch placed so far
    const last = found < 0 ? next - 1 : found;
    valid.push({ iteration: last + 1, loss: validLoss, phase, epoch });
    next = last + 1;
  }
  return { train, valid };
}

/** Where the phase changes (e.g. frozen → unfrozen): the first iteration of each new phase. */
export function phaseChanges(train: readonly TrainPoint[]): { iteration: number; phase: string }[] {
  return train
    .filter((p, i) => i > 0 && p.phase !== train[i - 1]!.phase)
    .map(({ iteration, phase }) => ({ iteration, phase }));
}

/** Marks the root for the browser tests. */
function tag<T extends Element>(element: T, attributes: Record<string, string>): T {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/**
 * fastai's plot_loss: training loss per batch (faint), its smoothed curve, and validation loss per
 * epoch, with a labelled rule where the phase changes. Root has `data-loss-chart` and `data-batches`.
 * Browser only.
 */
export function lossChart(
  history: LossHistory,
  { width = 640, height = 240 }: { width?: number; height?: number } = {},
): HTMLElement | SVGSVGElement {
  const { train, valid } = lossSeries(history);
  const changes = phaseChanges(train);
  const empty = train.length === 0 && valid.length === 0;
  const chart = Plot.plot({
    width,
    height,
    caption: train.length === 0 ? "no batches yet" : null,
    x: { label: "batch", ...(empty ? { domain: [0, 1] } : {}) },
    y: { label: "loss", grid: true, ...(empty ? { domain: [0, 1] } : {}) },
    color: { legend: true, domain: ["train", "train (smoothed)", "valid"], range: ["#9ab", "steelblue", "orange"] },
    marks: [
      Plot.ruleX(changes, { x: (d) => d.iteration - 0.5, strokeDasharray: "4,3", strokeOpacity: 0.5 }),
      Plot.text(changes, {
        x: (d) => d.iteration - 0.5,
        text: "phase",
        frameAnchor: "top",
        textAnchor: "start",
        dx: 4,
        dy: 4,
      }),
      Plot.lineY(train, { x: "iteration", y: "loss", stroke: () => "train", strokeWidth: 0.75, strokeOpacity: 0.5 }),
      Plot.lineY(train, { x: "iteration", y: "smooth", stroke: () => "train (smoothed)", strokeWidth: 1.5 }),
      Plot.lineY(valid, { x: "iteration", y: "loss", stroke: () => "valid", strokeWidth: 1.5 }),
      Plot.dot(valid, {
        x: "iteration",
        y: "loss",
        fill: () => "valid",
        r: 3,
        tip: true,
        title: (d) => `${d.phase} epoch ${d.epoch}: ${d.loss.toFixed(4)}`,
      }),
    ],
  });
  return tag(chart, { "data-loss-chart": "", "data-batches": String(train.length) });
}

/** What lrFind returns. */
export interface LrFindCurve {
  lrs: readonly number[];
  /** Smoothed loss at each rate. */
  losses: readonly number[];
  suggestion: number;
}

/**
 * fastai's lr_find plot: smoothed loss against learning rate on a log axis, with the suggested rate
 * marked. Root has `data-lr-find`. Browser only.
 */
export function lrFindChart(
  { lrs, losses, suggestion }: LrFindCurve,
  { width = 640, height = 240 }: { width?: number; height?: number } = {},
): HTMLElement | SVGSVGElement {
  if (lrs.length !== losses.length)
    throw new Error(`lrFindChart: ${lrs.length} lrs but ${losses.length} losses; pass lrFind's result as it is`);
  const points = lrs.map((lr, i) => ({ lr, loss: losses[i]! }));
  const marked = Number.isFinite(suggestion) && suggestion > 0 ? [suggestion] : [];
  const chart = Plot.plot({
    width,
    height,
    x: {
      type: "log",
      label: "learning rate",
      tickFormat: ".0e",
      ...(points.length === 0 ? { domain: [1e-7, 10] } : {}),
    },
    y: { label: "loss (smoothed)", grid: true },
    marks: [
      Plot.lineY(points, { x: "lr", y: "loss", stroke: "steelblue" }),
      Plot.ruleX(marked, { stroke: "orange" }),
      Plot.text(marked, {
        x: (d) => d,
        text: (d) => `suggested ${d.toExponential(1)}`,
        frameAnchor: "top",
        textAnchor: "start",
        dx: 4,
        dy: 4,
        fill: "orange",
      }),
    ],
  });
  return tag(chart, { "data-lr-find": "" });
}
