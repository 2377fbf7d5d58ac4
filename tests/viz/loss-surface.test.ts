import { describe, expect, it } from "vitest";
import { sampleGrid } from "../../src/teach/grid.js";
import { surfaceLevels } from "../../src/viz/loss-surface.js";

describe("surfaceLevels(grid, count)", () => {
  it("spreads levels by equal ratios from the lowest value to the highest", () => {
    const grid = sampleGrid((x) => 2 ** x, { x: [0, 4], y: [0, 1], width: 4, height: 1 }); // 2^0.5 … 2^3.5
    const levels = surfaceLevels(grid, 4);
    [2 ** 0.5, 2 ** 1.5, 2 ** 2.5, 2 ** 3.5].forEach((want, k) => expect(levels[k]).toBeCloseTo(want, 12));
  });

  it("starts a surface that touches zero just above it, and gives one level for a flat one", () => {
    const bowl = sampleGrid((x) => x * x, { x: [-1, 1], y: [0, 1], width: 2, height: 1 });
    expect(surfaceLevels(bowl, 3)).toEqual([0.25]);
    const zero = sampleGrid((x) => Math.abs(x - 0.5), { x: [0, 2], y: [0, 1], width: 2, height: 1 }); // 0, 1
    expect(surfaceLevels(zero, 2)[0]).toBeCloseTo(1e-6, 15);
  });

  it("rejects a surface with nothing above zero", () => {
    expect(() => surfaceLevels(sampleGrid(() => 0, { x: [0, 1], y: [0, 1], width: 2 }))).toThrow(
      /largest value is 0; give a loss surface with positive values/,
    );
  });
});
