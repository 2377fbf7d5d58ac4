import type { Weights } from "../teach/linear.js";

/** "w1 = 1.20, w2 = −0.40" (a real minus sign, two decimals). */
export function formatWeights([w1, w2]: Weights): string {
  return `w1 = ${signed(w1)}, w2 = ${signed(w2)}`;
}

function signed(value: number, digits = 2): string {
  return value
    .toFixed(digits)
    .replace(/^-/, "−")
    .replace(/^−(0\.0*)$/, "$1");
}

export interface SamuelBox {
  id: string;
  title: string;
  detail: string;
  x: number;
  y: number;
}

/** The boxes of both pictures, with the model's current weights and loss written into its boxes. */
export function samuelBoxes({ weights, loss }: { weights: Weights; loss: number }): SamuelBox[] {
  const [top, bottom, below] = [40, 150, 220];
  return [
    { id: "program-inputs", title: "inputs", detail: "", x: 20, y: top },
    { id: "program", title: "program", detail: "steps written by hand", x: 200, y: top },
    { id: "program-results", title: "results", detail: "", x: 380, y: top },
    { id: "inputs", title: "inputs", detail: "x", x: 20, y: bottom },
    { id: "model", title: "model", detail: "w1·x + w2", x: 200, y: bottom },
    { id: "results", title: "results", detail: "predictions", x: 380, y: bottom },
    { id: "performance", title: "performance", detail: `loss ${loss.toFixed(3)}`, x: 560, y: bottom },
    { id: "weights", title: "weights", detail: formatWeights(weights).replace(", ", " · "), x: 200, y: below },
  ];
}

const SVG = "http://www.w3.org/2000/svg";
const [BOX_W, BOX_H] = [140, 44];

function svgElement<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * Arthur Samuel's picture (1962), as fastai draws it: a regular program (inputs → program → results)
 * above a model whose results are scored and whose weights are updated from the score. The weights and
 * loss boxes show the values given. Root has `data-samuel`, `data-weights="w1,w2"` and `data-loss`. Browser only.
 */
export function samuelDiagram(
  { weights, loss }: { weights: Weights; loss: number },
  { width = 720 }: { width?: number } = {},
): SVGSVGElement {
  const [viewWidth, viewHeight] = [720, 285];
  const svg = svgElement("svg", {
    viewBox: `0 0 ${viewWidth} ${viewHeight}`,
    width,
    height: (width * viewHeight) / viewWidth,
    role: "img",
    "font-family": "var(--sans-serif, sans-serif)",
  });
  svg.setAttribute("aria-label", "A regular program next to a model with weights, after Arthur Samuel");
  svg.dataset.samuel = "";
  svg.dataset.weights = weights.join(",");
  svg.dataset.loss = String(loss);
  const marker = svgElement("marker", {
    id: "samuel-arrow",
    viewBox: "0 0 10 10",
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: "auto",
  });
  marker.append(svgElement("path", { d: "M0,0L10,5L0,10z", fill: "currentColor" }));
  const defs = svgElement("defs", {});
  defs.append(marker);
  svg.append(
    defs,
    svgElement(
      "text",
      { x: 20, y: 24, "font-weight": "bold", "font-size": 14, fill: "currentColor" },
      "A regular program",
    ),
  );
  svg.append(
    svgElement(
      "text",
      { x: 20, y: 134, "font-weight": "bold", "font-size": 14, fill: "currentColor" },
      "A model (Arthur Samuel, 1962)",
    ),
  );
  const boxes = samuelBoxes({ weights, loss });
  const at = Object.fromEntries(boxes.map((b) => [b.id, b]));
  const arrow = (points: [number, number][], label = "") => {
    svg.append(
      svgElement("polyline", {
        points: points.map((p) => p.join(",")).join(" "),
        fill: "none",
        stroke: "currentColor",
        "stroke-width": 1.5,
        "marker-end": "url(#samuel-arrow)",
      }),
    );
    if (label)
      svg.append(
        svgElement(
          "text",
          {
            x: (points[1]![0] + points[2]![0]) / 2,
            y: points[1]![1] + 16,
            "text-anchor": "middle",
            "font-size": 12,
            fill: "currentColor",
          },
          label,
        ),
      );
  };
  const right = (id: string): [number, number] => [at[id]!.x + BOX_W, at[id]!.y + BOX_H / 2];
  const left = (id: string): [number, number] => [at[id]!.x, at[id]!.y + BOX_H / 2];
  arrow([right("program-inputs"), left("program")]);
  arrow([right("program"), left("program-results")]);
  arrow([right("inputs"), left("model")]);
  arrow([right("model"), left("results")]);
  arrow([right("results"), left("performance")]);
  arrow([
    [at.weights!.x + BOX_W / 2, at.weights!.y],
    [at.model!.x + BOX_W / 2, at.model!.y + BOX_H],
  ]);
  const loopX = at.performance!.x + BOX_W / 2;
  arrow(
    [[loopX, at.performance!.y + BOX_H], [loopX, at.weights!.y + BOX_H / 2], right("weights")],
    "update the weights",
  );
  for (const box of boxes) {
    const g = svgElement("g", { "data-box": box.id });
    const highlight = box.id === "weights" || box.id === "performance";
    g.append(
      svgElement("rect", {
        x: box.x,
        y: box.y,
        width: BOX_W,
        height: BOX_H,
        rx: 6,
        fill: highlight ? "#fff4e0" : "#eef3f8",
        stroke: highlight ? "orange" : "steelblue",
      }),
    );
    g.append(
      svgElement(
        "text",
        {
          x: box.x + BOX_W / 2,
          y: box.y + (box.detail ? 18 : 27),
          "text-anchor": "middle",
          "font-size": 13,
          fill: "#222",
        },
        box.title,
      ),
    );
    if (box.detail)
      g.append(
        svgElement(
          "text",
          { x: box.x + BOX_W / 2, y: box.y + 35, "text-anchor": "middle", "font-size": 11, fill: "#444" },
          box.detail,
        ),
      );
    svg.append(g);
  }
  return svg;
}
