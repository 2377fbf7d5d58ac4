import { describe, expect, it } from "vitest";
import { formatWeights, samuelBoxes } from "../../src/viz/samuel.js";

describe("formatWeights(weights)", () => {
  it("writes two decimals with a real minus sign, and no minus on a rounded zero", () => {
    expect(formatWeights([1.2, -0.404])).toBe("w1 = 1.20, w2 = −0.40");
    expect(formatWeights([-0.001, 3])).toBe("w1 = 0.00, w2 = 3.00");
  });
});

describe("samuelBoxes({weights, loss})", () => {
  it("draws both pictures: program above, model with weights and performance below", () => {
    const boxes = samuelBoxes({ weights: [1.5, -2], loss: 0.12345 });
    expect(boxes.map((b) => b.id)).toEqual([
      "program-inputs",
      "program",
      "program-results",
      "inputs",
      "model",
      "results",
      "performance",
      "weights",
    ]);
    const byId = Object.fromEntries(boxes.map((b) => [b.id, b]));
    expect(byId.weights!.detail).toBe("w1 = 1.50 · w2 = −2.00");
    expect(byId.performance!.detail).toBe("loss 0.123");
    expect(byId.model!.detail).toBe("w1·x + w2");
  });
});
