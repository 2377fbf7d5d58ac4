import type { ModelSummary } from "../model/summary.js";

const number = (n: number) => n.toLocaleString("en-US");

/**
 * fastai's `learn.summary()` as a table: one row per layer (name, type, output shape, parameters,
 * group, whether it trains now), the head's rows highlighted, totals below.
 * `<div data-summary data-trainable=N data-total=N>`.
 */
export function summaryTable(summary: ModelSummary, { caption = "" } = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "dl-summary";
  root.dataset.summary = "";
  root.dataset.trainable = String(summary.trainableParams);
  root.dataset.total = String(summary.totalParams);
  const table = document.createElement("table");
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const title of ["Layer", "Type", "Output shape", "Parameters", "Group", "Trains now"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const layer of summary.layers) {
    const row = body.insertRow();
    row.className = layer.part === "head" ? "dl-summary-head" : "dl-summary-body";
    row.dataset.part = layer.part;
    const cells = [
      layer.name,
      layer.type,
      `${layer.outputShape.join(" × ")}`,
      layer.params ? number(layer.params) : "",
      layer.group === null ? "" : String(layer.group),
      layer.params ? (layer.trains ? "yes" : "frozen") : "",
    ];
    for (const text of cells) row.insertCell().textContent = text;
  }
  const totals = document.createElement("p");
  totals.textContent =
    `${number(summary.totalParams)} parameters, ${number(summary.trainableParams)} of them training now` +
    (summary.frozen ? " — the body is frozen: only the head (highlighted) learns." : " — everything learns.");
  root.append(table, totals);
  return root;
}
