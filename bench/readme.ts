// `npm run bench:readme [-- [FILE] [--machine TEXT]]`: prints bench/results.json (or FILE), as
// `npm run bench` wrote it, as Markdown — one table per suite, headed by the run's date and Node
// version — to paste into bench/README.md. results.json does not record the machine: pass --machine.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./table.js";

/** What bench/run.ts writes. */
export interface BenchResults {
  date: string;
  node: string;
  results: Record<string, BenchRow[]>;
}

/** The suites in the order bench/run.ts runs them; any other suite in the file follows, by name. */
export const SUITE_ORDER = ["data", "train", "learner", "predict", "browser", "site"] as const;

/** A value as the console table shows it: whole above 100, three significant digits below. */
export function formatValue(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One suite's rows as a Markdown table. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ["| measure | value | unit | note |", "|---|--:|---|---|"];
  for (const row of rows)
    lines.push(`| ${cell(row.name)} | ${formatValue(row.value)} | ${cell(row.unit)} | ${cell(row.note ?? "")} |`);
  return lines.join("\n");
}

/** The whole file as Markdown: a heading per suite, each with the run's date, Node version and machine. */
export function resultsMarkdown(results: BenchResults, { machine }: { machine?: string } = {}): string {
  const day = results.date.slice(0, 10);
  const time = results.date.slice(11, 16);
  const where = [
    `${day} ${time} UTC`,
    `Node ${results.node.replace(/^v/, "")}`,
    machine ?? "machine not recorded",
  ].join(", ");
  const names = Object.keys(results.results);
  const ordered = [
    ...SUITE_ORDER.filter((name) => names.includes(name)),
    ...names.filter((name) => !(SUITE_ORDER as readonly string[]).includes(name)).sort(),
  ];
  return ordered
    .map(
      (name) => `### ${name}\n\n${where}; \`npm run bench -- ${name}\`.\n\n${markdownTable(results.results[name]!)}\n`,
    )
    .join("\n");
}

function parseArgs(argv: readonly string[]): { file: string; machine?: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  let file = join(here, "results.json");
  let machine: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--machine") {
      machine = argv[++i];
      if (machine === undefined) throw new Error('--machine needs a value, e.g. --machine "2 shared cores, no GPU"');
    } else if (arg === "-h" || arg === "--help") {
      console.log(
        "Usage: npm run bench:readme [-- [FILE] [--machine TEXT]]\nPrints bench/results.json (or FILE) as Markdown tables, one per suite.",
      );
      process.exit(0);
    } else file = arg;
  }
  return { file, machine };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { file, machine } = parseArgs(process.argv.slice(2));
  if (!existsSync(file)) {
    const shown = relative(process.cwd(), file);
    console.error(
      `${shown.startsWith("..") ? file : shown}: not found; run \`npm run bench\` (or \`npm run bench -- SUITE\`) first`,
    );
    process.exit(1);
  }
  const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  if (
    typeof results.date !== "string" ||
    typeof results.node !== "string" ||
    typeof results.results !== "object" ||
    results.results === null
  ) {
    console.error(`${file}: not what bench/run.ts writes ({date, node, results: {suite: rows}})`);
    process.exit(1);
  }
  process.stdout.write(resultsMarkdown(results, { machine }));
}
