import { describe, expect, it } from "vitest";
import { combineScheds, evenMults, oneCycle, schedCos } from "../../src/train/schedule.js";

describe("schedCos(start, end)", () => {
  it("goes from start to end along half a cosine, through the midpoint at pos 0.5", () => {
    const s = schedCos(2, 10);
    expect(s(0)).toBe(2);
    expect(s(0.5)).toBeCloseTo(6, 12);
    expect(s(1)).toBeCloseTo(10, 12);
    expect(s(0.25)).toBeCloseTo(2 + ((1 - Math.SQRT1_2) * 8) / 2, 12);
  });
});

describe("combineScheds(pcts, schedules)", () => {
  it("runs each schedule over its own share of training", () => {
    const s = combineScheds([0.25, 0.75], [(p) => p, (p) => 10 + p]);
    expect([s(0), s(0.125), s(0.25), s(0.625), s(1)]).toEqual([0, 0.5, 10, 10.5, 11]);
  });
  it("rejects shares that do not sum to 1", () => {
    expect(() => combineScheds([0.3, 0.3], [(p) => p, (p) => p])).toThrow(
      /^combineScheds: pcts sum to 0.6; they must sum to 1$/,
    );
  });
});

describe("oneCycle({lrMax, div, divFinal, pctStart, moms})", () => {
  const { lr, mom } = oneCycle({ lrMax: 1e-2 });
  it("starts at lrMax/25, peaks at lrMax after 25 % of batches, ends at lrMax/1e5 (fastai's defaults)", () => {
    expect(lr(0)).toBeCloseTo(4e-4, 15);
    expect(lr(0.125)).toBeCloseTo(4e-4 + 0.5 * (1e-2 - 4e-4), 15);
    expect(lr(0.25)).toBeCloseTo(1e-2, 15);
    expect(lr(1)).toBeCloseTo(1e-7, 15);
  });
  it("moves momentum the other way: 0.95 → 0.85 at the peak → 0.95", () => {
    expect([mom(0), mom(0.25), mom(1)].map((m) => Number(m.toFixed(12)))).toEqual([0.95, 0.85, 0.95]);
  });
  it("follows fine_tune's frozen phase with pctStart 0.99: still rising at 90 %", () => {
    const frozen = oneCycle({ lrMax: 2e-3, pctStart: 0.99 }).lr;
    expect(frozen(0.9)).toBeLessThan(2e-3);
    expect(frozen(0.9)).toBeGreaterThan(frozen(0.5));
  });
  it("rejects a bad lrMax or pctStart, naming the value and the fix", () => {
    expect(() => oneCycle({ lrMax: 0 })).toThrow(/^invalid lrMax: 0; use a positive learning rate, e.g. 2e-3$/);
    expect(() => oneCycle({ lrMax: 1e-3, pctStart: 1.5 })).toThrow(
      /^invalid pctStart: 1.5; use a fraction in \[0, 1\]/,
    );
  });
});

describe("evenMults(start, stop, n)", () => {
  it("spaces rates geometrically, first layers lowest (fine_tune's slice(base_lr/lr_mult, base_lr))", () => {
    const rates = evenMults(1e-5, 1e-3, 3);
    expect(rates[0]).toBeCloseTo(1e-5, 15);
    expect(rates[1]).toBeCloseTo(1e-4, 15);
    expect(rates[2]).toBeCloseTo(1e-3, 15);
  });
  it("gives the top rate alone for one group", () => {
    expect(evenMults(1e-5, 1e-3, 1)).toEqual([1e-3]);
  });
});
