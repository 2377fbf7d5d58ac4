import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import {
  createMlp,
  curvePoints,
  CURVES,
  fitCurve,
  mlpPredict,
  type CurveName,
  type CurveStep,
} from "../../src/teach/curve-fit.js";
import type { TrainingEvent } from "../../src/train/recorder.js";
import { expectNoLeakedTensors, expectTensorsClose } from "../util/tensors.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

function recorder(): { steps: CurveStep[]; onEvent: (e: TrainingEvent) => void } {
  const steps: CurveStep[] = [];
  return { steps, onEvent: (e) => steps.push(e as CurveStep) };
}

describe("curvePoints(name, {n})", () => {
  it("samples the curve at n evenly spaced x from -1 to 1", () => {
    expect(curvePoints("|x|", { n: 3 })).toEqual([
      { x: -1, y: 1 },
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ]);
    expect(curvePoints("step", { n: 3 }).map((p) => p.y)).toEqual([0, 1, 1]);
    expect(curvePoints("parabola", { n: 5 }).map((p) => p.y)).toEqual([1, 0.25, 0, 0.25, 1]);
  });

  it("rejects an unknown curve, listing the known ones", () => {
    expect(() => curvePoints("cosine" as CurveName)).toThrow(
      /^invalid curve: cosine; use one of sine, step, \|x\|, parabola, wiggle$/,
    );
  });
});

describe("createMlp({hidden, activation, seed})", () => {
  it("makes [1, h], [h], [h, 1] and [1] variables, the same for the same seed", () => {
    const [a, b] = [
      createMlp({ hidden: 4, activation: "relu", seed: 3 }),
      createMlp({ hidden: 4, activation: "relu", seed: 3 }),
    ];
    expect(a.variables.map((v) => v.shape)).toEqual([[1, 4], [4], [4, 1], [1]]);
    a.variables.forEach((v, i) => expect(v.dataSync()).toEqual(b.variables[i]!.dataSync()));
    for (const v of a.variables[0]!.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(2);
    tf.dispose([...a.variables, ...b.variables]);
  });

  it("rejects no hidden units or an unknown activation", () => {
    expect(() => createMlp({ hidden: 0, activation: "relu", seed: 1 })).toThrow(
      /^invalid hidden: 0; use a whole number of units ≥ 1$/,
    );
    expect(() => createMlp({ hidden: 2, activation: "sigmoid" as "relu", seed: 1 })).toThrow(
      /^invalid activation: sigmoid;/,
    );
  });
});

describe("mlpPredict(mlp, x)", () => {
  // w1 = [1, −1], b1 = [0, 0.5], w2 = [2, 3], b2 = 0.1
  const weights = () => [
    tf.variable(tf.tensor2d([[1, -1]])),
    tf.variable(tf.tensor1d([0, 0.5])),
    tf.variable(tf.tensor2d([[2], [3]])),
    tf.variable(tf.tensor1d([0.1])),
  ];

  it("computes relu by hand: x = 1 → 2·1 + 3·0 + 0.1; x = −1 → 2·0 + 3·1.5 + 0.1", () => {
    const variables = weights();
    const x = tf.tensor2d([[1], [-1]]);
    const y = mlpPredict({ variables, activation: "relu" }, x);
    expectTensorsClose(y, tf.tensor2d([[2.1], [4.6]]));
    tf.dispose([x, y, ...variables]);
  });

  it("computes tanh by hand: x = 0 → 3·tanh(0.5) + 0.1", () => {
    const variables = weights();
    const x = tf.tensor2d([[0]]);
    const y = mlpPredict({ variables, activation: "tanh" }, x);
    expectTensorsClose(y, tf.tensor2d([[3 * Math.tanh(0.5) + 0.1]]));
    tf.dispose([x, y, ...variables]);
  });
});

describe("fitCurve({points, hidden, activation, steps, lr, seed, signal, onEvent})", () => {
  it("brings the loss down step by step, reporting each step's fitted values", async () => {
    const points = curvePoints("parabola", { n: 32 });
    const { steps, onEvent } = recorder();
    const fitted = await fitCurve({ points, hidden: 16, activation: "relu", steps: 200, seed: 1, onEvent });
    expect(steps.map((s) => s.batch)).toEqual([...Array(200).keys()]);
    expect(steps.every((s) => s.phase === "fit" && s.batches === 200 && s.fitted.length === 32)).toBe(true);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0]!.loss / 10);
    expect(fitted).toEqual(steps.at(-1)!.fitted);
    const mse = points.reduce((s, p, i) => s + (fitted[i]! - p.y) ** 2, 0) / points.length;
    expect(mse).toBeLessThan(0.01);
  });

  it("gives the same losses for the same seed, bit for bit on cpu, and others for another seed", async () => {
    const run = async (seed: number) => {
      const { steps, onEvent } = recorder();
      await fitCurve({
        points: curvePoints("sine", { n: 16 }),
        hidden: 8,
        activation: "tanh",
        steps: 20,
        seed,
        onEvent,
      });
      return steps.map((s) => s.loss);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it("more hidden units fit the wiggle better than two", async () => {
    const final = async (hidden: number) => {
      const { steps, onEvent } = recorder();
      await fitCurve({ points: curvePoints("wiggle"), hidden, activation: "relu", steps: 300, seed: 1, onEvent });
      return steps.at(-1)!.loss;
    };
    expect(await final(32)).toBeLessThan((await final(2)) / 4);
  });

  it("leaves no tensor behind, finished or aborted", async () => {
    const points = curvePoints("step", { n: 16 });
    await expectNoLeakedTensors(() => fitCurve({ points, hidden: 4, activation: "relu", steps: 5, seed: 1 }));
    const controller = new AbortController();
    await expectNoLeakedTensors(async () => {
      const run = fitCurve({
        points,
        hidden: 4,
        activation: "relu",
        steps: 1000,
        seed: 1,
        signal: controller.signal,
        onEvent: (e) => e.type === "batch" && e.batch === 3 && controller.abort(),
      });
      await expect(run).rejects.toMatchObject({ name: "AbortError" });
    });
  });

  it("throws TrainingDiverged when the loss stops being finite, and still disposes", async () => {
    const points = [
      { x: 0, y: Number.NaN },
      { x: 1, y: 0 },
    ];
    await expectNoLeakedTensors(() =>
      expect(fitCurve({ points, hidden: 2, activation: "relu", steps: 3, seed: 1 })).rejects.toThrow(
        /^training diverged in fit epoch 1, batch 1: the loss became NaN/,
      ),
    );
  });

  it("knows each curve by name", () => {
    expect(Object.keys(CURVES)).toEqual(["sine", "step", "|x|", "parabola", "wiggle"]);
  });
});
