/** How far a job has got: `done` of `total` steps in `seconds`. */
export interface Progress {
  done: number;
  total: number;
  seconds: number;
}

/** Seconds left at the pace so far: seconds / done × (total − done); null before the first step, 0 once done. */
export function eta({ done, total, seconds }: Progress): number | null {
  if (done >= total) return 0;
  if (done <= 0) return null;
  return (seconds / done) * (total - done);
}

/** Whole seconds as m:ss, or h:mm:ss from an hour: 7 → "0:07", 65 → "1:05", 3723 → "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!(seconds >= 0 && Number.isFinite(seconds)))
    throw new Error(`invalid seconds: ${seconds}; use a finite number ≥ 0`);
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export interface ProgressOptions extends Progress {
  /** Shown first, e.g. the phase. Default "". */
  label?: string;
  /** What is counted. Default "batches". */
  unit?: string;
}

/** The progress line: "frozen 3/7 batches · 0:12 elapsed · ETA 0:16" ("ETA –" before the first step). */
export function progressText({ done, total, seconds, label = "", unit = "batches" }: ProgressOptions): string {
  const left = eta({ done, total, seconds });
  const count = `${label} ${done}/${total} ${unit}`.trim();
  return `${count} · ${formatDuration(seconds)} elapsed · ETA ${left === null ? "–" : formatDuration(left)}`;
}

/**
 * A progress bar with its line of text: `<div class="progress" data-progress>` holding a `<progress>`
 * and a `<span>`. A new element each call. Browser only.
 */
export function progressBar(options: ProgressOptions): HTMLElement {
  const { done, total } = options;
  const element = document.createElement("div");
  element.className = "progress";
  element.dataset.progress = "";
  element.dataset.done = String(done);
  element.dataset.total = String(total);
  const bar = document.createElement("progress");
  if (total > 0) bar.max = total;
  bar.value = Math.max(0, Math.min(done, total));
  const text = document.createElement("span");
  text.textContent = progressText(options);
  element.append(bar, " ", text);
  return element;
}
