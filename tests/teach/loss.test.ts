import { describe, expect, it } from "vitest";
import { crossEntropy, LANDMARKS, lossCurve, twoClasses } from "../../src/teach/loss.js";

describe("crossEntropy(p)", () => {
  it("is −ln p: 0 for a sure right answer, ln 2 at a coin toss, ln 100 for 1 %", () => {
    expect(crossEntropy(1)).toBe(0);
    expect(crossEntropy(0.5)).toBeCloseTo(0.6931471805599453, 15);
    expect(crossEntropy(0.01)).toBeCloseTo(4.605170185988091, 14);
    expect(crossEntropy(Math.exp(-3))).toBeCloseTo(3, 14);
  });

  it("punishes sure-and-wrong hugely, and unsure-but-right noticeably", () => {
    expect(crossEntropy(0.01) / crossEntropy(0.99)).toBeGreaterThan(400);
    expect(crossEntropy(0.6)).toBeCloseTo(0.5108256237659907, 14);
  });

  it("is infinite at p = 0", () => {
    expect(crossEntropy(0)).toBe(Infinity);
  });

  it("rejects a value that is not a probability", () => {
    expect(() => crossEntropy(1.2)).toThrow(/^invalid probability: 1.2; use a number from 0 to 1$/);
    expect(() => crossEntropy(Number.NaN)).toThrow(/^invalid probability: NaN;/);
  });
});

describe("twoClasses(p)", () => {
  it("gives the other class 1 − p and calls the prediction right only above 0.5", () => {
    expect(twoClasses(0.75)).toEqual({ right: 0.75, other: 0.25, correct: true });
    expect(twoClasses(0.5).correct).toBe(false);
    expect(twoClasses(0.2).correct).toBe(false);
  });
});

describe("lossCurve({from, n})", () => {
  it("samples −ln p at n evenly spaced p up to 1", () => {
    const curve = lossCurve({ from: 0.5, n: 3 });
    expect(curve.map((d) => d.p)).toEqual([0.5, 0.75, 1]);
    expect(curve[1]!.loss).toBeCloseTo(0.2876820724517809, 15);
    expect(curve[2]!.loss).toBe(0);
  });

  it("rejects a start at 0, where the loss is infinite", () => {
    expect(() => lossCurve({ from: 0 })).toThrow(/^invalid from: 0; use a probability above 0 and below 1$/);
  });
});

describe("LANDMARKS", () => {
  it("runs from sure and right to sure and wrong", () => {
    expect(LANDMARKS.map((d) => d.p)).toEqual([0.99, 0.6, 0.4, 0.01]);
  });
});
