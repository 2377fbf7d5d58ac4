import * as Plot from "@observablehq/plot";
import type { TurningPoint } from "../train/overfit.js";
import type { EpochEvent } from "../train/recorder.js";

/** The chart's points: training and validation loss per epoch, epochs numbered from 1. */
export function overfitSeries(
  epochs: readonly Pick<EpochEvent, "trainLoss" | "validLoss">[],
): { epoch: number; loss: number; kind: "training" | "validation" }[] {
  return epochs.flatMap((e, i) => [
    { epoch: i + 1, loss: e.trainLoss, kind: "training" as const },
    { epoch: i + 1, loss: e.validLoss, kind: "validation" as const },
  ]);
}

/**
 * Training and validation loss per epoch, and — once it has happened — a rule at the epoch where the
 * validation loss turned up (`overfittingStart`). Root has `data-overfit` (epochs drawn) and
 * `data-turn` (the turning epoch, from 1; empty before). Browser only.
 */
export function overfitChart(
  epochs: readonly Pick<EpochEvent, "trainLoss" | "validLoss">[],
  turn: TurningPoint | null,
  { width = 640, height = 260 } = {},
): HTMLElement {
  const marks: Plot.Markish[] = [
    Plot.line(overfitSeries(epochs), { x: "epoch", y: "loss", stroke: "kind", marker: "circle" }),
    Plot.ruleY([0]),
  ];
  if (turn !== null) {
    marks.push(
      Plot.ruleX([turn.index + 1], { stroke: "#c0392b", strokeDasharray: "4,3" }),
      Plot.text([{ x: turn.index + 1, y: turn.validLoss }], {
        x: "x",
        y: "y",
        text: () => "validation loss turns up here",
        dx: 6,
        dy: -10,
        textAnchor: "start",
        fill: "#c0392b",
      }),
    );
  }
  const chart = Plot.plot({
    width,
    height,
    x: { label: "epoch", tickFormat: "d" },
    y: { label: "loss", grid: true },
    color: { legend: true, domain: ["training", "validation"], range: ["steelblue", "#e67e22"] },
    marks,
  });
  const root = document.createElement("div");
  root.dataset.overfit = String(epochs.length);
  root.dataset.turn = turn === null ? "" : String(turn.index + 1);
  root.append(chart);
  return root;
}
