import * as Plot from "@observablehq/plot";
import type { Point } from "../teach/linear.js";

/** The points the loss chart draws: step numbers from 1, only losses a log axis can show (finite, above 0). */
export function stepLosses(losses: readonly number[]): { step: number; loss: number }[] {
  return losses.map((loss, i) => ({ step: i + 1, loss })).filter(({ loss }) => Number.isFinite(loss) && loss > 0);
}

/** Powers of ten from the one at or below the smallest value to the one at or above the largest: a log axis's grid. */
export function decades(values: readonly number[]): number[] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [];
  const [low, high] = [Math.floor(Math.log10(Math.min(...positive))), Math.ceil(Math.log10(Math.max(...positive)))];
  return Array.from({ length: Math.max(high, low + 1) - low + 1 }, (_, k) => 10 ** (low + k));
}

/**
 * The target curve (grey dots) and the network's output at the same x (blue line, absent before the
 * first step). Root has `data-curve-fit` and `data-fitted` (how many values are drawn). Browser only.
 */
export function curveFitChart(
  points: readonly Point[],
  fitted: readonly number[] = [],
  { width = 640, height = 260 }: { width?: number; height?: number } = {},
): HTMLElement | SVGSVGElement {
  if (fitted.length !== 0 && fitted.length !== points.length)
    throw new Error(
      `curveFitChart: ${fitted.length} fitted values for ${points.length} points; pass one per point, or none`,
    );
  const output = fitted.map((y, i) => ({ x: points[i]!.x, y }));
  const chart = Plot.plot({
    width,
    height,
    x: { label: "x", domain: [-1, 1] },
    y: { label: "y", domain: [-1.4, 1.4], grid: true },
    color: { legend: true, domain: ["target", "network"], range: ["#999", "steelblue"] },
    marks: [
      Plot.dot(points, { x: "x", y: "y", fill: () => "target", r: 2.5 }),
      Plot.line(output, { x: "x", y: "y", stroke: () => "network", strokeWidth: 2.5, clip: true }),
    ],
  });
  chart.setAttribute("data-curve-fit", "");
  chart.setAttribute("data-fitted", String(output.length));
  return chart;
}

/**
 * Loss after each step on a log axis with a grid line at each power of ten (a fall from 0.5 to 0.001
 * stays readable). Root has
 * `data-step-losses`, `data-steps` and `data-loss` (the last loss, empty before the first step). Browser only.
 */
export function stepLossChart(
  losses: readonly number[],
  { width = 640, height = 200 }: { width?: number; height?: number } = {},
): HTMLElement | SVGSVGElement {
  const points = stepLosses(losses);
  const ticks = points.length === 0 ? [1e-3, 1e-2, 1e-1, 1] : decades(points.map((p) => p.loss));
  const chart = Plot.plot({
    width,
    height,
    x: { label: "step", ...(points.length < 2 ? { domain: [0, 1] } : {}) },
    y: {
      label: "loss (mean squared error)",
      type: "log",
      grid: true,
      domain: [ticks[0]!, ticks.at(-1)!],
      ticks,
      tickFormat: "~g",
    },
    marks: [Plot.line(points, { x: "step", y: "loss", stroke: "steelblue" })],
  });
  chart.setAttribute("data-step-losses", "");
  chart.setAttribute("data-steps", String(losses.length));
  chart.setAttribute("data-loss", losses.length ? String(losses.at(-1)) : "");
  return chart;
}
