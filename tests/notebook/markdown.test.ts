import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMarkdownIt, parseMarkdown } from "@observablehq/framework/dist/markdown.js";
import { transpileCell } from "../../src/notebook/compile.js";
import { findFences, spliceMarkdown } from "../../src/notebook/markdown.js";

/** The sources of a page's ```js cells as Framework's own parser reads them (inline `${…}` cells left out). */
const blockCells = (markdown: string, path = "/p") =>
  parseMarkdown(markdown, { md: createMarkdownIt(), path }).code.filter((c) => c.mode === "block");
const sourcesOf = (markdown: string) => blockCells(markdown).map((c) => c.node.input);

const page = [
  "---",
  "title: A page",
  "---",
  "",
  "# A page",
  "",
  "Intro with `code` and ${1 + 1}.",
  "",
  "```js fold",
  'import {f} from "./f.js";',
  "```",
  "",
  "```js",
  "const a = f(1);",
  "```",
  "",
  "```txt",
  "display(a)",
  "```",
  "",
  "```js",
  "display(a)",
  "```",
  "",
  "Between.",
  "",
  "```js",
  "display(a)",
  "```",
  "",
  "End.",
  "",
].join("\n");

// The page's cells as the notebook has them: Framework's ids, each cell's original source and (unless edited) text.
const fold = { id: "fold", original: 'import {f} from "./f.js";\n', text: 'import {f} from "./f.js";\n' };
const a = { id: "a", original: "const a = f(1);\n", text: "const a = f(1);\n" };
const first = { id: "d1", original: "display(a)\n", text: "display(a)\n" };
const second = { id: "d2", original: "display(a)\n", text: "display(a)\n" };
const cells = [fold, a, first, second];

describe("findFences(lines)", () => {
  it("gives each fence's lines, trimmed info and content ending in a newline", () => {
    expect(findFences(page.split("\n"))).toEqual([
      { open: 8, close: 10, info: "js fold", content: 'import {f} from "./f.js";\n' },
      { open: 12, close: 14, info: "js", content: "const a = f(1);\n" },
      { open: 16, close: 18, info: "txt", content: "display(a)\n" },
      { open: 20, close: 22, info: "js", content: "display(a)\n" },
      { open: 26, close: 28, info: "js", content: "display(a)\n" },
    ]);
  });

  it("reads tilde, indented, longer and unclosed fences as markdown-it does", () => {
    const lines = [
      "~~~js", // tilde fence, closed by ~~~~ (a longer closing marker)
      "/*",
      "```", // not a close: a backtick line inside a tilde fence
      "*/",
      "~~~~",
      "  ```js", // indented 2: its content loses up to 2 leading spaces
      "  const b = 1;",
      "      c;",
      " d;",
      "  ```",
      "````js",
      "/*",
      "```", // a shorter marker does not close a 4-backtick fence
      "*/",
      "````",
      "``` not`a fence", // an info string with a backtick is not a backtick fence
      "```js",
      "unclosed",
    ];
    expect(findFences(lines)).toEqual([
      { open: 0, close: 4, info: "js", content: "/*\n```\n*/\n" },
      { open: 5, close: 9, info: "js", content: "const b = 1;\n    c;\nd;\n" },
      { open: 10, close: 14, info: "js", content: "/*\n```\n*/\n" },
      { open: 16, close: 18, info: "js", content: "unclosed\n" },
    ]);
    // the closed ones as Framework reads them (for markdown-it, the unclosed one here has no final newline)
    expect(
      findFences(lines)
        .map((f) => f.content)
        .slice(0, 3),
    ).toEqual(sourcesOf(lines.slice(0, 15).join("\n")));
  });

  // An unclosed last fence runs to the end of the page; the newline ending the page is not a blank line of the cell.
  // (Read as "const a = 1;\n\n", spliceMarkdown cannot match the cell and appends the edit inside the open fence.)
  it("reads an unclosed last fence's content as markdown-it does, when the page ends in a newline", () => {
    const markdown = "# U\n\n```js\nconst a = 1;\n";
    expect(sourcesOf(markdown)).toEqual(["const a = 1;\n"]);
    expect(findFences(markdown.split("\n"))).toEqual([{ open: 2, close: 5, info: "js", content: "const a = 1;\n" }]);
  });
});

describe("spliceMarkdown(markdown, cells, added)", () => {
  it("returns the page byte-identical when nothing is edited or added", () => {
    expect(spliceMarkdown(page, cells)).toBe(page);
    expect(spliceMarkdown(page, cells, [])).toBe(page);
    expect(spliceMarkdown(page, [])).toBe(page);
  });

  it("puts an edited cell's text in its fence and leaves the rest byte-identical", () => {
    const out = spliceMarkdown(page, [fold, { ...a, text: "const a = f(2);\nconst b = a + 1;" }, first, second]);
    expect(out).toBe(page.replace("```js\nconst a = f(1);\n```", "```js\nconst a = f(2);\nconst b = a + 1;\n```"));
  });

  it("keeps the fence's info (```js fold)", () => {
    const out = spliceMarkdown(page, [{ ...fold, text: 'import {g as f} from "./g.js";\n' }, a, first, second]);
    expect(out).toBe(
      page.replace('```js fold\nimport {f} from "./f.js";\n```', '```js fold\nimport {g as f} from "./g.js";\n```'),
    );
  });

  it("matches cells with the same original source to their fences in order, skipping non-js fences", () => {
    // the ```txt fence holds the same text as d1 and d2 but is not a cell
    const lines = page.split("\n");
    const onlySecond = spliceMarkdown(page, [fold, a, first, { ...second, text: "display(a + 1)" }]).split("\n");
    expect(onlySecond).toEqual([...lines.slice(0, 27), "display(a + 1)", ...lines.slice(28)]);
    const onlyFirst = spliceMarkdown(page, [fold, a, { ...first, text: "display(a + 1)" }, second]).split("\n");
    expect(onlyFirst).toEqual([...lines.slice(0, 21), "display(a + 1)", ...lines.slice(22)]);
  });

  it("inserts added cells after the fence of the cell they follow, in order", () => {
    const out = spliceMarkdown(page, cells, [
      { after: "a", text: "a * 2" },
      { after: "fold", text: "f(0)\n" },
      { after: "a", text: "a * 3" },
    ]);
    const expected = page
      .replace(
        "```js\nconst a = f(1);\n```\n",
        "```js\nconst a = f(1);\n```\n\n```js\na * 2\n```\n\n```js\na * 3\n```\n",
      )
      .replace('import {f} from "./f.js";\n```\n', 'import {f} from "./f.js";\n```\n\n```js\nf(0)\n```\n');
    expect(out).toBe(expected);
    expect(sourcesOf(out)).toEqual([
      fold.original,
      "f(0)\n",
      a.original,
      "a * 2\n",
      "a * 3\n",
      "display(a)\n",
      "display(a)\n",
    ]);
  });

  it("inserts added cells after the edited text of the cell they follow", () => {
    const out = spliceMarkdown(
      page,
      [fold, a, first, { ...second, text: "display(-a)\n" }],
      [{ after: "d2", text: "a" }],
    );
    expect(out).toBe(
      page.replace("Between.\n\n```js\ndisplay(a)\n```\n", "Between.\n\n```js\ndisplay(-a)\n```\n\n```js\na\n```\n"),
    );
  });

  it("appends an edit whose original is not on the page, and a cell added after an unknown cell, at the end", () => {
    const gone = { id: "gone", original: "const old = 1;\n", text: "const old = 2;\n" };
    const out = spliceMarkdown(page, [gone, ...cells], [{ after: "nowhere", text: "old" }]);
    expect(out).toBe(page + "\n\n```js\nconst old = 2;\n```\n\n```js\nold\n```");
    // an unedited cell that is not on the page adds nothing
    expect(spliceMarkdown(page, [{ ...gone, text: gone.original }, ...cells])).toBe(page);
  });

  it("gives text with a line starting with ``` a longer fence, so the page still parses to the same text", () => {
    const text = "/* a fenced example:\n```js\nx\n```\n\n  ````\n*/\nconst a = f(3);";
    const out = spliceMarkdown(page, [fold, { ...a, text }, first, second]);
    expect(out).toBe(page.replace("```js\nconst a = f(1);\n```", "`````js\n" + text + "\n`````"));
    expect(sourcesOf(out)).toEqual([fold.original, text + "\n", "display(a)\n", "display(a)\n"]);
  });

  it("puts the edit of an empty ```js fence in that fence", () => {
    const empty = "# E\n\n```js\n```\n\nAfter.\n";
    expect(sourcesOf(empty)).toEqual([""]); // Framework reads the empty fence as a cell whose source is ""
    expect(spliceMarkdown(empty, [{ id: "e", original: "", text: "1 + 1" }])).toBe(
      "# E\n\n```js\n1 + 1\n```\n\nAfter.\n",
    );
  });

  it("finds the fences of a page with CRLF line endings", () => {
    const crlf = "# C\r\n\r\n```js\r\nconst a = 1;\r\n```\r\n\r\n```js\r\na\r\n```\r\n";
    expect(sourcesOf(crlf)).toEqual(["const a = 1;\n", "a\n"]); // markdown-it reads CRLF as LF
    const out = spliceMarkdown(crlf, [
      { id: "c1", original: "const a = 1;\n", text: "const a = 2;\n" },
      { id: "c2", original: "a\n", text: "a\n" },
    ]);
    // the edit replaces the cell: no second definition of `a` for Framework to reject
    expect(sourcesOf(out)).toEqual(["const a = 2;\n", "a\n"]);
  });
});

describe("spliceMarkdown on lessons/lesson-1.md (the downloaded page builds and runs under npm run dev)", () => {
  const original = readFileSync(new URL("../../lessons/lesson-1.md", import.meta.url), "utf8");
  const before = blockCells(original, "/lesson-1");
  const target = before.find((c) => c.node.input.includes("fineTune("))!;
  const editedSource = target.node.input.replace("fineTune(epochs,", "fineTune(1,");
  const addedSource = "display(training.epochs.map((e) => e.validLoss))";
  const downloaded = spliceMarkdown(
    original,
    before.map((c) => ({ id: c.id, original: c.node.input, text: c === target ? editedSource : c.node.input })),
    [{ after: target.id, text: addedSource }],
  );
  const after = parseMarkdown(downloaded, { md: createMarkdownIt(), path: "/lesson-1" });

  it("edits the first fineTune cell, and nothing else byte for byte", () => {
    expect(editedSource).not.toBe(target.node.input);
    const fence = "```js\n" + target.node.input + "```\n";
    expect(original.split(fence)).toHaveLength(2);
    expect(downloaded).toBe(
      original.replace(fence, "```js\n" + editedSource + "```\n\n```js\n" + addedSource + "\n```\n"),
    );
  });

  it("keeps the front matter and every line of text outside the changed cell", () => {
    const frontMatter = /^---\n[\s\S]*?\n---\n/.exec(original)![0];
    expect(downloaded.startsWith(frontMatter)).toBe(true);
    expect(after.data).toEqual(parseMarkdown(original, { md: createMarkdownIt(), path: "/lesson-1" }).data);
    const prose = (markdown: string) => markdown.split("\n").filter((line) => !/^```/.test(line) && line.trim() !== "");
    const code = new Set([...editedSource.split("\n"), addedSource, ...target.node.input.split("\n")]);
    expect(prose(downloaded).filter((line) => !code.has(line))).toEqual(
      prose(original).filter((line) => !code.has(line)),
    );
  });

  it("parses with Framework to one more cell, the edit once, and every other cell as it was, in order", () => {
    const sources = after.code.filter((c) => c.mode === "block").map((c) => c.node.input);
    expect(after.code).toHaveLength(
      parseMarkdown(original, { md: createMarkdownIt(), path: "/lesson-1" }).code.length + 1,
    );
    expect(sources).toHaveLength(before.length + 1);
    expect(sources.filter((s) => s === editedSource)).toHaveLength(1);
    const at = sources.indexOf(editedSource);
    expect(at).toBe(before.indexOf(target));
    expect(sources[at + 1]).toBe(addedSource + "\n");
    expect([...sources.slice(0, at), ...sources.slice(at + 2)]).toEqual(
      before.filter((c) => c !== target).map((c) => c.node.input),
    );
  });

  it("compiles every cell of the downloaded page with Framework's transpiler", () => {
    const resolveImport = (specifier: string) => specifier;
    for (const { id, node } of after.code) {
      expect(() => transpileCell(node.input, { id, path: "/lesson-1", resolveImport }), node.input).not.toThrow();
    }
    const edited = after.code.find((c) => c.node.input === editedSource)!;
    expect(transpileCell(edited.node.input, { id: edited.id, path: "/lesson-1", resolveImport })).toContain(
      "await learn.fineTune(1, {baseLr",
    );
  });
});
