// Framework's cell parser and transpiler, used by src/notebook/compile.ts (Framework ships no types).
declare module "@observablehq/framework/dist/javascript/parse.js" {
  /** Framework's parse of a cell (acorn): declarations, references, imports, files, expression, async. */
  export function parseJavaScript(input: string, options: { path: string; inline?: boolean }): any;
}

declare module "@observablehq/framework/dist/javascript/transpile.js" {
  /** Framework's transpile of a parsed cell into `define({id, inputs, outputs, body})` text. */
  export function transpileJavaScript(
    node: any,
    options: {
      id: string;
      path: string;
      mode?: string;
      resolveImport?: (specifier: string) => string;
      resolveFile?: (name: string) => string;
    },
  ): string;
}

declare module "@observablehq/framework/dist/javascript/source.js" {
  /** Whether an acorn node is a string Framework can read statically (literal, template, concatenation). */
  export function isStringLiteral(node: any): boolean;
  export function getStringLiteralValue(node: any): string;
}
