import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { baseArchitecture } from "../../src/model/base.js";
import { visionLearner } from "../../src/model/learner.js";
import { accuracy, errorRate } from "../../src/train/metrics.js";
import { TrainingDiverged } from "../../src/train/events.js";
import { tinyBase, tinyPets, TINY, weightValues } from "./helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

describe("visionLearner(dls, {base, pretrained, metrics, seed})", () => {
  it("puts a head for the data's classes on the body cut from the base, frozen when pretrained", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase() });
    expect(learn.body.outputs[0]!.shape).toEqual([null, 4, 4, 16]);
    expect(learn.model.outputs[0]!.shape).toEqual([null, 2]);
    expect(learn.model.layers.map((l) => l.name).slice(-12)).toEqual([
      "body_out",
      "head_avg",
      "head_max",
      "head_pool",
      "head_bn1",
      "head_dropout1",
      "head_dense1",
      "head_dense1_relu",
      "head_bn2",
      "head_dropout2",
      "head_dense",
      "head_softmax",
    ]);
    expect(learn.frozen).toBe(true);
    const probs = learn.model.predict(tf.zeros([3, 32, 32, 3])) as tf.Tensor;
    expect(Array.from(probs.sum(1).dataSync()).map((v) => v.toFixed(5))).toEqual(["1.00000", "1.00000", "1.00000"]);
    tf.dispose(probs);
    learn.dispose();
  });

  it("starts from the base's weights, or from a fresh init with pretrained: false", async () => {
    const base = await tinyBase(3);
    const dls = tinyPets();
    const [pre, again, scratch] = [
      await visionLearner(dls, { base }),
      await visionLearner(dls, { base }),
      await visionLearner(dls, { base, pretrained: false }),
    ];
    const kernel = (l: typeof pre) => l.body.getLayer("block2_pw").getWeights()[0]!.dataSync();
    expect(Array.from(kernel(again))).toEqual(Array.from(kernel(pre)));
    expect(Array.from(kernel(scratch))).not.toEqual(Array.from(kernel(pre)));
    expect(scratch.frozen).toBe(false);
    [pre, again, scratch].forEach((l) => l.dispose());
  });

  it("rejects data of another size, naming both sizes and the fix", async () => {
    await expect(visionLearner(tinyPets({ size: 40 }), { base: await tinyBase() })).rejects.toThrow(
      /data's images are 40×40 but the base takes 32×32; make the DataLoaders with size: 32/,
    );
  });

  it("rejects pretrained: true for a base without weights", async () => {
    await expect(visionLearner(tinyPets(), { base: baseArchitecture(TINY) })).rejects.toThrow(
      /has no weights; use pretrained: false/,
    );
  });

  it("rejects data normalised differently from the base", async () => {
    const dls = tinyPets({ normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } });
    await expect(visionLearner(dls, { base: await tinyBase() })).rejects.toThrow(
      /base expects .*make the DataLoaders with normalization: base.info.normalization/,
    );
  });
});

describe("learn.paramGroups(lrs)", () => {
  it("exempts batchnorm and bias weights from weight decay (fastai's wd_bn_bias=False), or none with wdBnBias: true", async () => {
    const base = await tinyBase();
    const [learn, decayAll] = [
      await visionLearner(tinyPets(), { base }),
      await visionLearner(tinyPets(), { base, wdBnBias: true }),
    ];
    learn.unfreeze();
    const groups = learn.paramGroups([1e-4, 1e-3, 1e-2]);
    const exempt = new Set(groups.flatMap((g) => [...(g.noDecay ?? [])]));
    const trained = groups.flatMap((g) => g.variables);
    const kind = (name: string) => (/bn\d*\/(gamma|beta)/.test(name) || /\/bias/.test(name) ? "bn-or-bias" : "kernel");
    expect(trained.filter((v) => exempt.has(v)).map((v) => kind(v.name))).toEqual(
      trained.filter((v) => kind(v.name) === "bn-or-bias").map(() => "bn-or-bias"),
    );
    expect(trained.filter((v) => !exempt.has(v)).every((v) => kind(v.name) === "kernel")).toBe(true);
    expect(exempt.size).toBeGreaterThan(10); // stem and block batchnorms, the head's two batchnorms and two biases
    decayAll.unfreeze();
    expect(decayAll.paramGroups([1e-4, 1e-3, 1e-2]).every((g) => (g.noDecay?.size ?? 0) === 0)).toBe(true);
    [learn, decayAll].forEach((l) => l.dispose());
  });
});

describe("learn.dispose()", () => {
  it("frees every tensor the learner made, after training and validation", async () => {
    const dls = tinyPets();
    const base = await tinyBase();
    const before = tf.memory().numTensors;
    const learn = await visionLearner(dls, { base, pretrained: false });
    await learn.fit(1, 1e-3);
    learn.freeze();
    await learn.fit(1, 1e-3);
    learn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("learn.fit(epochs, lr)", () => {
  it("keeps the tensor count flat from epoch 1 to epoch 3", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase(), pretrained: false });
    const counts: number[] = [];
    await learn.fit(3, 1e-3, { onEvent: (e) => e.type === "epoch" && counts.push(tf.memory().numTensors) });
    expect(counts[2]).toBe(counts[0]);
    learn.dispose();
  });

  it("with the body frozen, changes only the head (batchnorm statistics included)", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    const body = weightValues(learn.body.weights.map((w) => w.read()));
    const head = weightValues(learn.head.trainableVariables);
    await learn.fit(1, 1e-2);
    expect(weightValues(learn.body.weights.map((w) => w.read()))).toEqual(body);
    expect(weightValues(learn.head.trainableVariables)).not.toEqual(head);
    learn.dispose();
  });

  it("after unfreeze, trains the body and updates its batchnorm statistics", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    learn.unfreeze();
    const kernel = () => learn.body.getLayer("block1_pw").getWeights()[0]!.dataSync().slice();
    const movingMean = () => learn.body.getLayer("stem_bn").getWeights()[2]!.dataSync().slice();
    const [k0, m0] = [kernel(), movingMean()];
    await learn.fit(1, 1e-2);
    expect(kernel()).not.toEqual(k0);
    expect(movingMean()).not.toEqual(m0);
    learn.dispose();
  });

  it("after freezeTo(-2), trains the second body half and the head, and leaves the first half's weights and statistics", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    learn.freezeTo(-2);
    expect(learn.frozen).toBe(false);
    expect(learn.trainsFrom).toBe(1);
    expect(learn.paramGroups([1e-4, 1e-3, 1e-2]).map((g) => g.lr)).toEqual([1e-3, 1e-2]);
    const kernel = (name: string) => learn.body.getLayer(name).getWeights()[0]!.dataSync().slice();
    const movingMean = (name: string) => learn.body.getLayer(name).getWeights()[2]!.dataSync().slice();
    const [stem, block1, block2] = ["stem_conv", "block1_pw", "block2_pw"].map(kernel);
    const [stemMean, block2Mean] = ["stem_bn", "block2_pw_bn"].map(movingMean);
    // the frozen half runs once per step, as at inference, outside the gradient
    const [indices] = learn.dls.train.batchIndices(0);
    const xs = learn.dls.train.batchAt(indices!, 0, 0, { augment: false }).xs;
    const lower = learn.frozenPart(xs)!;
    expect(lower.shape).toEqual([indices!.length, 8, 8, 8]);
    tf.dispose([xs, lower]);
    const losses: number[] = [];
    await learn.fit(2, 1e-2, { onEvent: (e) => e.type === "epoch" && losses.push(e.trainLoss) });
    expect(losses.length === 2 && losses.every(Number.isFinite)).toBe(true);
    expect(kernel("stem_conv")).toEqual(stem);
    expect(kernel("block1_pw")).toEqual(block1);
    expect(movingMean("stem_bn")).toEqual(stemMean);
    expect(kernel("block2_pw")).not.toEqual(block2);
    expect(movingMean("block2_pw_bn")).not.toEqual(block2Mean);
    const trains = Object.fromEntries(learn.summary().layers.map((l) => [l.name, l.trains]));
    expect([trains.stem_conv, trains.block1_pw, trains.block2_pw, trains.head_dense]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    learn.freezeTo(-1);
    expect(learn.frozen).toBe(true);
    expect(() => learn.freezeTo(3)).toThrow(
      "invalid freezeTo: 3; give the first of the 3 parameter groups to train, from -3 to 2: 0 trains everything, -2 the second body half and the head, -1 the head only",
    );
    learn.dispose();
  });

  it("fineTune(1, {unfreezeTo: -2}) trains the first body half in no epoch; unfreezeTo -1 is refused", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    const stem = learn.body.getLayer("stem_conv").getWeights()[0]!.dataSync().slice();
    const block2 = learn.body.getLayer("block2_pw").getWeights()[0]!.dataSync().slice();
    const events = await learn.fineTune(1, { unfreezeTo: -2 });
    expect(events.map((e) => e.phase)).toEqual(["frozen", "unfrozen"]);
    expect(learn.body.getLayer("stem_conv").getWeights()[0]!.dataSync()).toEqual(stem);
    expect(learn.body.getLayer("block2_pw").getWeights()[0]!.dataSync()).not.toEqual(block2);
    await expect(learn.fineTune(1, { unfreezeTo: -1 })).rejects.toThrow(
      "invalid unfreezeTo: -1; give the first parameter group to train after the frozen epochs: 0 (everything, the default) or -2 (the second body half and the head)",
    );
    learn.dispose();
  });

  it("gives identical losses run to run with the same seed on cpu", async () => {
    let batchesPerEpoch = 0;
    const run = async () => {
      const dls = tinyPets();
      const learn = await visionLearner(dls, { base: await tinyBase(), seed: 5 });
      batchesPerEpoch = dls.train.length;
      const losses: number[] = [];
      await learn.fineTune(1, { onEvent: (e) => e.type === "batch" && losses.push(e.loss) });
      learn.dispose();
      return losses;
    };
    const first = await run();
    expect(first.length).toBe(2 * batchesPerEpoch);
    expect(await run()).toEqual(first);
  });

  it('with cacheFeatures "always", trains a frozen head on an augmented set exactly as on the same set unaugmented', async () => {
    const run = async (augmented: boolean) => {
      const dls = augmented ? tinyPets() : tinyPets({ augment: false });
      const learn = await visionLearner(dls, { base: await tinyBase(), cacheFeatures: augmented ? "always" : true });
      expect(learn.usesCachedFeatures).toBe(true);
      const losses: number[] = [];
      await learn.fit(1, 1e-2, { onEvent: (e) => e.type === "batch" && losses.push(e.loss) });
      learn.unfreeze();
      expect(learn.usesCachedFeatures).toBe(false);
      learn.dispose();
      return losses;
    };
    expect(tinyPets().train.options.augment).not.toBe(false);
    const [always, plain] = [await run(true), await run(false)];
    expect(always.length).toBeGreaterThan(1);
    always.forEach((loss, i) => expect(loss).toBeCloseTo(plain[i]!, 5));
  });

  it("trains a frozen head on cached features exactly as on recomputed ones (no augmentation)", async () => {
    const run = async (cacheFeatures: boolean) => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base: await tinyBase(), cacheFeatures });
      expect(learn.usesCachedFeatures).toBe(cacheFeatures);
      const losses: number[] = [];
      await learn.fit(2, 1e-2, { onEvent: (e) => e.type === "batch" && losses.push(e.loss) });
      const head = weightValues(learn.head.trainableVariables);
      learn.dispose();
      return { losses, head };
    };
    const [cached, recomputed] = [await run(true), await run(false)];
    cached.losses.forEach((loss, i) => expect(loss).toBeCloseTo(recomputed.losses[i]!, 5));
    cached.head[0]!.forEach((w, i) => expect(w).toBeCloseTo(recomputed.head[0]![i]!, 5));
  });

  it("takes the same steps with the head's step in wasm as in tfjs, frozen and after unfreezing (the lent Adam state comes back)", async () => {
    const run = async (wasmHead: boolean) => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base: await tinyBase(), wasmHead });
      expect(learn.trainsHeadInWasm).toBe(wasmHead);
      const losses: number[] = [];
      const onEvent = (e: { type: string; loss?: number }) => e.type === "batch" && losses.push(e.loss!);
      await learn.fit(2, 1e-2, { onEvent });
      learn.unfreeze();
      await learn.fit(1, 1e-3, { onEvent });
      const head = weightValues(learn.head.trainableVariables);
      learn.dispose();
      return { losses, head };
    };
    const before = tf.memory().numTensors;
    const [wasm, tfjs] = [await run(true), await run(false)];
    expect(tf.memory().numTensors).toBe(before);
    wasm.losses.forEach((loss, i) => expect(loss).toBeCloseTo(tfjs.losses[i]!, 4));
    // weights agree to 1e-3 of the largest: Adam divides by √v, which magnifies rounding where gradients are ~0
    const scale = Math.max(...tfjs.head[2]!.map(Math.abs));
    wasm.head[2]!.forEach((w, i) => expect(Math.abs(w - tfjs.head[2]![i]!) / scale).toBeLessThan(1e-3));
  });

  it("takes the same steps in wasm as in tfjs after an lrFind between two fits (its optimizer's Adam state does not stay in wasm memory)", async () => {
    const run = async (wasmHead: boolean) => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base: await tinyBase(), wasmHead });
      const losses: number[] = [];
      const onEvent = (e: { type: string; loss?: number }) => e.type === "batch" && losses.push(e.loss!);
      await learn.fit(1, 1e-2, { onEvent });
      await learn.lrFind({ numIt: 10, endLr: 1e-2 });
      await learn.fit(2, 1e-2, { onEvent });
      learn.dispose();
      return losses;
    };
    const [wasm, tfjs] = [await run(true), await run(false)];
    wasm.forEach((loss, i) => expect(loss).toBeCloseTo(tfjs[i]!, 4));
  });

  it("reports fastai's epoch line: smoothed train loss, valid loss and metrics on the validation set", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase(), metrics: [errorRate, accuracy] });
    const [epoch] = await learn.fit(1, 1e-3);
    const { probs, targets, loss } = await learn.predictions(dls.valid);
    const correct = tf.tidy(() => tf.equal(probs.argMax(1), targets.argMax(1)).sum().dataSync()[0]!);
    expect(epoch!.validLoss).toBeCloseTo(loss, 6);
    expect(epoch!.metrics.accuracy).toBeCloseTo(correct / dls.valid.items.length, 6);
    expect(epoch!.metrics.errorRate).toBeCloseTo(1 - correct / dls.valid.items.length, 6);
    const batches = learn.recorder.batches.map((b) => b.loss);
    const debiased = (losses: number[]) =>
      losses.reduce((avg, l) => 0.98 * avg + 0.02 * l, 0) / (1 - 0.98 ** losses.length);
    expect(epoch!.trainLoss).toBeCloseTo(debiased(batches), 6);
    // a second fit call starts a new average; within it, the average runs across epochs
    const [, second] = await learn.fit(2, 1e-3);
    expect(second!.trainLoss).toBeCloseTo(debiased(learn.recorder.batches.slice(batches.length).map((b) => b.loss)), 6);
    tf.dispose([probs, targets]);
    learn.dispose();
  });

  it("stops within one batch of an abort, keeping the weights of the last completed step", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase(), pretrained: false });
    await learn.fit(1, 1e-3);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let atAbort: Float32Array[] = [];
    let batches = 0;
    const run = learn.fit(3, 1e-3, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type !== "batch") return;
        batches++;
        if (batches === 2) {
          atAbort = weightValues(learn.weights);
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(batches).toBe(2);
    expect(weightValues(learn.weights)).toEqual(atAbort);
    expect(tf.memory().numTensors).toBe(before);
    learn.dispose();
  });

  it("stops on a diverging loss, naming epoch, batch and rate, with the last finite weights", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase(), pretrained: false });
    await learn.fit(1, 1e-3); // the optimiser's state exists: a diverging step must neither grow nor free it
    const tensors = tf.memory().numTensors;
    let last: Float32Array[] = weightValues(learn.weights);
    const error = await learn
      .fit(2, 1e8, { onEvent: (e) => e.type === "batch" && (last = weightValues(learn.weights)) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDiverged);
    expect(tf.memory().numTensors).toBe(tensors); // the step not taken freed what it computed
    expect((error as Error).message).toMatch(
      /^training diverged in fit epoch \d+, batch \d+: .* at learning rate 1\.00e\+8; the weights are those of the last finite step\. Use a lower learning rate, e\.g\. 1\.0e\+7$/,
    );
    expect(weightValues(learn.weights)).toEqual(last);
    expect(learn.weights.every((w) => tf.tidy(() => tf.isFinite(w).all().dataSync()[0] === 1))).toBe(true);
    learn.dispose();
  });

  it("stops a frozen head's diverging step on cached features alike in wasm and in tfjs: same batch, cause, weights and batchnorm count", async () => {
    const run = async (wasmHead: boolean, lr: number) => {
      const learn = await visionLearner(tinyPets({ augment: false }), { base: await tinyBase(), wasmHead });
      await learn.fit(1, 1e-3);
      const tensors = tf.memory().numTensors;
      let last = weightValues(learn.weights);
      const error = await learn
        .fit(3, lr, { onEvent: (e) => e.type === "batch" && (last = weightValues(learn.weights)) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainingDiverged);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(weightValues(learn.weights)).toEqual(last);
      const result = { message: (error as Error).message, bnUpdates: learn.head.bnUpdates };
      learn.dispose();
      return result;
    };
    for (const [lr, cause] of [
      [1e8, "a gradient or a weight became non-finite"],
      [1e20, "the loss became NaN"],
    ] as const) {
      const [wasm, tfjs] = [await run(true, lr), await run(false, lr)];
      expect(wasm).toEqual(tfjs);
      expect(wasm.message).toContain(`: ${cause} at learning rate`);
    }
  });

  it("rejects a bad rate or epoch count, naming the setting and the fix", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    await expect(learn.fit(1, -1)).rejects.toThrow("invalid lr: -1; use a positive learning rate, e.g. 2e-3");
    await expect(learn.fitOneCycle(1, [1e-3, 1e-5])).rejects.toThrow(
      /invalid lrMax: \[0.001,0.00001\]; .*0 < first ≤ last/,
    );
    await expect(learn.fit(1.5, 1e-3)).rejects.toThrow("invalid epochs: 1.5; use a whole number of epochs, e.g. 3");
    await expect(learn.fineTune(1, { lrMult: 0.5 })).rejects.toThrow("invalid lrMult: 0.5; use a number ≥ 1, e.g. 100");
    learn.dispose();
  });
});
