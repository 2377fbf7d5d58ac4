import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { GroupAdam } from "../../src/train/optimizer.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("new GroupAdam(options).step(groups, grads)", () => {
  it("takes fastai's Adam step, decoupled weight decay first (hand-derived)", () => {
    const p = tf.variable(tf.scalar(1), true, "p");
    const adam = new GroupAdam({ mom: 0.9, sqrMom: 0.99, eps: 1e-5, wd: 0.01 });
    const grad = tf.scalar(0.5);
    adam.step([{ variables: [p], lr: 0.1 }], { p: grad });
    // p = 1·(1 − 0.1·0.01) − (0.1 / (1 − 0.9)) · 0.05 / (sqrt(0.0025 / 0.01) + 1e-5)
    expect(p.dataSync()[0]).toBeCloseTo(0.999 - 0.05 / (0.5 + 1e-5), 6);
    tf.dispose([p, grad]);
    adam.dispose();
  });

  it("matches tf.train.adam over several steps when weight decay is 0", () => {
    const start = [0.3, -1.2, 2];
    const [ours, theirs] = [tf.variable(tf.tensor1d(start), true, "a"), tf.variable(tf.tensor1d(start), true, "b")];
    const adam = new GroupAdam({ mom: 0.9, sqrMom: 0.999, eps: 1e-7, wd: 0 });
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    const loss = (v: tf.Variable) => v.square().sum().add(v.sum()) as tf.Scalar;
    for (let i = 0; i < 5; i++) {
      const { grads } = tf.variableGrads(() => loss(ours), [ours]);
      adam.step([{ variables: [ours], lr: 0.05 }], grads);
      tf.dispose(grads);
      reference.minimize(() => loss(theirs), false, [theirs]);
    }
    const [a, b] = [ours.dataSync(), theirs.dataSync()];
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    tf.dispose([ours, theirs]);
    adam.dispose();
    reference.dispose();
  });

  it("gives each group its own learning rate, and leaves a variable without a gradient alone", () => {
    const [slow, fast, still] = [
      tf.variable(tf.scalar(1), true, "slow"),
      tf.variable(tf.scalar(1), true, "fast"),
      tf.variable(tf.scalar(1), true, "still"),
    ];
    const adam = new GroupAdam({ wd: 0 });
    const [g1, g2] = [tf.scalar(1), tf.scalar(1)];
    adam.step(
      [
        { variables: [slow], lr: 0.001 },
        { variables: [fast, still], lr: 0.1 },
      ],
      { slow: g1, fast: g2 },
    );
    // first Adam step moves by lr · g / (|g| + eps) ≈ lr
    expect(1 - slow.dataSync()[0]!).toBeCloseTo(0.001, 5);
    expect(1 - fast.dataSync()[0]!).toBeCloseTo(0.1, 4);
    expect(still.dataSync()[0]).toBe(1);
    tf.dispose([slow, fast, still, g1, g2]);
    adam.dispose();
  });

  it("steps a group's variables together exactly as it steps each alone", () => {
    const start = {
      a: [
        [0.5, -1, 2],
        [0.1, 0, -0.3],
      ],
      b: [1, -2, 3, 0.25],
    };
    const make = (suffix: string) => [
      tf.variable(tf.tensor2d(start.a), true, `a${suffix}`),
      tf.variable(tf.tensor1d(start.b), true, `b${suffix}`),
    ];
    const [a1, b1] = make("1");
    const [a2, b2] = make("2");
    const [together, alone] = [new GroupAdam(), new GroupAdam()];
    for (let i = 0; i < 3; i++) {
      const [ga, gb] = [
        tf
          .tensor2d([
            [0.2, -0.4, 1],
            [0, 3, -1],
          ])
          .mul(i + 1),
        tf.tensor1d([-1, 0.5, 0.1, 2]).mul(i + 1),
      ];
      together.step([{ variables: [a1!, b1!], lr: 0.01 }], { a1: ga, b1: gb });
      alone.step(
        [
          { variables: [a2!], lr: 0.01 },
          { variables: [b2!], lr: 0.01 },
        ],
        { a2: ga, b2: gb },
      );
      tf.dispose([ga, gb]);
    }
    expect(a1!.shape).toEqual([2, 3]);
    expect(Array.from(a1!.dataSync())).toEqual(Array.from(a2!.dataSync()));
    expect(Array.from(b1!.dataSync())).toEqual(Array.from(b2!.dataSync()));
    expect(Array.from(a1!.dataSync())).not.toEqual(start.a.flat());
    tf.dispose([a1!, b1!, a2!, b2!]);
    together.dispose();
    alone.dispose();
  });

  it("leaves a group's noDecay variables undecayed, stepped together with decayed ones or alone (fastai's wd_bn_bias=False)", () => {
    // a zero gradient makes Adam's own move 0, so each variable only shows its decay: p · (1 − lr · wd)
    const [kernel, bias, big] = [
      tf.variable(tf.tensor1d([2, -4]), true, "kernel"),
      tf.variable(tf.tensor1d([2, -4]), true, "bias"),
      tf.variable(tf.tensor1d(new Float32Array(5000).fill(2)), true, "big"),
    ];
    const zeros = { kernel: tf.zeros([2]), bias: tf.zeros([2]), big: tf.zeros([5000]) };
    const adam = new GroupAdam({ wd: 0.5 });
    const before = tf.memory().numTensors;
    for (const noDecay of [new Set([bias]), new Set([bias, big])]) {
      adam.step([{ variables: [kernel, bias, big], lr: 0.1, noDecay }], zeros);
    }
    // kernel decayed twice, bias never, big once (the second step exempted it)
    expect(Array.from(kernel.dataSync())).toEqual([2 * 0.95 * 0.95, -4 * 0.95 * 0.95].map(Math.fround));
    expect(Array.from(bias.dataSync())).toEqual([2, -4]);
    expect(big.dataSync()[4999]).toBeCloseTo(2 * 0.95, 6);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([kernel, bias, big, ...Object.values(zeros)]);
  });

  it("keeps the tensor count flat across steps and frees its state on dispose()", () => {
    const before = tf.memory().numTensors;
    const p = tf.tidy(() => tf.variable(tf.ones([3]), true, "q"));
    const adam = new GroupAdam();
    const g = tf.ones([3]);
    adam.step([{ variables: [p], lr: 0.01 }], { q: g });
    const afterOne = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) adam.step([{ variables: [p], lr: 0.01 }], { q: g });
    expect(tf.memory().numTensors).toBe(afterOne);
    adam.dispose();
    tf.dispose([p, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a bad learning rate, naming the value and the fix", () => {
    const p = tf.variable(tf.scalar(1), true, "r");
    const g = tf.scalar(1);
    const adam = new GroupAdam();
    expect(() => adam.step([{ variables: [p], lr: Number.NaN }], { r: g })).toThrow(
      /^invalid lr: NaN; use a non-negative learning rate, e.g. 2e-3$/,
    );
    tf.dispose([p, g]);
    adam.dispose();
  });
});
