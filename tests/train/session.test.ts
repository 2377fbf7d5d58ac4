import { describe, expect, it } from "vitest";
import { trainingSession, type TrainingState } from "../../src/train/session.js";
import { checkAborted } from "../../src/train/events.js";

const tick = () => new Promise((r) => setTimeout(r, 2));

async function collect<T>(states: AsyncGenerator<TrainingState<T>>): Promise<TrainingState<T>[]> {
  const all: TrainingState<T>[] = [];
  for await (const s of states) all.push(s);
  return all;
}

describe("trainingSession(run, {epochs, invalidation, dispose})", () => {
  it("yields running states with progress, then done with the result", async () => {
    const states = await collect(
      trainingSession(
        async ({ onEvent }) => {
          for (let epoch = 0; epoch < 2; epoch++) {
            for (let batch = 0; batch < 3; batch++) {
              onEvent({ type: "batch", phase: "fit", epoch, batch, batches: 3, loss: 1, lr: 1e-3 });
              await tick();
            }
            onEvent({
              type: "epoch",
              phase: "fit",
              epoch,
              trainLoss: 1,
              validLoss: 1,
              metrics: { errorRate: 0.5 },
              seconds: 0.01,
            });
          }
          return "model";
        },
        { epochs: 2 },
      ),
    );
    const last = states.at(-1)!;
    expect(last).toMatchObject({ status: "done", result: "model", done: 6, total: 6, phase: "fit" });
    expect(last.epochs.length).toBe(2);
    expect(states.slice(0, -1).every((s) => s.status === "running")).toBe(true);
    expect(states.some((s) => s.done > 0 && s.done < 6)).toBe(true);
  });

  it("aborts the run when invalidated, ends as stopped, and disposes a result that arrives later", async () => {
    let resolveInvalidation!: () => void;
    const invalidation = new Promise<void>((r) => (resolveInvalidation = r));
    const disposed: string[] = [];
    const states = trainingSession(
      async ({ signal, onEvent }) => {
        for (let batch = 0; batch < 100; batch++) {
          checkAborted(signal);
          onEvent({ type: "batch", phase: "fit", epoch: 0, batch, batches: 100, loss: 1, lr: 1e-3 });
          if (batch === 3) resolveInvalidation();
          await tick();
        }
        return "never";
      },
      { epochs: 1, invalidation, dispose: (r) => disposed.push(r) },
    );
    const all = await collect(states);
    expect(all.at(-1)).toMatchObject({ status: "stopped" });
    expect(all.at(-1)!.done).toBeLessThanOrEqual(5);
    expect(disposed).toEqual([]);
  });

  it("stops the run when a state's stop() is called", async () => {
    const states = trainingSession(
      async ({ signal, onEvent }) => {
        for (let batch = 0; batch < 100; batch++) {
          checkAborted(signal);
          onEvent({ type: "batch", phase: "fit", epoch: 0, batch, batches: 100, loss: 1, lr: 1e-3 });
          await tick();
        }
      },
      { epochs: 1 },
    );
    let last: TrainingState<void> | undefined;
    for await (const state of states) {
      last = state;
      if (state.done >= 2) state.stop();
    }
    expect(last).toMatchObject({ status: "stopped" });
    expect(last!.done).toBeLessThan(10);
  });

  it("calls dispose with the result when invalidated after finishing", async () => {
    let resolveInvalidation!: () => void;
    const invalidation = new Promise<void>((r) => (resolveInvalidation = r));
    const disposed: string[] = [];
    const all = await collect(
      trainingSession(async () => "learner", { epochs: 1, invalidation, dispose: (r) => disposed.push(r) }),
    );
    expect(all.at(-1)!.status).toBe("done");
    resolveInvalidation();
    await tick();
    expect(disposed).toEqual(["learner"]);
  });

  it("ends with status error and the message when the run throws", async () => {
    const all = await collect(
      trainingSession(
        async () => {
          throw new Error("training diverged in fit epoch 1, batch 2");
        },
        { epochs: 1 },
      ),
    );
    expect(all.at(-1)).toMatchObject({ status: "error", error: "training diverged in fit epoch 1, batch 2" });
  });
  it("a signal aborted with an error (not an AbortError) ends the session at once as error, though the run never settles", async () => {
    const lost = new AbortController();
    let release!: (value: string) => void;
    const disposed: string[] = [];
    const states = await collect(
      trainingSession(
        async ({ onEvent }) => {
          onEvent({ type: "batch", phase: "frozen", epoch: 0, batch: 0, batches: 4, loss: 1, lr: 1e-3 });
          setTimeout(() => {
            const gone = new Error("WebGL stopped working: the context was lost");
            gone.name = "WebGLContextLost";
            lost.abort(gone);
          }, 5);
          return new Promise<string>((resolve) => (release = resolve)); // a read-back on a lost GPU: never settles
        },
        { epochs: 1, signal: lost.signal, dispose: (r) => disposed.push(r) },
      ),
    );
    expect(states.at(-1)).toMatchObject({
      status: "error",
      error: "WebGL stopped working: the context was lost",
      done: 1,
    });
    release("learner"); // should it settle after all, what it gives is freed, not shown
    await tick();
    expect(disposed).toEqual(["learner"]);
  });

  it("a signal aborted with an AbortError stops the run as Stop does", async () => {
    const control = new AbortController();
    const states = await collect(
      trainingSession(
        async ({ signal }) => {
          control.abort(new DOMException("stopped", "AbortError"));
          await tick();
          checkAborted(signal);
          return "never";
        },
        { epochs: 1, signal: control.signal },
      ),
    );
    expect(states.at(-1)).toMatchObject({ status: "stopped", error: "stopped" });
  });
});
