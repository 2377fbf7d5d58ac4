import { describe, expect, it } from "vitest";
import { cellCentre, geometricLevels, sampleGrid } from "../../src/teach/grid.js";

describe("cellCentre(from, to, count, i)", () => {
  it("is the middle of the i-th of count equal cells", () => {
    expect([0, 1, 2, 3].map((i) => cellCentre(0, 4, 4, i))).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(cellCentre(2, -2, 2, 0)).toBe(1);
  });
});

describe("sampleGrid(f, {x, y, width, height})", () => {
  it("samples f at cell centres, row by row", () => {
    const grid = sampleGrid((x, y) => x + 10 * y, { x: [0, 4], y: [0, 2], width: 4, height: 2 });
    expect(grid).toMatchObject({ x1: 0, x2: 4, y1: 0, y2: 2, width: 4, height: 2 });
    expect([...grid.values]).toEqual([5.5, 6.5, 7.5, 8.5, 15.5, 16.5, 17.5, 18.5]);
  });

  it("is square when height is left out", () => {
    const grid = sampleGrid(() => 1, { x: [0, 1], y: [0, 1], width: 3 });
    expect([grid.width, grid.height, grid.values.length]).toEqual([3, 3, 9]);
  });

  it("rejects a grid with no cells, naming the size", () => {
    expect(() => sampleGrid(() => 1, { x: [0, 1], y: [0, 1], width: 0 })).toThrow(
      /^invalid width: 0; use a whole number of cells ≥ 1$/,
    );
    expect(() => sampleGrid(() => 1, { x: [0, 1], y: [0, 1], width: 2, height: 1.5 })).toThrow(/^invalid height: 1.5;/);
  });
});

describe("geometricLevels(min, max, count)", () => {
  it("multiplies by the same factor each level: 1, 2, 4, 8", () => {
    geometricLevels(1, 8, 4).forEach((level, k) => expect(level).toBeCloseTo([1, 2, 4, 8][k]!, 12));
  });

  it("rejects a range that does not start above zero", () => {
    expect(() => geometricLevels(0, 8, 4)).toThrow(/^invalid levels: min 0, max 8; use 0 < min < max$/);
    expect(() => geometricLevels(1, 8, 1)).toThrow(/^invalid count: 1;/);
  });
});
