import { describe, expect, it } from "vitest";
import { paddedExtent, residuals } from "../../src/viz/line-fit.js";

describe("residuals(points, weights)", () => {
  it("pairs each point with the line's prediction at its x: 2·x − 1", () => {
    expect(
      residuals(
        [
          { x: 0, y: 1 },
          { x: 2, y: 2 },
        ],
        [2, -1],
      ),
    ).toEqual([
      { x: 0, y: 1, prediction: -1 },
      { x: 2, y: 2, prediction: 3 },
    ]);
  });
});

describe("paddedExtent(values, pad)", () => {
  it("widens [min, max] by pad on both sides", () => {
    expect(paddedExtent([3, -1, 2], 0.5)).toEqual([-1.5, 3.5]);
  });
});
