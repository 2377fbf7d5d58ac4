/**
 * Compiles a cell's source in the page with Framework's own parser and transpiler, the same calls
 * `observable build` makes: top-level declarations become outputs, free names inputs (`display`,
 * `view`, `invalidation`, `width`, `Mutable`, `FileAttachment`, … come from Framework's runtime
 * library), an expression cell displays its value, imports become dynamic `import()` of the URLs
 * this page already loads. Runs in the browser (bundled by scripts/notebook-editor.ts) and in Node.
 */
import { Parser } from "acorn";
import { simple } from "acorn-walk";
import { parseJavaScript } from "@observablehq/framework/dist/javascript/parse.js";
import { getStringLiteralValue, isStringLiteral } from "@observablehq/framework/dist/javascript/source.js";
import { transpileJavaScript } from "@observablehq/framework/dist/javascript/transpile.js";

/** What Framework's client `define` takes. */
export interface CellDefinition {
  id: string;
  inputs?: string[];
  outputs?: string[];
  mode?: string;
  body: (...inputs: unknown[]) => unknown;
}

/** A cell that cannot be compiled; `line` and `column` (1-based, 0-based as acorn) when known. */
export class CellError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "CellError";
  }
}

export interface CompileOptions {
  /** The cell's id: Framework's, or a new one for an added cell. */
  id: string;
  /** The page's path as Framework names it ("/lesson-1"); FileAttachment names resolve against it. */
  path: string;
  /** The URL a specifier resolves to; throws a CellError for one the page cannot load. */
  resolveImport: (specifier: string) => string;
}

const LINE_COLUMN = /\((\d+):(\d+)\)$/;

/** Framework's parse and transpile of `source` into the text `define({id, inputs, outputs, body})`. */
export function transpileCell(source: string, { id, path, resolveImport }: CompileOptions): string {
  let node;
  try {
    node = parseJavaScript(source, { path });
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const [, line, column] = LINE_COLUMN.exec(error.message) ?? [];
    throw new CellError(
      `SyntaxError: ${error.message}`,
      line ? Number(line) : undefined,
      column ? Number(column) : undefined,
    );
  }
  return transpileJavaScript(node, { id, path, resolveImport });
}

/**
 * Compiles `source` into a definition for Framework's `define`. Throws CellError on a mistake. An
 * error the body throws gets the source line it came from appended to its message (" (line 3)").
 */
export function compileCell(source: string, options: CompileOptions): CellDefinition {
  const code = transpileCell(source, options);
  const file = `dlcourse-cell-${options.id}.js`;
  let cell: CellDefinition | undefined;
  new Function("define", `${code}\n//# sourceURL=${file}`)((definition: CellDefinition) => (cell = definition));
  return { ...cell!, body: withLines(cell!.body, file, code, source) };
}

const located = new WeakSet<Error>();

/**
 * `body`, with errors it throws (or rejects with) told the line of `source` they came from, found
 * from the stack's place in `file` (the compiled `code`): the source line with the same text nearest
 * to it. A generator's later errors and errors with no such frame are left as they are.
 */
function withLines(body: CellDefinition["body"], file: string, code: string, source: string): CellDefinition["body"] {
  const compiled = code.split("\n");
  const lines = source.split("\n");
  const frame = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):\\d+`);
  const locate = (error: unknown) => {
    if (!(error instanceof Error) || located.has(error)) return error;
    located.add(error);
    const match = frame.exec(error.stack ?? "");
    // V8 puts two lines, "(function anonymous(define" and ") {", before a Function's code
    const at = match ? Number(match[1]) - 3 : -1;
    const text = compiled[at];
    if (text === undefined) return error;
    let best = -1;
    lines.forEach((line, i) => {
      if (line === text && (best < 0 || Math.abs(i + 1 - at) < Math.abs(best + 1 - at))) best = i;
    });
    if (best >= 0) error.message += ` (line ${best + 1})`;
    return error;
  };
  return function (this: unknown, ...inputs: unknown[]) {
    try {
      const value = body.apply(this, inputs);
      return value instanceof Promise ? value.catch((error) => Promise.reject(locate(error))) : value;
    } catch (error) {
      throw locate(error);
    }
  };
}

/** A page's cell: its source (as shown) and the body Framework compiled it into. */
export interface BuiltCell {
  source: string;
  body: string;
}

/**
 * What each import specifier in the page's cells resolved to at build, as absolute URLs against
 * `base` (the page's address). Framework's transpiler writes a cell's import declarations first, in
 * order, then its `import()` expressions in source order; a cell whose counts do not match is skipped.
 */
export function importsOf(cells: Iterable<BuiltCell>, base: string): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const { source, body } of cells) {
    let specifiers: string[];
    try {
      specifiers = importSpecifiers(source);
    } catch {
      continue;
    }
    const urls = importUrls(body);
    if (urls.length !== specifiers.length) continue;
    specifiers.forEach((specifier, i) => resolved.set(specifier, new URL(urls[i]!, base).href));
  }
  return resolved;
}

/** A string source as Framework's transpiler reads it (it rewrites only these). */
function stringLiteral(node: any): string | undefined {
  return node && isStringLiteral(node) ? getStringLiteralValue(node) : undefined;
}

/** A cell's import declarations' sources, then its `import("…")` expressions', as transpiled. */
export function importSpecifiers(source: string): string[] {
  const node = parseJavaScript(source, { path: "/" });
  const declarations: string[] = [];
  const expressions: string[] = [];
  simple(node.body, {
    ImportDeclaration(n: any) {
      const value = stringLiteral(n.source);
      if (value !== undefined) declarations.push(value);
    },
    ImportExpression(n: any) {
      const value = stringLiteral(n.source);
      if (value !== undefined) expressions.push(value);
    },
  });
  return [...declarations, ...expressions];
}

/** The string sources of every `import()` in a compiled body, in order. */
export function importUrls(body: string): string[] {
  const urls: string[] = [];
  const program = Parser.parse(`(${body})`, { ecmaVersion: "latest", sourceType: "module" });
  simple(program, {
    ImportExpression(n: any) {
      const value = stringLiteral(n.source);
      if (value !== undefined) urls.push(value);
    },
  });
  return urls;
}
