import * as Plot from "@observablehq/plot";
import { geometricLevels, type Grid } from "../teach/grid.js";
import type { Weights } from "../teach/linear.js";

const first = (d: Weights) => d[0];
const second = (d: Weights) => d[1];

/** `count` contour levels spread evenly in ratio from the grid's lowest value to its highest (a bowl gets even rings). */
export function surfaceLevels({ values }: Grid, count = 14): number[] {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
  if (!(max > 0))
    throw new Error(`surfaceLevels: the grid's largest value is ${max}; give a loss surface with positive values`);
  const low = Math.max(min, max * 1e-6);
  return low < max ? geometricLevels(low, max, count) : [max];
}

export interface LossSurfaceOptions {
  /** The weights the model has now (a big dot). */
  weights: Weights;
  /** The weights after each step of gradient descent, start first (a line of dots). */
  path?: readonly Weights[];
  /** The lowest point (a star). */
  best?: Weights;
  width?: number;
  height?: number;
  /** Called with the weights under the pointer when the learner presses on the chart or drags across it. */
  onPick?: (weights: [number, number]) => void;
}

/** The weights under a pointer event on `chart` (inverted through its x and y scales), or null outside the grid. */
function weightsAt(chart: SVGSVGElement & Plot.Plot, grid: Grid, event: PointerEvent): [number, number] | null {
  const box = chart.getBoundingClientRect();
  const [width, height] = [Number(chart.getAttribute("width")), Number(chart.getAttribute("height"))];
  const w1 = chart.scale("x")!.invert!(((event.clientX - box.left) * width) / box.width) as number;
  const w2 = chart.scale("y")!.invert!(((event.clientY - box.top) * height) / box.height) as number;
  const inside = (v: number, a: number, b: number) => v >= Math.min(a, b) && v <= Math.max(a, b);
  return inside(w1, grid.x1, grid.x2) && inside(w2, grid.y1, grid.y2) ? [w1, w2] : null;
}

/**
 * The loss over every pair of weights (`grid`, from sampleGrid: w1 across, w2 up) as filled contours,
 * darker where the loss is lower; the current weights, the path descent took, and the lowest point.
 * Root has `data-loss-surface`, `data-weights="w1,w2"` and `data-steps` (steps on the path). Browser only.
 */
export function lossSurfaceChart(
  grid: Grid,
  { weights, path = [], best, width = 420, height = Math.round(width * 0.8), onPick }: LossSurfaceOptions,
): SVGSVGElement {
  const chart = Plot.plot({
    width,
    height,
    x: { label: "w1 (slope)", domain: [grid.x1, grid.x2] },
    y: { label: "w2 (intercept)", domain: [grid.y1, grid.y2] },
    color: { type: "log", scheme: "YlGnBu", reverse: true },
    marks: [
      Plot.contour(grid.values, {
        ...grid,
        fill: Plot.identity,
        thresholds: surfaceLevels(grid),
        stroke: "white",
        strokeOpacity: 0.35,
      }),
      Plot.line(path, { x: first, y: second, stroke: "orange", strokeWidth: 2 }),
      Plot.dot(path, { x: first, y: second, fill: "orange", r: 2.5 }),
      Plot.dot(best ? [best] : [], { x: first, y: second, symbol: "star", fill: "white", stroke: "black", r: 7 }),
      Plot.dot([weights], { x: first, y: second, fill: "orange", stroke: "white", strokeWidth: 2, r: 7 }),
    ],
  }) as SVGSVGElement & Plot.Plot;
  chart.setAttribute("data-loss-surface", "");
  chart.setAttribute("data-weights", weights.join(","));
  chart.setAttribute("data-steps", String(Math.max(0, path.length - 1)));
  if (onPick) {
    chart.style.cursor = "crosshair";
    chart.style.touchAction = "none";
    // pressed state is read from the event, so a drag carries on across the chart being redrawn under it
    const pick = (event: PointerEvent) => {
      if (event.type === "pointermove" && (event.buttons & 1) === 0) return;
      const picked = weightsAt(chart, grid, event);
      if (picked) onPick(picked);
    };
    chart.addEventListener("pointerdown", pick);
    chart.addEventListener("pointermove", pick);
  }
  return chart;
}
