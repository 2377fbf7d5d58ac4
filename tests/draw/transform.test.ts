import { describe, expect, it } from "vitest";
import { apply, IDENTITY, invert, multiply, rotate, scale, scaleOf, translate } from "../../src/draw/transform.js";

describe("translate/rotate/scale(t, …)", () => {
  it("appends operations that act first, like the canvas API", () => {
    const t = scale(rotate(translate(IDENTITY, 10, 20), Math.PI / 2), 2);
    // (1, 0) → scale → (2, 0) → rotate 90° (y down: towards +y) → (0, 2) → translate → (10, 22)
    const [x, y] = apply(t, 1, 0);
    expect(x).toBeCloseTo(10, 12);
    expect(y).toBeCloseTo(22, 12);
  });

  it("mirrors with a negative scale", () => {
    expect(apply(scale(IDENTITY, -1, 1), 3, 4)).toEqual([-3, 4]);
  });
});

describe("invert(t)", () => {
  it("undoes the transform", () => {
    const t = scale(rotate(translate(IDENTITY, 5, -3), 0.7), 1.5, 0.5);
    const [x, y] = apply(multiply(invert(t), t), 2.5, -7);
    expect(x).toBeCloseTo(2.5, 12);
    expect(y).toBeCloseTo(-7, 12);
  });

  it("refuses a transform that squashes everything to a line", () => {
    expect(() => invert(scale(IDENTITY, 0, 1))).toThrow(/degenerate transform/);
  });
});

describe("scaleOf(t)", () => {
  it("is the uniform scale factor, whatever the rotation and translation", () => {
    expect(scaleOf(rotate(scale(translate(IDENTITY, 9, 9), 3), 1.1))).toBeCloseTo(3, 12);
    expect(scaleOf(scale(IDENTITY, 4, 1))).toBeCloseTo(2, 12);
  });
});
