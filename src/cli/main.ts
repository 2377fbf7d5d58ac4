import { readFileSync } from "node:fs";
import { backendCommand } from "./backend.js";
import { inspectCommand } from "./inspect.js";
import { makeDatasetCommand } from "./make-dataset.js";
import { predictCommand } from "./predict.js";
import { topLossesCommand } from "./top-losses.js";
import { trainCommand } from "./train.js";
import { UsageError, type Command, type Io } from "./command.js";
import { withoutErrnoCodes } from "./output.js";

const COMMANDS: Record<string, Command> = {
  "make-dataset": makeDatasetCommand,
  inspect: inspectCommand,
  train: trainCommand,
  "top-losses": topLossesCommand,
  predict: predictCommand,
  backend: backendCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `dlcourse ${version()} — the dl-course library, headless in Node`,
    "",
    "Usage: dlcourse <command> [options]",
    "       dlcourse <command> --help",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show this help",
    "  -v, --version  print the version",
    "",
  ].join("\n");
}

/** Runs the CLI on `argv` (without node and the script); resolves to the process exit code. */
export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    io.out.write(help());
    return 0;
  }
  if (first === "-v" || first === "--version") {
    io.out.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[first];
  if (command === undefined) {
    const what = first.startsWith("-") ? "option" : "command";
    io.err.write(
      `dlcourse: unknown ${what} "${first}"; valid commands: ${[...Object.keys(COMMANDS), "help"].join(", ")} (see dlcourse --help)\n`,
    );
    return 2;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    io.out.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // the sentences name the path and the fix; errno codes ("ENOENT: …, open '…'") become words
    const message = withoutErrnoCodes(error instanceof Error ? error.message : String(error));
    io.err.write(`dlcourse ${first}: ${message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
