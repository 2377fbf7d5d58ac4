import * as Plot from "@observablehq/plot";
import { mse, predictLine, type Point, type Weights } from "../teach/linear.js";

/** Each point with the model's prediction for its x: what the residual lines join. */
export function residuals(points: readonly Point[], weights: Weights): { x: number; y: number; prediction: number }[] {
  return points.map(({ x, y }) => ({ x, y, prediction: predictLine(weights, x) }));
}

/** [min, max] of `values`, widened by `pad` on both sides. */
export function paddedExtent(values: readonly number[], pad: number): [number, number] {
  return [Math.min(...values) - pad, Math.max(...values) + pad];
}

/**
 * The data (dots), the line the weights draw, and each point's error (red: the distance the loss
 * squares). The axes stay put as the weights change. Root has `data-line-fit`, `data-weights="w1,w2"`
 * and `data-loss` (mean squared error). Browser only.
 */
export function lineFitChart(
  points: readonly Point[],
  weights: Weights,
  { width = 640, height = 300 }: { width?: number; height?: number } = {},
): HTMLElement | SVGSVGElement {
  const xDomain = paddedExtent(
    points.map((p) => p.x),
    0.2,
  );
  const chart = Plot.plot({
    width,
    height,
    x: { label: "x (input)", domain: xDomain },
    y: {
      label: "y (result)",
      domain: paddedExtent(
        points.map((p) => p.y),
        1.5,
      ),
      grid: true,
    },
    marks: [
      Plot.ruleX(residuals(points, weights), {
        x: "x",
        y1: "y",
        y2: "prediction",
        stroke: "#d33",
        strokeOpacity: 0.7,
        clip: true,
      }),
      Plot.line(
        xDomain.map((x) => ({ x, y: predictLine(weights, x) })),
        { x: "x", y: "y", stroke: "orange", strokeWidth: 2.5, clip: true },
      ),
      Plot.dot(points, { x: "x", y: "y", fill: "steelblue", r: 3.5 }),
    ],
  });
  chart.setAttribute("data-line-fit", "");
  chart.setAttribute("data-weights", weights.join(","));
  chart.setAttribute("data-loss", String(mse(weights, points)));
  return chart;
}
