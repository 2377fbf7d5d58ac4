/**
 * A markdown-it plugin for Framework's config (`markdownIt`) that shows each live ```js cell's code
 * above its output on notebook pages, as the page's own source: the text Framework compiled into the
 * cell, in `<pre class="nb-source">`, highlighted by Framework. A fence whose info has `fold`
 * (```js fold) is plumbing: its code sits folded under "show code". Each cell is wrapped in
 * `<div class="nb-cell" data-cell="ID">`, ID being Framework's cell id (the `<!--:ID:-->` root), so
 * the page can find, edit and redefine it (src/notebook/page.ts).
 */

/** The parts of markdown-it's token, renderer and instance this plugin uses. */
interface FenceToken {
  info: string;
  content: string;
}
type FenceRule = (tokens: FenceToken[], idx: number, options: unknown, env: FenceEnv, self: unknown) => string;
interface FenceEnv {
  path?: string;
  code?: { id: string }[];
}
export interface MarkdownItLike {
  renderer: { rules: { fence?: FenceRule } };
}

export interface NotebookFenceOptions {
  /** Page paths (as Framework names them: "/lesson-1") whose cells are shown and editable. */
  pages: readonly string[];
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);

/** The words of a fence's info string: ```js fold → ["js", "fold"]. */
export function fenceWords(info: string): string[] {
  return info.trim().split(/\s+/);
}

/** Wraps Framework's fence rule; returns `md` for markdown-it's `use` chaining. */
export function notebookFences<M extends MarkdownItLike>(md: M, { pages }: NotebookFenceOptions): M {
  const framework = md.renderer.rules.fence;
  if (!framework)
    throw new Error("notebookFences: markdown-it has no fence rule; use it in Framework's markdownIt option");
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const words = fenceWords(tokens[idx]!.info); // read before Framework rewrites the info to the tag
    const before = env.code?.length ?? 0;
    const html = framework(tokens, idx, options, env, self);
    if (words[0] !== "js" || !env.code || env.code.length === before || !pages.includes(env.path ?? "")) return html;
    const id = env.code[env.code.length - 1]!.id;
    const code = `<pre class="nb-source"><code class="language-js">${escapeHtml(tokens[idx]!.content)}</code></pre>`;
    const fold = words.includes("fold");
    const shown = fold ? `<details class="nb-fold"><summary>show code</summary>${code}</details>` : code;
    return `<div class="nb-cell" data-cell="${id}"${fold ? " data-fold" : ""}>${shown}\n${html}</div>\n`;
  };
  return md;
}
