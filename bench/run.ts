// `npm run bench`: measures the course's pipelines on this machine, prints a table and writes
// bench/results.json. Compare ratios from one run: the machine is shared and noisy.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserBenchmarks } from "./browser.js";
import { dataBenchmarks } from "./data.js";
import { learnerBenchmarks } from "./learner.js";
import { photoBenchmarks } from "./photo.js";
import { predictBenchmarks } from "./predict.js";
import { siteBenchmarks } from "./site.js";
import { threadsBenchmarks } from "./threads.js";
import { trainBenchmarks } from "./train.js";
import type { BenchRow } from "./table.js";
import { formatTable } from "./table.js";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites: Record<string, () => Promise<BenchRow[]>> = {
  data: dataBenchmarks,
  train: trainBenchmarks,
  learner: learnerBenchmarks,
  photo: photoBenchmarks,
  predict: predictBenchmarks,
  browser: browserBenchmarks,
  threads: threadsBenchmarks,
  site: siteBenchmarks,
};

const results: Record<string, BenchRow[]> = {};
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  results[name] = await run();
  console.log(formatTable(results[name]!));
}
const out = join(here, "results.json");
await mkdir(here, { recursive: true });
await writeFile(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
console.log(`\nwrote ${out}`);
