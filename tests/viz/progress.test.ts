import { describe, expect, it } from "vitest";
import { eta, formatDuration, progressText } from "../../src/viz/progress.js";

describe("eta({done, total, seconds})", () => {
  it("extrapolates the pace so far: 12 s for 3 of 7 leaves 16 s", () => {
    expect(eta({ done: 3, total: 7, seconds: 12 })).toBe(16);
  });
  it("is null before the first step", () => {
    expect(eta({ done: 0, total: 7, seconds: 2 })).toBeNull();
  });
  it("is 0 once done reaches total", () => {
    expect(eta({ done: 7, total: 7, seconds: 30 })).toBe(0);
    expect(eta({ done: 8, total: 7, seconds: 30 })).toBe(0);
  });
});

describe("formatDuration(seconds)", () => {
  it("writes m:ss under an hour", () => {
    expect([0, 7, 65, 599].map(formatDuration)).toEqual(["0:00", "0:07", "1:05", "9:59"]);
  });
  it("writes h:mm:ss from an hour", () => {
    expect([3600, 3723, 36_000].map(formatDuration)).toEqual(["1:00:00", "1:02:03", "10:00:00"]);
  });
  it("rounds to whole seconds, carrying into the minute", () => {
    expect([7.4, 59.6].map(formatDuration)).toEqual(["0:07", "1:00"]);
  });
  it("rejects a negative or non-finite duration, naming the value", () => {
    expect(() => formatDuration(-1)).toThrow(/^invalid seconds: -1; use a finite number ≥ 0$/);
    expect(() => formatDuration(Number.NaN)).toThrow(/^invalid seconds: NaN; use a finite number ≥ 0$/);
  });
});

describe("progressText({done, total, seconds, label, unit})", () => {
  it("gives the label, the count, the time so far and the time left", () => {
    expect(progressText({ done: 3, total: 7, seconds: 12, label: "frozen" })).toBe(
      "frozen 3/7 batches · 0:12 elapsed · ETA 0:16",
    );
  });
  it("shows no ETA before the first step, and no leading space without a label", () => {
    expect(progressText({ done: 0, total: 2, seconds: 0.2, unit: "epochs" })).toBe("0/2 epochs · 0:00 elapsed · ETA –");
  });
});
