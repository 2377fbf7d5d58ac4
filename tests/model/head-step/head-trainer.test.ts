import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../../src/backend/backend.js";
import { BN_EPSILON, Head } from "../../../src/model/head.js";
import { HeadTrainer } from "../../../src/model/head-step/head-trainer.js";
import { GroupAdam, noDecayWeights } from "../../../src/train/optimizer.js";
import { gradsFromPooled } from "./head-reference.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** fastai's head (hidden 68, dropout 0.25 and 0.5) on 2×2×32 features: pooled [N, 64], 3 classes. */
function head(hidden = 68): { head: Head; model: tf.LayersModel } {
  const input = tf.input({ shape: [2, 2, 32] });
  const head = new Head([2, 2, 32], 3, { hidden, seed: 5 });
  const model = tf.model({ inputs: input, outputs: head.apply(input) });
  // batchnorm scales and offsets off 1 and 0, so their gradients are not a special case
  head.trainableVariables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, "float32", 10 + i))));
  return { head, model };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const LABELS = [0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 1];

/** Three steps of the reference (gradsFromPooled + GroupAdam) on `h`, one-cycle-like changing rates. */
function tfjsSteps(h: Head, pooled: tf.Tensor2D, adam: GroupAdam, noDecay: ReadonlySet<tf.Variable>): number[] {
  const ys = tf.oneHot(tf.tensor1d(LABELS, "int32"), 3).toFloat() as tf.Tensor2D;
  const losses = [0, 1, 2].map((step) => {
    adam.mom = 0.95 - 0.02 * step;
    const { value, grads } = gradsFromPooled(h, pooled, ys, 40 + step);
    adam.step([{ variables: h.trainableVariables, lr: 0.01 * (step + 1), noDecay }], grads);
    const loss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  });
  ys.dispose();
  return losses;
}

function wasmSteps(h: Head, pooled: tf.Tensor2D, adam: GroupAdam, noDecay: ReadonlySet<tf.Variable>): number[] {
  const trainer = new HeadTrainer(h.blocks());
  const rows = pooled.dataSync() as Float32Array;
  const losses = [0, 1, 2].map((step) => {
    adam.mom = 0.95 - 0.02 * step;
    const prepared = trainer.prepare(rows, LABELS, {
      lr: 0.01 * (step + 1),
      optimizer: adam,
      noDecay,
      dropoutSeed: 40 + step,
      momentum: h.nextMomentum(),
      epsilon: BN_EPSILON,
    });
    expect(prepared.finite).toBe(true);
    prepared.commit();
    return prepared.loss;
  });
  trainer.dispose();
  return losses;
}

/** A fresh head, optimiser and trainer; `step(rows, seed)` prepares one step at lr 0.01 (no decay exemptions). */
function trainerSetup() {
  const { head: h, model } = head();
  const adam = new GroupAdam();
  const trainer = new HeadTrainer(h.blocks());
  const options = (dropoutSeed: number) => ({
    lr: 0.01,
    optimizer: adam,
    noDecay: new Set<tf.Variable>(),
    dropoutSeed,
    momentum: 0.9,
    epsilon: BN_EPSILON,
  });
  return {
    h,
    adam,
    options,
    step: (rows: Float32Array, dropoutSeed = 1) => trainer.prepare(rows, LABELS, options(dropoutSeed)),
    dispose: () => {
      trainer.dispose();
      adam.dispose();
      model.dispose();
    },
  };
}

describe("new HeadTrainer(blocks).prepare(pooled, labels, step).commit()", () => {
  it("takes the steps gradsFromPooled and GroupAdam take: same losses, weights, statistics and optimiser state", () => {
    const [a, b] = [head(), head()];
    const pooled = tf.randomNormal([LABELS.length, 64], 0.5, 2, "float32", 1) as tf.Tensor2D;
    const [adamA, adamB] = [new GroupAdam(), new GroupAdam()];
    const noDecay = (h: Head) => new Set(noDecayWeights(h.weightedLayers));
    const want = tfjsSteps(a.head, pooled, adamA, noDecay(a.head));
    const got = wasmSteps(b.head, pooled, adamB, noDecay(b.head));
    got.forEach((loss, i) => expect(loss).toBeCloseTo(want[i]!, 5));
    a.head.variables.forEach((v, i) => {
      const [w, g] = [values(v), values(b.head.variables[i]!)];
      const scale = Math.max(1e-3, ...w.map(Math.abs));
      g.forEach((x, j) => expect(Math.abs(x - w[j]!) / scale).toBeLessThan(1e-5));
    });
    const state = (adam: GroupAdam, h: Head) => values(adam.stateFor([h.blocks()[0]!.kernel]).sqrAvg);
    state(adamB, b.head).forEach((x, j) => expect(x).toBeCloseTo(state(adamA, a.head)[j]!, 7));
    expect(adamB.stepCount).toBe(3);
    tf.dispose(pooled);
    [adamA, adamB].forEach((o) => o.dispose());
    [a, b].forEach((h) => h.model.dispose());
  });

  it("changes nothing until commit, and reads weights that changed behind its back", () => {
    const { h, adam, options, step: prepare, dispose } = trainerSetup();
    const rows = tf.tidy(() => tf.randomNormal([LABELS.length, 64], 0, 1, "float32", 2).dataSync() as Float32Array);
    const step = () => prepare(rows);
    const before = h.variables.map(values);
    const first = step();
    h.variables.forEach((v, i) => expect(values(v)).toEqual(before[i]));
    expect(adam.stepCount).toBe(0);
    // put other weights in; the trainer must start from them, as a fresh trainer does
    const kernel = h.blocks()[0]!.kernel;
    kernel.assign(tf.mul(kernel, 2));
    const fresh = new HeadTrainer(h.blocks());
    const second = step().loss;
    expect(second).not.toBeCloseTo(first.loss, 3);
    expect(fresh.prepare(rows, LABELS, options(1)).loss).toBe(second);
    fresh.dispose();
    dispose();
  });

  it("reports a non-finite step without taking it", () => {
    const { h, step, dispose } = trainerSetup();
    const rows = new Float32Array(LABELS.length * 64).map((_, i) => (i === 7 ? Infinity : i % 5));
    const before = h.variables.map(values);
    const prepared = step(rows);
    expect(prepared.finite).toBe(false);
    h.variables.forEach((v, i) => expect(values(v)).toEqual(before[i]));
    dispose();
  });

  it("leaves the tensor count as it was after a committed step (the optimiser's state apart)", () => {
    const { step, dispose } = trainerSetup();
    const rows = new Float32Array(LABELS.length * 64).map((_, i) => Math.sin(i));
    const run = () => step(rows, 3).commit();
    run();
    const count = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(count);
    dispose();
  });
});

describe("HeadTrainer.supports(blocks)", () => {
  it("takes fastai's two-block head with a hidden width divisible by 4 and ≥ 4,096 hidden weights, not the minimal head, an odd width or a small one", () => {
    const cases = [68, 0, 66, 60].map((hidden) => head(hidden));
    expect(cases.map(({ head: h }) => HeadTrainer.supports(h.blocks()))).toEqual([true, false, false, false]);
    cases.forEach(({ model }) => model.dispose());
  });
});
