/** One measured line: what, how much per second, and anything else worth a column. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Times `fn` (after one warm-up call when `warmup`), returning seconds per call averaged over `repeats`. */
export async function time(fn: () => unknown, { repeats = 1, warmup = false } = {}): Promise<number> {
  if (warmup) await fn();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await fn();
  return (performance.now() - start) / 1000 / repeats;
}

export function formatTable(rows: BenchRow[]): string {
  const cells = rows.map((r) => [
    r.name,
    r.value >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3),
    r.unit,
    r.note ?? "",
  ]);
  const header = ["measure", "value", "unit", "note"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

/** Milliseconds per call of `fn(i)`: `warmup` untimed calls, then `runs` timed ones; the median and the 95th percentile (nearest rank). */
export async function latencies(
  fn: (i: number) => Promise<unknown>,
  { warmup = 20, runs = 100 } = {},
): Promise<{ p50: number; p95: number; runs: number }> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const percentile = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { p50: percentile(0.5), p95: percentile(0.95), runs };
}
