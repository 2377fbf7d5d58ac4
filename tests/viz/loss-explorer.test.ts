import { describe, expect, it } from "vitest";
import { lossSentence } from "../../src/viz/loss-explorer.js";

describe("lossSentence(p, classes)", () => {
  it("says right, with the loss, when the right class gets more than half", () => {
    expect(lossSentence(0.9, ["dog", "cat"])).toBe(
      "The model gives dog (the right answer) a probability of 0.90, so it says dog: right. Its loss is −ln 0.90 = 0.11.",
    );
  });

  it("says wrong when it does not, and a coin toss at exactly one half", () => {
    expect(lossSentence(0.01, ["dog", "cat"])).toBe(
      "The model gives dog (the right answer) a probability of 0.01, so it says cat: wrong. Its loss is −ln 0.01 = 4.61.",
    );
    expect(lossSentence(0.5, ["dog", "cat"])).toMatch(
      /so a coin toss between dog and cat: not right\. Its loss is −ln 0\.50 = 0\.69\.$/,
    );
  });

  it("writes an infinite loss as ∞", () => {
    expect(lossSentence(0, ["dog", "cat"])).toMatch(/= ∞\.$/);
  });
});
