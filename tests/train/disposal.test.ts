import { describe, expect, it } from "vitest";
import { disposeAfter, trainOrDispose } from "../../src/train/disposal.js";

/** A stand-in learner that counts how often it was disposed. */
function fakeLearner() {
  return {
    disposed: 0,
    dispose() {
      this.disposed++;
    },
  };
}

describe("trainOrDispose", () => {
  it("resolves to the learner after training, not disposed", async () => {
    const learn = fakeLearner();
    const order: string[] = [];
    const result = await trainOrDispose(Promise.resolve(learn), async (l) => void order.push(`trained ${l.disposed}`));
    expect(result).toBe(learn);
    expect(order).toEqual(["trained 0"]);
    expect(learn.disposed).toBe(0);
  });

  it("disposes the learner once and throws the training's error on", async () => {
    const learn = fakeLearner();
    await expect(
      trainOrDispose(learn, async () => {
        throw new Error("stopped by the learner");
      }),
    ).rejects.toThrow("stopped by the learner");
    expect(learn.disposed).toBe(1);
  });
});

describe("disposeAfter", () => {
  it("resolves to what use gives and disposes the learner", async () => {
    const learn = fakeLearner();
    expect(await disposeAfter(Promise.resolve(learn), async (l) => 0.05 + l.disposed)).toBe(0.05);
    expect(learn.disposed).toBe(1);
  });

  it("disposes the learner once when use fails, and throws its error on", async () => {
    const learn = fakeLearner();
    await expect(
      disposeAfter(learn, async () => {
        throw new Error("diverged");
      }),
    ).rejects.toThrow("diverged");
    expect(learn.disposed).toBe(1);
  });
});
