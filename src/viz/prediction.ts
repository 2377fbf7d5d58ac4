import type { Prediction } from "../export/predict.js";

/** One bar of a prediction: a class, its probability, and how it is written. */
export interface PredictionRow {
  label: string;
  prob: number;
  /** "97.3 %" (one decimal; "< 0.1 %" for what rounds to nothing but is not zero). */
  text: string;
  top: boolean;
}

/** A prediction's classes, most probable first (ties in class order), with their probabilities written out. */
export function predictionRows(prediction: Prediction, classes: readonly string[]): PredictionRow[] {
  if (prediction.probs.length !== classes.length) {
    throw new Error(
      `invalid prediction: ${prediction.probs.length} probabilities for ${classes.length} classes; give the classes the model was trained on`,
    );
  }
  return classes
    .map((label, i) => ({ label, prob: prediction.probs[i]!, i }))
    .sort((a, b) => b.prob - a.prob || a.i - b.i)
    .map(({ label, prob, i }) => ({ label, prob, text: percent(prob), top: i === prediction.index }));
}

function percent(p: number): string {
  const value = p * 100;
  if (value > 0 && value < 0.05) return "< 0.1 %";
  return `${value.toFixed(1)} %`;
}

/**
 * The prediction as DOM: the label, then one bar per class, most probable first.
 * `<div data-prediction=label data-probs="p0,p1,…">` (probabilities in class order) for pages and tests.
 */
export function predictionBars(prediction: Prediction, classes: readonly string[]): HTMLElement {
  const root = document.createElement("div");
  root.className = "dl-prediction";
  root.dataset.prediction = prediction.label;
  root.dataset.probs = prediction.probs.join(",");
  const head = document.createElement("p");
  head.className = "dl-prediction-label";
  head.textContent = prediction.label;
  root.append(head);
  for (const row of predictionRows(prediction, classes)) {
    const line = document.createElement("div");
    line.className = `dl-prediction-row${row.top ? " dl-prediction-top" : ""}`;
    line.style.cssText = "display:grid;grid-template-columns:8em 1fr 5em;gap:0.5em;align-items:center;margin:0.15em 0";
    const name = document.createElement("span");
    name.textContent = row.label;
    const track = document.createElement("span");
    track.style.cssText =
      "background:var(--theme-foreground-faintest,#eee);height:1em;border-radius:3px;overflow:hidden";
    const bar = document.createElement("span");
    bar.style.cssText = `display:block;height:100%;width:${(row.prob * 100).toFixed(2)}%;background:${row.top ? "var(--theme-foreground-focus,#3b5fc0)" : "#999"}`;
    track.append(bar);
    const value = document.createElement("span");
    value.textContent = row.text;
    value.style.textAlign = "right";
    line.append(name, track, value);
    root.append(line);
  }
  return root;
}
