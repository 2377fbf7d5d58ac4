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

/** Parses `--name value` / `--name=value` pairs; unknown options are usage errors. */
export function parseOptions(args: string[], known: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unexpected argument "${arg}"; options are ${known.map((k) => `--${k}`).join(", ")}`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (!known.includes(name)) throw new UsageError(`unknown option "--${name}"; options are ${known.map((k) => `--${k}`).join(", ")}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    options[name] = value;
  }
  return options;
}
