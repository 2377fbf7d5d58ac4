import { describe, expect, it } from "vitest";
import { trainingEvents } from "../../src/train/events.js";
import type { TrainingEvent } from "../../src/train/recorder.js";

const batch = (b: number): TrainingEvent => ({
  type: "batch",
  phase: "fit",
  epoch: 0,
  batch: b,
  batches: 3,
  loss: 1 / (b + 1),
  lr: 1e-3,
});

describe("trainingEvents(run)", () => {
  it("yields every event the run reports, in order, then ends", async () => {
    const seen: TrainingEvent[] = [];
    for await (const e of trainingEvents(async (onEvent) => {
      for (let b = 0; b < 3; b++) {
        onEvent(batch(b));
        await new Promise((r) => setTimeout(r, 1));
      }
    }))
      seen.push(e);
    expect(seen).toEqual([batch(0), batch(1), batch(2)]);
  });

  it("throws what the run throws, after the events before it", async () => {
    const seen: number[] = [];
    const iterate = async () => {
      for await (const e of trainingEvents(async (onEvent) => {
        onEvent(batch(0));
        throw new Error("diverged");
      }))
        seen.push(e.type === "batch" ? e.batch : -1);
    };
    await expect(iterate()).rejects.toThrow("diverged");
    expect(seen).toEqual([0]);
  });
});
