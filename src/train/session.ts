import type { TrainingControl } from "./events.js";
import type { BatchEvent, EpochEvent, TrainingEvent } from "./recorder.js";

/** A training run as a page shows it: where it is, its history so far, and how it ended. */
export interface TrainingState<T> {
  status: "running" | "done" | "stopped" | "error";
  /** Phase of the latest batch ("frozen", "unfrozen", …). */
  phase: string;
  batches: BatchEvent[];
  epochs: EpochEvent[];
  /** Batches done, and the batches planned (epochs × batches per epoch, once the first batch says how many). */
  done: number;
  total: number;
  seconds: number;
  /** What the run resolved to (e.g. the trained learner), when done. */
  result?: T;
  /** The message, when status is "error". */
  error?: string;
  /** Stops the run within one batch (a page's Stop button); it ends as "stopped". */
  stop: () => void;
}

export interface SessionOptions<T> {
  /** Epochs the run will report (for the progress total). */
  epochs: number;
  /** Framework's `invalidation`: when it resolves, the run is aborted. */
  invalidation?: Promise<unknown>;
  /**
   * Aborting stops the run as Stop does. Aborted with an Error that is not an AbortError (e.g.
   * WebGLContextLost), the session ends at once as "error" with that message, without waiting for the
   * run, which may never settle (a lost GPU's read-backs wait forever); a result it still gives is disposed.
   */
  signal?: AbortSignal;
  /** Frees the result once the run is invalidated (e.g. `(learn) => learn.dispose()`). */
  dispose?: (result: T) => void;
}

/**
 * Runs `run` and yields its state whenever it changed since the last value was taken (so a slow page
 * skips states rather than falling behind). Aborts on `invalidation`; a run that was stopped, failed
 * or was invalidated ends with a state, never an uncaught error.
 */
export async function* trainingSession<T>(
  run: (control: Required<Pick<TrainingControl, "signal" | "onEvent">>) => Promise<T>,
  { epochs, invalidation, signal, dispose }: SessionOptions<T>,
): AsyncGenerator<TrainingState<T>> {
  const controller = new AbortController();
  const started = performance.now();
  const stop = () => controller.abort();
  const state: TrainingState<T> = {
    status: "running",
    phase: "",
    batches: [],
    epochs: [],
    done: 0,
    total: 0,
    seconds: 0,
    stop,
  };
  let changed = true;
  let wake: (() => void) | null = null;
  const update = () => {
    state.seconds = (performance.now() - started) / 1000;
    changed = true;
    wake?.();
  };
  const onEvent = (event: TrainingEvent) => {
    if (event.type === "batch") {
      state.batches.push(event);
      state.phase = event.phase;
      state.done++;
      state.total = Math.max(state.total, epochs * event.batches);
    } else state.epochs.push(event);
    update();
  };
  let failed = false; // ended by the signal's error: what the run does afterwards is not shown
  const fail = (error: unknown) => {
    if (state.status !== "running") return;
    failed = true;
    state.status = "error";
    state.error = error instanceof Error ? error.message : String(error);
    update();
  };
  const onAbort = () => {
    const reason: unknown = signal!.reason;
    controller.abort(reason);
    if (reason instanceof Error && reason.name !== "AbortError") fail(reason);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const finished = run({ signal: controller.signal, onEvent }).then(
    (result) => {
      if (failed) {
        dispose?.(result);
        return undefined;
      }
      state.status = "done";
      state.result = result;
      update();
      return result;
    },
    (error: unknown) => {
      if (failed) return undefined;
      state.status = (error as Error)?.name === "AbortError" ? "stopped" : "error";
      state.error = error instanceof Error ? error.message : String(error);
      update();
      return undefined;
    },
  );
  invalidation?.then(() => {
    controller.abort();
    void finished.then((result) => result !== undefined && dispose?.(result));
  });
  while (true) {
    if (!changed) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    changed = false;
    const snapshot = { ...state, batches: [...state.batches], epochs: [...state.epochs] };
    yield snapshot;
    if (snapshot.status !== "running") return;
  }
}
