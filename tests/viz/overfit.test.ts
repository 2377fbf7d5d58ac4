import { describe, expect, it } from "vitest";
import { overfitSeries } from "../../src/viz/overfit.js";

describe("overfitSeries(epochs)", () => {
  it("gives one training and one validation point per epoch, numbered from 1", () => {
    expect(
      overfitSeries([
        { trainLoss: 1, validLoss: 0.5 },
        { trainLoss: 0.4, validLoss: 0.6 },
      ]),
    ).toEqual([
      { epoch: 1, loss: 1, kind: "training" },
      { epoch: 1, loss: 0.5, kind: "validation" },
      { epoch: 2, loss: 0.4, kind: "training" },
      { epoch: 2, loss: 0.6, kind: "validation" },
    ]);
  });
});
