import { describe, expect, it } from "vitest";
import { decades, stepLosses } from "../../src/viz/curve-fit.js";

describe("stepLosses(losses)", () => {
  it("numbers steps from 1 and leaves out what a log axis cannot show", () => {
    expect(stepLosses([0.5, 0, 0.1, Number.NaN, 0.01])).toEqual([
      { step: 1, loss: 0.5 },
      { step: 3, loss: 0.1 },
      { step: 5, loss: 0.01 },
    ]);
  });
});

describe("decades(values)", () => {
  it("gives the powers of ten that enclose the values", () => {
    decades([0.43, 0.0004, 0.02]).forEach((d, k) => expect(d).toBeCloseTo([1e-4, 1e-3, 1e-2, 1e-1, 1][k]!, 15));
    expect(decades([0.43, 0.0004, 0.02])).toHaveLength(5);
  });

  it("spans at least one decade, and ignores what a log axis cannot show", () => {
    expect(decades([1, 0, Number.NaN])).toEqual([1, 10]);
    expect(decades([])).toEqual([]);
  });
});
