import { DataError } from "../data/dataset.js";

/** Where a command writes: stdout and stderr, or buffers in tests. */
export interface Io {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

export interface Command {
  summary: string;
  usage: string;
  /** Resolves to the exit code. Throws UsageError for bad arguments (exit 2). */
  run(args: string[], io: Io): Promise<number>;
}

/** Bad arguments: the message names the option, the bad value and the fix. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses `--name value` / `--name=value` pairs, and `flags` (`--name` alone, recorded as "true");
 * unknown options are usage errors.
 */
export function parseOptions(
  args: string[],
  known: readonly string[],
  flags: readonly string[] = [],
): Record<string, string> {
  const options: Record<string, string> = {};
  const all = [...known, ...flags].map((k) => `--${k}`).join(", ");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unexpected argument "${arg}"; options are ${all}`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (flags.includes(name) && inline === undefined) {
      options[name] = "true";
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`unknown option "--${name}"; options are ${all}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    options[name] = value;
  }
  return options;
}

/**
 * The number in `options[name]`, or `fallback` when absent; a non-number is a usage error naming
 * the option. `integer` also rejects fractions.
 */
export function numberOption(
  options: Record<string, string>,
  name: string,
  fallback: number,
  { integer = false } = {},
): number {
  const text = options[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`invalid --${name}: "${text}"; use ${integer ? "an integer" : "a number"}, e.g. ${fallback}`);
  }
  return value;
}

/** `--backend`: wasm (the default) or cpu; anything else is a usage error. */
export function backendOption(options: Record<string, string>): "wasm" | "cpu" {
  const backend = options.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "cpu")
    throw new UsageError(`invalid --backend: "${backend}"; use --backend wasm or --backend cpu`);
  return backend;
}

/** Starts tfjs on `backend` in Node for `task`, or fails saying why and suggesting cpu. */
export async function startBackend(backend: "wasm" | "cpu", task: "train" | "infer"): Promise<{ backend: string }> {
  const { initNodeBackend } = await import("../node/backend.js");
  const choice = await initNodeBackend({ task, order: [backend] });
  if (choice.backend !== backend)
    throw new Error(
      `could not start the ${backend} backend (${choice.attempts.map((a) => a.reason).join("; ")}); try --backend cpu`,
    );
  return choice;
}

/** Turns a library error about a setting (`invalid perClass: 0; …`) into one about its option (`invalid --per-class: 0; …`). */
export function asUsageError(error: unknown, optionNames: Record<string, string>): unknown {
  if (!(error instanceof Error)) return error;
  const match = /^invalid (\w+):/.exec(error.message);
  const option = match && optionNames[match[1]!];
  return option ? new UsageError(error.message.replace(/^invalid \w+:/, `invalid --${option}:`)) : error;
}

/**
 * A `DataError` from loading or splitting folder `dir` as a usage error: the split's `validPct` names
 * its option; other messages name the folder (folder-level ones already do). Other errors come back as they are.
 */
export function dataUsageError(error: unknown, dir: string): unknown {
  if (!(error instanceof DataError)) return error;
  if (/^invalid validPct:/.test(error.message))
    return new UsageError(error.message.replace(/^invalid validPct:/, "invalid --valid-pct:"));
  return new UsageError(error.message.includes(dir) ? error.message : `${dir}: ${error.message}`);
}
