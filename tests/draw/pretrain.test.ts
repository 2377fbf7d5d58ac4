import { afterEach, describe, expect, it, vi } from "vitest";
import { PRETRAIN_CLASSES, drawPretrain } from "../../src/draw/pretrain.js";
import { seededRandom } from "../../src/random.js";

afterEach(() => vi.restoreAllMocks());

describe("PRETRAIN_CLASSES", () => {
  it("names 20 distinct classes, sorted, with no cat or dog among them (their wild cousins are there)", () => {
    expect(PRETRAIN_CLASSES).toHaveLength(20);
    expect(new Set(PRETRAIN_CLASSES).size).toBe(20);
    for (const wild of ["tiger", "leopard", "lion", "lynx", "fox", "wolf", "jackal", "hyena"])
      expect(PRETRAIN_CLASSES).toContain(wild);
    expect([...PRETRAIN_CLASSES]).toEqual([...PRETRAIN_CLASSES].sort());
    for (const pet of ["cat", "dog", "kitten", "puppy"]) expect(PRETRAIN_CLASSES).not.toContain(pet);
  });
});

describe("drawPretrain(random, {label, size})", () => {
  it("draws every class as a size×size image, deterministically", () => {
    for (const label of PRETRAIN_CLASSES) {
      const a = drawPretrain(seededRandom(2), { label, size: 24 });
      const b = drawPretrain(seededRandom(2), { label, size: 24 });
      expect([a.width, a.height, a.data.length]).toEqual([24, 24, 24 * 24 * 3]);
      expect(a.data).toEqual(b.data);
    }
  });

  it("draws each class differently from the same random sequence", () => {
    const images = PRETRAIN_CLASSES.map((label) => drawPretrain(seededRandom(9), { label, size: 32 }));
    const keys = new Set(images.map((image) => Buffer.from(image.data).toString("base64")));
    expect(keys.size).toBe(PRETRAIN_CLASSES.length);
  });

  it("never calls Math.random", () => {
    vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random called");
    });
    for (const label of PRETRAIN_CLASSES) drawPretrain(seededRandom(4), { label, size: 24 });
  });

  it("rejects an unknown label, listing the valid ones", () => {
    expect(() => drawPretrain(seededRandom(1), { label: "cat", size: 24 })).toThrow(
      /^invalid label: "cat"; use one of bear, bird, car, .*tiger, wolf$/,
    );
  });
});
