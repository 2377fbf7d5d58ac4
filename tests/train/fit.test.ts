import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/backend.js";
import { visionLearner, type Learner } from "../../src/model/learner.js";
import { groupRates } from "../../src/train/fit.js";
import { tinyBase, tinyPets } from "../model/helpers.js";

beforeAll(async () => {
  await initBackend({ order: ["cpu"] });
});

/** Records the rates and momentum of every step the learner takes. */
function spyOnSteps(learn: Learner): { lrs: number[][]; moms: (number | undefined)[]; frozen: boolean[] } {
  const seen = { lrs: [] as number[][], moms: [] as (number | undefined)[], frozen: [] as boolean[] };
  const original = learn.trainBatch.bind(learn);
  learn.trainBatch = (indices, options) => {
    seen.lrs.push([...options.lrs]);
    seen.moms.push(options.mom);
    seen.frozen.push(learn.frozen);
    return original(indices, options);
  };
  return seen;
}

describe("groupRates(lr)", () => {
  it("gives every group the same rate for a number, and fastai's even_mults for [first, last]", () => {
    expect(groupRates(2e-3)).toEqual([2e-3, 2e-3, 2e-3]);
    const [a, b, c] = groupRates([1e-5, 1e-3]);
    [1e-5, 1e-4, 1e-3].forEach((want, i) => expect([a, b, c][i]).toBeCloseTo(want, 15));
  });
});

describe("learn.fineTune(epochs, {baseLr, freezeEpochs, lrMult})", () => {
  it("runs frozen epochs on the head at baseLr, then all groups from baseLr/2/lrMult to baseLr/2", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase() });
    const steps = spyOnSteps(learn);
    const events = await learn.fineTune(2, { baseLr: 2e-3, freezeEpochs: 1, lrMult: 100 });
    const n = dls.train.length;
    expect(events.map((e) => `${e.phase} ${e.epoch}`)).toEqual(["frozen 0", "unfrozen 0", "unfrozen 1"]);
    expect(steps.frozen).toEqual([...Array(n).fill(true), ...Array(2 * n).fill(false)]);
    // frozen: one cycle at 2e-3 starting at lrMax/div = 2e-3/25, momentum 0.95
    expect(steps.lrs[0]!.at(-1)).toBeCloseTo(2e-3 / 25, 12);
    expect(steps.moms[0]).toBeCloseTo(0.95, 12);
    // unfrozen: first step at each group's peak / 5 (div = 5): 1e-5/5, 1e-4/5, 1e-3/5
    const first = steps.lrs[n]!;
    [2e-6, 2e-5, 2e-4].forEach((want, i) => expect(first[i]).toBeCloseTo(want, 12));
    // the last step ends near each peak / 1e5
    expect(Math.max(...steps.lrs.slice(n).map((l) => l[2]!))).toBeLessThanOrEqual(1e-3 + 1e-12);
    learn.dispose();
  });

  it("peaks the frozen cycle at freezePctStart of its steps: fastai's 0.99 by default, a whole cycle with 0.25", async () => {
    const dls = tinyPets();
    const n = dls.train.length;
    const peakAt = async (options: { freezePctStart?: number }) => {
      const learn = await visionLearner(dls, { base: await tinyBase() });
      const steps = spyOnSteps(learn);
      await learn.fineTune(0, { baseLr: 1e-3, freezeEpochs: 4, ...options });
      learn.dispose();
      const head = steps.lrs.map((l) => l[2]!);
      expect(head.length).toBe(4 * n);
      return { peak: head.indexOf(Math.max(...head)), last: head.at(-1)! };
    };
    // the rate rises until the given fraction of the 4n steps (step n of 0…4n−1 for 0.25), then falls
    // to lrMax/1e5 at the end; with 0.99 it still rises at the last step
    const fastai = await peakAt({});
    expect(fastai.peak).toBe(4 * n - 1);
    const whole = await peakAt({ freezePctStart: 0.25 });
    expect(whole.peak).toBe(n);
    // the last step, at (4n − 1)/4n of the cycle, on the cosine from 1e-3 down to 1e-3/1e5
    const f = ((4 * n - 1) / (4 * n) - 0.25) / 0.75;
    const learn = await visionLearner(dls, { base: await tinyBase() });
    await expect(learn.fineTune(1, { freezePctStart: 1.5 })).rejects.toThrow(
      "invalid freezePctStart: 1.5; use a fraction in [0, 1], e.g. 0.25 (0.99, fastai's, is the default)",
    );
    expect(learn.recorder.batches.length).toBe(0);
    learn.dispose();
    expect(whole.last).toBeCloseTo(1e-8 + ((1e-3 - 1e-8) * (1 + Math.cos(Math.PI * f))) / 2, 10);
  });

  it("records every batch and epoch in learn.recorder, and calls onEvent with the same events", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    const seen: string[] = [];
    await learn.fineTune(1, { onEvent: (e) => seen.push(`${e.type} ${e.phase} ${e.epoch}`) });
    const recorded = [...learn.recorder.batches, ...learn.recorder.epochs].length;
    expect(seen.length).toBe(recorded);
    expect(seen.filter((s) => s.startsWith("epoch"))).toEqual(["epoch frozen 0", "epoch unfrozen 0"]);
    expect(learn.recorder.smoothLoss.length).toBe(learn.recorder.batches.length);
    learn.dispose();
  });
});

describe("learn.fineTune(epochs, {afterEpoch})", () => {
  it("awaits afterEpoch after each epoch's event, before the next epoch's first batch, with that epoch's weights", async () => {
    const learn = await visionLearner(tinyPets(), { base: await tinyBase() });
    const order: string[] = [];
    const saved: number[][] = [];
    await learn.fineTune(2, {
      onEvent: (e) => order.push(e.type === "epoch" ? `epoch ${e.phase} ${e.epoch}` : "batch"),
      afterEpoch: async (e) => {
        const weights = Array.from(await learn.head.variables.at(-2)!.data());
        await new Promise((resolve) => setTimeout(resolve, 20)); // a slow save: training must wait for it
        saved.push(weights);
        order.push(`saved ${e.phase} ${e.epoch}`);
      },
    });
    const marks = order.filter((o) => o !== "batch");
    expect(marks).toEqual([
      "epoch frozen 0",
      "saved frozen 0",
      "epoch unfrozen 0",
      "saved unfrozen 0",
      "epoch unfrozen 1",
      "saved unfrozen 1",
    ]);
    // each save comes before the next batch
    for (const mark of ["saved frozen 0", "saved unfrozen 0"]) expect(order[order.indexOf(mark) + 1]).toBe("batch");
    // the last save holds the final weights
    expect(saved.at(-1)).toEqual(Array.from(await learn.head.variables.at(-2)!.data()));
    expect(saved[0]).not.toEqual(saved.at(-1));
    learn.dispose();
  });
});

describe("learn.fitOneCycle(epochs, lrMax)", () => {
  it("follows fastai's one-cycle: warm-up from lrMax/25, down to lrMax/1e5 at the end", async () => {
    const dls = tinyPets();
    const learn = await visionLearner(dls, { base: await tinyBase(), pretrained: false });
    const steps = spyOnSteps(learn);
    await learn.fitOneCycle(4, 1e-2);
    const head = steps.lrs.map((l) => l[2]!);
    const total = 4 * dls.train.length;
    expect(head[0]).toBeCloseTo(1e-2 / 25, 12);
    const pos = (total - 1) / total; // before the last batch
    const p = (pos - 0.25) / 0.75; // fraction of the cool-down done
    const want = 1e-2 + ((1 + Math.cos(Math.PI * (1 - p))) * (1e-2 / 1e5 - 1e-2)) / 2;
    expect(head.at(-1)).toBeCloseTo(want, 12);
    expect(Math.max(...head)).toBeLessThanOrEqual(1e-2);
    learn.dispose();
  });
});
