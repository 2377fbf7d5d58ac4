import { describe, expect, it } from "vitest";
import { overfittingStart } from "../../src/train/overfit.js";

const run = (pairs: [number, number][]) => pairs.map(([trainLoss, validLoss]) => ({ trainLoss, validLoss }));

describe("overfittingStart(epochs)", () => {
  it("finds the lowest validation loss when validation rises after it and training keeps falling", () => {
    // measured shape: lesson 1's base on 32 pets, fit(15) — the turn at epoch 6 (index 5)
    const epochs = run([
      [1.3, 0.735],
      [0.76, 0.717],
      [0.54, 0.719],
      [0.5, 0.648],
      [0.42, 0.595],
      [0.34, 0.579],
      [0.29, 0.611],
      [0.27, 0.635],
      [0.24, 0.673],
      [0.22, 0.709],
    ]);
    const turn = overfittingStart(epochs)!;
    expect(turn.index).toBe(5);
    expect(turn.validLoss).toBe(0.579);
    expect(turn.rise).toBeCloseTo(0.13, 12);
  });

  it("is null while validation loss is still falling, within tolerance of its best, or training loss rose too", () => {
    expect(
      overfittingStart(
        run([
          [1, 0.9],
          [0.8, 0.7],
          [0.6, 0.5],
        ]),
      ),
    ).toBeNull();
    // best 0.5 at index 1, last 0.52: a 4 % rise is noise at the default 5 % tolerance
    expect(
      overfittingStart(
        run([
          [1, 0.9],
          [0.8, 0.5],
          [0.6, 0.52],
        ]),
      ),
    ).toBeNull();
    expect(
      overfittingStart(
        run([
          [1, 0.9],
          [0.8, 0.5],
          [0.6, 0.52],
        ]),
        { tolerance: 0.01 },
      )!.index,
    ).toBe(1);
    // both losses rising is divergence, not overfitting
    expect(
      overfittingStart(
        run([
          [1, 0.9],
          [0.5, 0.5],
          [0.7, 0.8],
        ]),
      ),
    ).toBeNull();
    expect(
      overfittingStart(
        run([
          [1, 0.9],
          [0.5, 0.5],
        ]),
      ),
    ).toBeNull();
  });
});
