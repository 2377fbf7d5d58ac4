import * as Plot from "@observablehq/plot";
import type { ItemResult } from "../interpret/interpret.js";
import { figure, grid } from "./image.js";

/** The caption fastai's plot_top_losses prints: prediction / actual / loss / probability of the actual class. */
export function topLossCaption(r: ItemResult, classes: readonly string[]): string[] {
  return [`${r.predicted} / ${r.label}`, `${r.loss.toFixed(2)} / ${r.probs[classes.indexOf(r.label)]!.toFixed(2)}`];
}

/**
 * fastai's plot_top_losses: each item's image (as loaded) with "predicted / actual" and "loss /
 * probability of actual", in the order given (topLosses puts the highest first). Browser only.
 */
export function plotTopLosses(
  results: readonly ItemResult[],
  classes: readonly string[],
  { display = 96 } = {},
): HTMLElement {
  const tiles = results.map((r) => {
    const tile = figure(r.item.image, topLossCaption(r, classes), {
      scale: display / Math.max(r.item.image.width, r.item.image.height),
    });
    tile.dataset.file = r.file;
    tile.title = r.file;
    return tile;
  });
  const element = grid(tiles, { className: "dl-top-losses" });
  element.dataset.topLosses = String(results.length);
  return element;
}

/**
 * fastai's plot_confusion_matrix: actual classes down, predicted across, counts in the cells.
 * `onSelect(actual, predicted)` is called when a cell is clicked. Browser only.
 */
export function confusionChart(
  { classes, counts }: { classes: readonly string[]; counts: readonly (readonly number[])[] },
  { width = 360, onSelect }: { width?: number; onSelect?: (actual: string, predicted: string) => void } = {},
): HTMLElement | SVGSVGElement {
  const cells = counts.flatMap((row, a) =>
    row.map((count, p) => ({ actual: classes[a]!, predicted: classes[p]!, count })),
  );
  const chart = Plot.plot({
    width,
    height: width,
    marginLeft: 70,
    marginBottom: 50,
    padding: 0.04,
    x: { label: "predicted", domain: classes as string[] },
    y: { label: "actual", domain: classes as string[] },
    color: { scheme: "blues" },
    marks: [
      Plot.cell(cells, { x: "predicted", y: "actual", fill: "count", inset: 0.5 }),
      Plot.text(cells, {
        x: "predicted",
        y: "actual",
        text: "count",
        fill: (d: { count: number }) => (d.count > Math.max(...cells.map((c) => c.count)) / 2 ? "white" : "black"),
      }),
    ],
  });
  chart.setAttribute("data-confusion", counts.map((row) => row.join(",")).join(";"));
  if (onSelect) {
    chart.style.cursor = "pointer";
    // the counts sit on top of the cells: let clicks through to the cell underneath
    chart.querySelectorAll<SVGElement>("[aria-label=text]").forEach((g) => (g.style.pointerEvents = "none"));
    chart.querySelectorAll("[aria-label=cell] rect").forEach((rect, i) => {
      rect.addEventListener("click", () => onSelect(cells[i]!.actual, cells[i]!.predicted));
    });
  }
  return chart;
}
