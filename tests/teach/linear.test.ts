import { describe, expect, it } from "vitest";
import {
  largestStableLr,
  leastSquares,
  mse,
  mseGradient,
  noisyLine,
  predictLine,
  sgdStep,
  type Point,
} from "../../src/teach/linear.js";

// three points worked by hand: at w = [1, 1] the predictions are 1, 2, 3 and the errors 0, −1, 1
const points: Point[] = [
  { x: 0, y: 1 },
  { x: 1, y: 3 },
  { x: 2, y: 2 },
];

describe("noisyLine({n, slope, intercept, noise, xRange, seed})", () => {
  it("spaces the inputs evenly over xRange and, with no noise, puts every point on the line", () => {
    expect(noisyLine({ n: 5, slope: 2, intercept: -1, noise: 0, xRange: [0, 1], seed: 1 })).toEqual([
      { x: 0, y: -1 },
      { x: 0.25, y: -0.5 },
      { x: 0.5, y: 0 },
      { x: 0.75, y: 0.5 },
      { x: 1, y: 1 },
    ]);
  });

  it("moves each point at most `noise` off the line, the same way for the same seed", () => {
    const a = noisyLine({ n: 50, slope: 1.5, intercept: 0.5, noise: 0.3, seed: 7 });
    for (const { x, y } of a) expect(Math.abs(y - (1.5 * x + 0.5))).toBeLessThanOrEqual(0.3);
    expect(noisyLine({ n: 50, slope: 1.5, intercept: 0.5, noise: 0.3, seed: 7 })).toEqual(a);
    expect(noisyLine({ n: 50, slope: 1.5, intercept: 0.5, noise: 0.3, seed: 8 })).not.toEqual(a);
  });

  it("rejects fewer than two points, naming n", () => {
    expect(() => noisyLine({ n: 1, slope: 1, intercept: 0, seed: 1 })).toThrow(
      /^invalid n: 1; use a whole number of points ≥ 2$/,
    );
  });
});

describe("predictLine(weights, x)", () => {
  it("is w1·x + w2", () => {
    expect(predictLine([2, -1], 3)).toBe(5);
  });
});

describe("mse(weights, points)", () => {
  it("averages the squared errors: (0 + 1 + 1) / 3", () => {
    expect(mse([1, 1], points)).toBeCloseTo(2 / 3, 15);
  });
});

describe("mseGradient(weights, points)", () => {
  it("is [mean 2·error·x, mean 2·error]: [2/3·(−1 + 2), 2/3·(−1 + 1)]", () => {
    const [g1, g2] = mseGradient([1, 1], points);
    expect(g1).toBeCloseTo(2 / 3, 15);
    expect(g2).toBeCloseTo(0, 15);
  });

  it("matches central finite differences of mse", () => {
    const w = [0.3, -0.7] as const;
    const h = 1e-6;
    const [g1, g2] = mseGradient(w, points);
    expect(g1).toBeCloseTo((mse([w[0] + h, w[1]], points) - mse([w[0] - h, w[1]], points)) / (2 * h), 6);
    expect(g2).toBeCloseTo((mse([w[0], w[1] + h], points) - mse([w[0], w[1] - h], points)) / (2 * h), 6);
  });
});

describe("sgdStep(weights, points, lr)", () => {
  it("moves each weight against its gradient: [1 − 0.5·2/3, 1 − 0.5·0]", () => {
    const [w1, w2] = sgdStep([1, 1], points, 0.5);
    expect(w1).toBeCloseTo(2 / 3, 15);
    expect(w2).toBe(1);
  });

  it("lowers the loss for a small enough learning rate", () => {
    expect(mse(sgdStep([1, 1], points, 0.1), points)).toBeLessThan(mse([1, 1], points));
  });
});

describe("leastSquares(points)", () => {
  it("gives slope Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 1/2 and intercept ȳ − slope·x̄ = 3/2", () => {
    expect(leastSquares(points)).toEqual([0.5, 1.5]);
  });

  it("is where the gradient is zero, with loss 0.5 (errors 0.5, −1, 0.5)", () => {
    const best = leastSquares(points);
    expect(mse(best, points)).toBeCloseTo(0.5, 15);
    mseGradient(best, points).forEach((g) => expect(g).toBeCloseTo(0, 12));
  });

  it("rejects points that all share one x", () => {
    expect(() =>
      leastSquares([
        { x: 1, y: 0 },
        { x: 1, y: 2 },
      ]),
    ).toThrow(/every point has the same x/);
  });
});

describe("largestStableLr(points)", () => {
  it("is 2 / the largest curvature: x = ±1 gives curvature 2 both ways, so 1", () => {
    expect(
      largestStableLr([
        { x: -1, y: 0 },
        { x: 1, y: 5 },
      ]),
    ).toBeCloseTo(1, 15);
  });

  it("for x = 0, 1, 2 is 2 / (5/3 + 1 + √((5/3 − 1)² + 4)) (hand-derived eigenvalue)", () => {
    expect(largestStableLr(points)).toBeCloseTo(2 / (5 / 3 + 1 + Math.sqrt((2 / 3) ** 2 + 4)), 14);
  });

  it("separates steps that settle from steps that fly off", () => {
    const limit = largestStableLr(points);
    let [settle, fly]: [number, number][] = [
      [1, 1],
      [1, 1],
    ];
    for (let i = 0; i < 200; i++)
      [settle, fly] = [sgdStep(settle, points, limit * 0.95), sgdStep(fly, points, limit * 1.05)];
    expect(mse(settle, points)).toBeCloseTo(0.5, 3);
    expect(mse(fly, points)).toBeGreaterThan(1e3);
  });
});
