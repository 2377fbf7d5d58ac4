import { describe, expect, it } from "vitest";
import {
  CellError,
  compileCell,
  importSpecifiers,
  importUrls,
  importsOf,
  transpileCell,
  type CompileOptions,
} from "../../src/notebook/compile.js";

const options: CompileOptions = { id: "c1", path: "/lesson-1", resolveImport: (specifier) => "./_x/" + specifier };
const base = "http://127.0.0.1:1/dir/page.html";

/** The text of the body a built page defines for `source` (what page.ts reads from Framework's client). */
function builtBody(source: string): string {
  let body = "";
  new Function("define", transpileCell(source, options))(
    (definition: { body: Function }) => (body = String(definition.body)),
  );
  return body;
}

/** The CellError `source` throws, for its message, line and column. */
function errorOf(source: string): CellError {
  try {
    transpileCell(source, options);
  } catch (error) {
    if (error instanceof CellError) return error;
    throw error;
  }
  throw new Error(`no error compiling ${JSON.stringify(source)}`);
}

describe("transpileCell(source, options)", () => {
  it("makes top-level declarations outputs and free names inputs", () => {
    expect(transpileCell("const a = b + c;", options)).toBe(
      'define({id: "c1", inputs: ["b","c"], outputs: ["a"], body: (b,c) => {\nconst a = b + c;\nreturn {a};\n}});\n',
    );
  });

  it("gives an expression cell `display` as an input and displays its value", () => {
    expect(transpileCell("1 + x", options)).toBe(
      'define({id: "c1", inputs: ["x","display"], body: async (x,display) => {\ndisplay(await(\n1 + x\n))\n}});\n',
    );
  });

  it("does not display an expression that calls display or view itself", () => {
    expect(transpileCell("display(1)", options)).toBe(
      'define({id: "c1", inputs: ["display"], body: (display) => {\ndisplay(1)\n}});\n',
    );
    const viewCell = compileCell("const n = view(Inputs.range([0, 1]));", options);
    expect([viewCell.inputs, viewCell.outputs]).toEqual([["view", "Inputs"], ["n"]]);
  });

  it("rewrites imports into import() of resolveImport's URL", () => {
    const source = 'import {a} from "npm:d3";\nimport * as t from "./t.js";\nconst m = await import("./m.js");';
    expect(transpileCell(source, options)).toBe(
      'define({id: "c1", outputs: ["a","t","m"], body: async () => {\n' +
        'const [{a}, t] = await Promise.all([import("./_x/npm:d3"), import("./_x/./t.js")]);\n' +
        'const m = await import("./_x/./m.js");\n' +
        "return {a,t,m};\n}});\n",
    );
  });

  it("throws a CellError with the (line:column) of a syntax error", () => {
    const error = errorOf("const a = ;");
    expect(error).toBeInstanceOf(CellError);
    expect(error.name).toBe("CellError");
    expect(error.message).toBe("SyntaxError: Unexpected token (1:10)");
    expect([error.line, error.column]).toEqual([1, 10]);
    const second = errorOf("const a = 1;\n  a +* 2;");
    expect(second.message).toBe("SyntaxError: Unexpected token (2:5)");
    expect([second.line, second.column]).toEqual([2, 5]);
  });

  it("throws a CellError naming an input the cell assigns to", () => {
    const error = errorOf("const a = 1;\nb = a;");
    expect(error.message).toBe("SyntaxError: Assignment to external variable 'b' (2:0)");
    expect([error.line, error.column]).toEqual([2, 0]);
    expect(errorOf("width++").message).toBe("SyntaxError: Assignment to external variable 'width' (1:0)");
  });

  it("throws a CellError for an export, which a cell cannot have", () => {
    expect(errorOf("export const a = 1;").message).toBe("SyntaxError: Unexpected token 'export' (1:0)");
  });

  it("passes on resolveImport's own error", () => {
    const resolveImport = (specifier: string) => {
      throw new CellError(`cannot import ${specifier} here`);
    };
    expect(() => transpileCell('import {x} from "npm:left-pad";', { ...options, resolveImport })).toThrow(
      /^cannot import npm:left-pad here$/,
    );
  });
});

describe("compileCell(source, options)", () => {
  it("gives a definition whose body runs the cell", () => {
    const cell = compileCell("const x = y * 2;", options);
    expect({ ...cell, body: undefined }).toEqual({ id: "c1", inputs: ["y"], outputs: ["x"], body: undefined });
    expect(cell.body(21)).toEqual({ x: 42 });
  });

  it("gives an expression cell a body that displays the awaited value", async () => {
    const shown: unknown[] = [];
    const cell = compileCell("Promise.resolve(a + 1)", options);
    expect(cell.inputs).toEqual(["a", "display"]);
    await cell.body(41, (value: unknown) => shown.push(value));
    expect(shown).toEqual([42]);
  });
});

describe("importSpecifiers(source)", () => {
  it("lists import declarations first, then static import() sources, as the transpiler writes them", () => {
    const source = [
      'const m = await import("./m.js");',
      'import {a} from "npm:d3";',
      "const n = import(`./n${'.js'}`);", // a template with only string parts: static
      'const o = import("./o" + ".js");', // a concatenation of strings: static
      "const p = import(`./${a}.js`);", // not static: left as it is
      "const q = import(name);",
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["npm:d3", "./m.js", "./n.js", "./o.js"]);
  });

  it("throws Framework's SyntaxError for source that does not parse", () => {
    expect(() => importSpecifiers("import {")).toThrow(SyntaxError);
  });
});

describe("importUrls(body)", () => {
  it("lists the string sources of a body's import() calls, as Framework's isStringLiteral reads them", () => {
    const body =
      "async (name) => {\nawait import('./a.js');\nawait import(`./b${'.js'}`);\nawait import('./c' + '.js');\n" +
      "await import(`./${name}.js`);\nawait import('./d' + name);\nawait import(name);\n}";
    expect(importUrls(body)).toEqual(["./a.js", "./b.js", "./c.js"]);
  });

  it("reads a compiled body, whose imports are in declaration-then-expression order", () => {
    const body = builtBody('const m = await import("./m.js");\nimport {a} from "npm:d3";');
    expect(importUrls(body)).toEqual(["./_x/npm:d3", "./_x/./m.js"]);
  });
});

describe("importsOf(cells, base)", () => {
  const built = (source: string) => ({ source, body: builtBody(source) });

  it("maps each specifier to the absolute URL it was built to, against the page's address", () => {
    const cells = [
      built('const m = await import("./lib/m.js");\nimport {a} from "npm:d3";'),
      built("display(1)"),
      built('import * as tf from "@tensorflow/tfjs";\nconst w = import(`./w${".js"}`);'),
    ];
    expect(Object.fromEntries(importsOf(cells, base))).toEqual({
      "npm:d3": "http://127.0.0.1:1/dir/_x/npm:d3",
      "./lib/m.js": "http://127.0.0.1:1/dir/_x/lib/m.js",
      "@tensorflow/tfjs": "http://127.0.0.1:1/dir/_x/@tensorflow/tfjs",
      "./w.js": "http://127.0.0.1:1/dir/_x/w.js",
    });
  });

  it("skips a cell whose imports and body do not pair up, and one that does not parse", () => {
    const cells = [
      { source: 'import {a} from "./a.js";\nimport {b} from "./b.js";', body: builtBody('import {a} from "./a.js";') },
      { source: 'import {c} from "./c.js"; const', body: "() => import('./_x/c.js')" },
      built('import {d} from "./d.js";'),
    ];
    expect(Object.fromEntries(importsOf(cells, base))).toEqual({ "./d.js": "http://127.0.0.1:1/dir/_x/d.js" });
  });

  it("leaves a non-static import() out on both sides, so the rest still pair up", () => {
    const cells = [built('const x = await import(`./${name}.js`);\nimport {e} from "./e.js";')];
    expect(Object.fromEntries(importsOf(cells, base))).toEqual({ "./e.js": "http://127.0.0.1:1/dir/_x/e.js" });
  });
});
