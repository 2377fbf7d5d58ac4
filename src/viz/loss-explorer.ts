import * as Plot from "@observablehq/plot";
import { crossEntropy, LANDMARKS, lossCurve, twoClasses } from "../teach/loss.js";

/** What the model says, whether it is right, and its loss, in a sentence: `classes` is [the right class, the other]. */
export function lossSentence(p: number, [right, other]: readonly [string, string]): string {
  const { correct } = twoClasses(p);
  const verdict =
    p === 0.5
      ? `a coin toss between ${right} and ${other}: not right`
      : correct
        ? `it says ${right}: right`
        : `it says ${other}: wrong`;
  const loss = crossEntropy(p);
  return `The model gives ${right} (the right answer) a probability of ${p.toFixed(2)}, so ${verdict}. Its loss is −ln ${p.toFixed(2)} = ${Number.isFinite(loss) ? loss.toFixed(2) : "∞"}.`;
}

function bar(label: string, value: number, color: string): HTMLElement {
  const row = document.createElement("div");
  row.className = "dl-prob";
  row.style.cssText =
    "display: grid; grid-template-columns: 5em 1fr 3em; gap: 0.5em; align-items: center; margin: 2px 0;";
  const fill = document.createElement("div");
  fill.style.cssText = `height: 14px; width: ${(value * 100).toFixed(1)}%; background: ${color};`;
  const track = document.createElement("div");
  track.style.background = "#eee";
  track.append(fill);
  const [name, number] = [document.createElement("span"), document.createElement("span")];
  [name.textContent, number.textContent] = [label, value.toFixed(2)];
  row.append(name, track, number);
  return row;
}

/**
 * Cross-entropy for one image: the two classes' probabilities as bars, the sentence, and the curve −ln p
 * with this p marked among four landmarks. `classes` is [the right class, the other]. Root has
 * `data-loss-explorer`, `data-p`, `data-loss` and `data-correct`. Browser only.
 */
export function lossExplorer(
  p: number,
  { classes = ["dog", "cat"], width = 640 }: { classes?: readonly [string, string]; width?: number } = {},
): HTMLElement {
  const loss = crossEntropy(p);
  const { right, other, correct } = twoClasses(p);
  const root = document.createElement("div");
  root.style.maxWidth = `${width}px`;
  root.dataset.lossExplorer = "";
  root.dataset.p = String(p);
  root.dataset.loss = String(loss);
  root.dataset.correct = String(correct);
  const sentence = document.createElement("p");
  sentence.textContent = lossSentence(p, classes);
  const label = (d: { name: string; loss: number }) => `${d.name}: ${d.loss.toFixed(2)}`;
  const landmarks = LANDMARKS.map((d) => ({ ...d, loss: crossEntropy(d.p) }));
  const chart = Plot.plot({
    width,
    height: 260,
    x: { label: `probability given to ${classes[0]}, the right class`, domain: [0, 1] },
    y: { label: "loss (−ln p)", domain: [0, 5], grid: true },
    marks: [
      Plot.ruleX([0.5], { strokeDasharray: "4,3", strokeOpacity: 0.5 }),
      Plot.text([0.5], {
        x: (d) => d,
        text: () => `← says ${classes[1]} · says ${classes[0]} →`,
        frameAnchor: "top",
        dy: 6,
      }),
      Plot.line(lossCurve(), { x: "p", y: "loss", stroke: "steelblue", strokeWidth: 2 }),
      Plot.dot(landmarks, { x: "p", y: "loss", fill: "#999", r: 3 }),
      Plot.text(
        landmarks.filter((d) => d.p < 0.5),
        { x: "p", y: "loss", text: label, textAnchor: "start", dx: 8, dy: -8 },
      ),
      Plot.text(
        landmarks.filter((d) => d.p >= 0.5),
        { x: "p", y: "loss", text: label, textAnchor: "end", dx: -8, dy: -8 },
      ),
      Plot.dot([{ p, loss: Math.min(loss, 5) }], {
        x: "p",
        y: "loss",
        fill: correct ? "seagreen" : "#d33",
        stroke: "white",
        r: 7,
      }),
    ],
  });
  root.append(bar(classes[0], right, correct ? "seagreen" : "#d33"), bar(classes[1], other, "#bbb"), sentence, chart);
  return root;
}
