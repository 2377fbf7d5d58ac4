import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMarkdownIt, parseMarkdown } from "@observablehq/framework/dist/markdown.js";
import { fenceWords, notebookFences, type MarkdownItLike } from "../../src/notebook/fences.js";

/** Renders `markdown` as page `path` the way `observable build` does with the site's config (notebook pages: /p). */
const render = (markdown: string, path = "/p") =>
  parseMarkdown(markdown, {
    md: createMarkdownIt({ markdownIt: (md) => notebookFences(md, { pages: ["/p"] }) }),
    path,
  });
const plain = (markdown: string, path = "/p") => parseMarkdown(markdown, { md: createMarkdownIt(), path });

const unescape = (html: string) =>
  html.replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[name]!,
  );

/** Each nb-cell's id, fold flag and shown code, in page order. */
function notebookCells(body: string) {
  const cell =
    /<div class="nb-cell" data-cell="([^"]+)"( data-fold)?>(<details class="nb-fold"><summary>show code<\/summary>)?<pre class="nb-source"><code class="language-js">([\s\S]*?)<\/code><\/pre>(<\/details>)?\n/g;
  return [...body.matchAll(cell)].map(([, id, fold, details, code, closeDetails]) => {
    expect(Boolean(details)).toBe(Boolean(closeDetails));
    return { id, fold: Boolean(fold), details: Boolean(details), code: unescape(code!) };
  });
}

const page = [
  "# P",
  "",
  "```js",
  "const a = 1 < 2 && b > 0;",
  "```",
  "",
  "Inline ${a}.",
  "",
  "```js fold",
  'import {f} from "./f.js";',
  "```",
  "",
  "```txt",
  "const t = 1;",
  "```",
  "",
  "```js run=false",
  "const r = 1;",
  "```",
  "",
  "```js",
  'display(html`<b title="x">${"&amp;"}</b>`)',
  "```",
  "",
].join("\n");

describe("notebookFences(md, {pages})", () => {
  it("wraps each live ```js cell in an nb-cell with Framework's id and the cell's exact source", () => {
    const { body, code } = render(page);
    const blocks = code.filter((c) => c.mode === "block");
    expect(blocks.map((c) => c.node.input)).toEqual([
      "const a = 1 < 2 && b > 0;\n",
      'import {f} from "./f.js";\n',
      'display(html`<b title="x">${"&amp;"}</b>`)\n',
    ]);
    const cells = notebookCells(body);
    expect(cells.map((c) => c.id)).toEqual(blocks.map((c) => c.id));
    expect(cells.map((c) => c.code)).toEqual(blocks.map((c) => c.node.input));
    // each wrapper holds the cell's own output root, and nothing else is wrapped
    for (const { id } of cells)
      expect(body).toMatch(
        new RegExp(
          `data-cell="${id}"[^]*?<div class="observablehq observablehq--block">(<observablehq-loading></observablehq-loading>)?<!--:${id}:--></div>\n</div>\n`,
        ),
      );
    expect(body.match(/class="nb-cell"/g)).toHaveLength(3);
  });

  it('puts a ```js fold cell\'s code in a closed <details class="nb-fold"> and marks the cell data-fold', () => {
    const cells = notebookCells(render(page).body);
    expect(cells.map((c) => [c.fold, c.details])).toEqual([
      [false, false],
      [true, true],
      [false, false],
    ]);
    expect(render(page).body).toContain('<details class="nb-fold"><summary>show code</summary>');
  });

  it("escapes HTML in the shown code", () => {
    const { body } = render(page);
    expect(body).toContain('<code class="language-js">const a = 1 &lt; 2 &amp;&amp; b &gt; 0;\n</code>');
    expect(body).toContain(
      '<code class="language-js">display(html`&lt;b title=&quot;x&quot;&gt;${&quot;&amp;amp;&quot;}&lt;/b&gt;`)\n</code>',
    );
  });

  it("leaves other fences, ```js run=false and inline cells as Framework renders them", () => {
    const with_ = render(page).body;
    const without = plain(page).body;
    for (const html of [
      '<pre><code class="language-txt">const t = 1;\n</code></pre>\n',
      '<pre><code class="language-js">const r = 1;\n</code></pre>\n',
      "<p>Inline <observablehq-loading></observablehq-loading><!--:",
    ]) {
      expect(without).toContain(html);
      expect(with_).toContain(html);
    }
  });

  it("changes nothing on a page not in pages", () => {
    const other = render(page, "/other");
    expect(other.body).toBe(plain(page, "/other").body);
    expect(other.body).not.toContain("nb-cell");
    expect(other.code.map((c) => c.id)).toEqual(plain(page, "/other").code.map((c) => c.id));
  });

  it("throws when markdown-it has no fence rule to wrap", () => {
    const bare: MarkdownItLike = { renderer: { rules: {} } };
    expect(() => notebookFences(bare, { pages: ["/p"] })).toThrow(
      /^notebookFences: markdown-it has no fence rule; use it in Framework's markdownIt option$/,
    );
  });

  it("makes every block cell of lessons/lesson-1.md a notebook cell showing its source", () => {
    const markdown = readFileSync(new URL("../../lessons/lesson-1.md", import.meta.url), "utf8");
    const { body, code } = render(markdown, "/p");
    const blocks = code.filter((c) => c.mode === "block");
    expect(blocks.length).toBeGreaterThan(40);
    const cells = notebookCells(body);
    expect(cells.map((c) => [c.id, c.code])).toEqual(blocks.map((c) => [c.id, c.node.input]));
    expect(cells.filter((c) => c.fold).length).toBe(
      markdown.split("\n").filter((line) => /^```js fold\s*$/.test(line)).length,
    );
  });
});

describe("fenceWords(info)", () => {
  it("splits a fence's info string into words", () => {
    expect(fenceWords("js fold")).toEqual(["js", "fold"]);
    expect(fenceWords("  js   run=false ")).toEqual(["js", "run=false"]);
  });
});
