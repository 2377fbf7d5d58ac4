import { describe, expect, it } from "vitest";
import { predictionRows } from "../../src/viz/prediction.js";

describe("predictionRows(prediction, classes)", () => {
  it("lists classes most probable first, marks the predicted one and writes percentages", () => {
    const rows = predictionRows({ label: "dog", index: 1, probs: [0.25, 0.7, 0.05] }, ["cat", "dog", "fox"]);
    expect(rows).toEqual([
      { label: "dog", prob: 0.7, text: "70.0 %", top: true },
      { label: "cat", prob: 0.25, text: "25.0 %", top: false },
      { label: "fox", prob: 0.05, text: "5.0 %", top: false },
    ]);
  });

  it("keeps class order for ties and writes a tiny probability as < 0.1 %", () => {
    const rows = predictionRows({ label: "a", index: 0, probs: [0.49985, 0.49985, 0.0003] }, ["a", "b", "c"]);
    expect(rows.map((r) => [r.label, r.text])).toEqual([
      ["a", "50.0 %"],
      ["b", "50.0 %"],
      ["c", "< 0.1 %"],
    ]);
    expect(predictionRows({ label: "a", index: 0, probs: [1, 0] }, ["a", "b"])[1]!.text).toBe("0.0 %");
  });

  it("rejects a prediction whose probabilities do not match the classes", () => {
    expect(() => predictionRows({ label: "a", index: 0, probs: [1] }, ["a", "b"])).toThrow(
      "invalid prediction: 1 probabilities for 2 classes; give the classes the model was trained on",
    );
  });
});
