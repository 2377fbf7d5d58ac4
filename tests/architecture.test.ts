// The parts of src/ and which way their imports point: the table below mirrors docs/architecture.md.
// A wrong-way import fails here with the file, the import and the rule it breaks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SRC = join(ROOT, "src");

/**
 * The parts each part of src/ may import (besides itself), lowest layer first. A part is a folder of
 * src/, or a top-level file (index.ts: the library entry; pages.ts: the lesson pages' entry).
 */
const ALLOWED: Record<string, readonly string[]> = {
  random: [],
  kernels: [],
  notebook: [],
  backend: ["kernels"],
  data: ["random"],
  draw: ["random", "data"],
  train: ["random", "data"],
  teach: ["random", "train"],
  export: ["random", "data"],
  model: ["random", "kernels", "data", "draw", "train", "export"],
  interpret: ["random", "data", "train", "export", "model"],
  viz: ["random", "data", "train", "teach", "export", "model", "interpret"],
  index: ["random", "kernels", "backend", "data", "draw", "train", "teach", "export", "model", "interpret"],
  browser: ["index", "random", "backend", "data", "train", "export", "model", "interpret"],
  node: ["index", "random", "backend", "data", "draw", "export", "model"],
  pages: ["index", "browser", "viz"],
  cli: ["random", "backend", "data", "draw", "train", "export", "model", "interpret", "node"],
};

/** Parts a page must never load: Node-only code and the notebook's build-time and editor machinery. */
const NOT_IN_PAGES = ["node", "cli", "notebook"];

/** The relative module specifiers `source` imports: `import`, `import type`, `export … from`, bare `import "…"`, `import(…)`. */
function relativeImports(source: string): string[] {
  // TypeScript's own pre-processor: it skips comments and strings, and sees type-only imports too
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith("."));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(m?[tj]s)$/.test(name) ? [path] : [];
  });
}

/** The part of src/ that `path` (absolute, inside src/) belongs to. */
function partOf(path: string): string {
  const segments = relative(SRC, path).split(sep);
  return segments.length > 1 ? segments[0]! : segments[0]!.replace(/(\.d)?\.m?[tj]s$/, "");
}

interface Edge {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

/** Every import from one part of src/ into another (or out of src/: `to` is then null). */
function crossImports(): { edge: Edge; outside: boolean }[] {
  return sourceFiles(SRC).flatMap((path) => {
    const file = relative(ROOT, path).split(sep).join("/");
    return relativeImports(readFileSync(path, "utf8")).flatMap((specifier) => {
      const target = resolve(dirname(path), specifier);
      const outside = !target.startsWith(SRC + sep);
      const edge = { file, specifier, from: partOf(path), to: outside ? "" : partOf(target) };
      return outside || edge.from !== edge.to ? [{ edge, outside }] : [];
    });
  });
}

/** Loops of a directed graph, each as its nodes in order, first node repeated at the end (none: no loop). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) return void found.push([...path.slice(at), node]);
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return found;
}

function graphOf(edges: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

describe("relativeImports(source)", () => {
  it("finds every form of relative import, and none in comments or strings", () => {
    const source = [
      'import * as tf from "@tensorflow/tfjs";',
      'import { a } from "./a.js";',
      'import type { B } from "../b/b.js";',
      'export * from "../c.js";',
      'export { d, type D } from "./d.js";',
      'export type { E } from "../e.js";',
      'import "./side-effect.js";',
      'const f = await import("../f.js");',
      'type G = typeof import("./g.js");',
      "import {\n  h,\n  i,\n} from '../h.js';",
      '// import { x } from "../commented.js";',
      '/* export * from "../block.js"; */',
      'const text = "import { y } from \\"../in-a-string.js\\"";',
    ].join("\n");
    expect(relativeImports(source)).toEqual([
      "./a.js",
      "../b/b.js",
      "../c.js",
      "./d.js",
      "../e.js",
      "./side-effect.js",
      "../f.js",
      "./g.js",
      "../h.js",
    ]);
  });
});

describe("src/ architecture (docs/architecture.md)", () => {
  const imports = crossImports();
  const edges = imports.filter((i) => !i.outside).map((i) => i.edge);

  it("has every part in the table, and the table only parts that exist", () => {
    const parts = new Set(sourceFiles(SRC).map(partOf));
    expect([...parts].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it("names every part in docs/architecture.md", () => {
    const doc = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
    const missing = Object.keys(ALLOWED).filter(
      (part) => !doc.includes(`\`${part}/\``) && !doc.includes(`\`${part}.ts\``),
    );
    expect(missing, "parts docs/architecture.md does not name (as `part/` or `part.ts`)").toEqual([]);
  });

  it("allows arrows that point one way (the table has no loop)", () => {
    const table = new Map(Object.entries(ALLOWED).map(([part, allowed]) => [part, new Set(allowed)]));
    expect(cycles(table).map((loop) => loop.join(" -> "))).toEqual([]);
  });

  it("imports nothing outside src/", () => {
    const outside = imports
      .filter((i) => i.outside)
      .map(({ edge }) => `${edge.file} imports "${edge.specifier}", outside src/`);
    expect(outside).toEqual([]);
  });

  it("has each part import only the parts the table allows", () => {
    const wrong = edges
      .filter(({ from, to }) => !(ALLOWED[from] ?? []).includes(to))
      .map(({ file, specifier, from, to }) => {
        const allowed = ALLOWED[from]?.length ? ALLOWED[from].join(", ") : "no other part";
        return `${file} imports "${specifier}" (${to}), but ${from} may import only ${allowed} (see docs/architecture.md)`;
      });
    expect(wrong).toEqual([]);
  });

  it("has no import cycle between parts", () => {
    const example = (from: string, to: string) => edges.find((e) => e.from === from && e.to === to)!.file;
    const loops = cycles(graphOf(edges)).map((loop) =>
      loop
        .slice(1)
        .map((to, i) => `${loop[i]} -> ${to} (${example(loop[i]!, to)})`)
        .join(", "),
    );
    expect(loops).toEqual([]);
  });

  it("keeps Node-only and notebook parts out of what pages.ts loads", () => {
    const graph = graphOf(edges);
    const reached = new Set<string>();
    const visit = (part: string) => {
      if (reached.has(part)) return;
      reached.add(part);
      for (const next of graph.get(part) ?? []) visit(next);
    };
    visit("pages");
    expect([...reached].filter((part) => NOT_IN_PAGES.includes(part))).toEqual([]);
  });
});

describe("lesson pages", () => {
  // Lessons import the one entry; the app, the home page and the components, which draw no charts,
  // may import the browser entry and single viz modules that load neither Plot nor d3 (0.5 MB less).
  const LIGHT = /\/lib\/(pages|browser\/index|viz\/[\w-]+)\.js$/;
  const chartFree = (specifier: string) => {
    const viz = /\/lib\/viz\/([\w-]+)\.js$/.exec(specifier);
    return (
      !viz || !/from "(@observablehq\/plot|d3)"/.test(readFileSync(join(ROOT, "src", "viz", `${viz[1]}.ts`), "utf8"))
    );
  };

  it("import the library through ./lib/pages.js; the app, the home page and components through light entries", () => {
    const lessons = join(ROOT, "lessons");
    const files = [
      ...readdirSync(lessons).filter((f) => f.endsWith(".md")),
      ...readdirSync(join(lessons, "components"))
        .filter((f) => f.endsWith(".js"))
        .map((f) => `components/${f}`),
    ];
    const wrong = files.flatMap((file) => {
      const text = readFileSync(join(lessons, file), "utf8");
      const specifiers = [...text.matchAll(/(?:from\s*|import\s*\(?\s*)["']((?:\.\.?\/)+lib\/[^"']+)["']/g)].map(
        (m) => m[1]!,
      );
      const ok = (s: string) =>
        file.startsWith("lesson-")
          ? /\/lib\/pages\.js$/.test(s)
          : file === "components/notebook.js"
            ? /\/lib\/notebook\/page\.js$/.test(s)
            : LIGHT.test(s) && chartFree(s);
      return specifiers
        .filter((s) => !ok(s))
        .map((s) => `lessons/${file} imports "${s}"; lessons import "./lib/pages.js", other pages a light entry`);
    });
    expect(wrong).toEqual([]);
  });
});
