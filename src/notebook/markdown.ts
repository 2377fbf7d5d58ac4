/**
 * The page's Markdown with the learner's edits in it, for "Download .md": each edited cell's fence
 * gets its new text, and each added cell becomes a new ```js fence after the cell it follows. The
 * result is a Framework page that `npm run dev` in a clone runs as it is.
 */

/** A page cell: its original source (as Framework read it from the fence) and its text now. */
export interface SplicedCell {
  id: string;
  original: string;
  text: string;
}

/** A cell the learner added after the page cell `after` (cells added after it, in order). */
export interface SplicedAddition {
  after: string;
  text: string;
}

interface Fence {
  /** Line index of the opening fence and of the closing one (or lines.length when unclosed). */
  open: number;
  close: number;
  info: string;
  content: string;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** The fenced code blocks of `lines` as markdown-it reads them (content ends with a newline). */
export function findFences(lines: string[]): Fence[] {
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = FENCE_OPEN.exec(lines[i]!);
    if (!match) continue;
    const [, indent, marker, info] = match as unknown as [string, string, string, string];
    if (marker[0] === "`" && info.includes("`")) continue;
    const closing = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
    let close = i + 1;
    while (close < lines.length && !closing.test(lines[close]!)) close++;
    // an unclosed fence runs to the end; the "" after a final newline is not a line of it
    const end = close === lines.length && lines[close - 1] === "" ? close - 1 : close;
    const body = lines.slice(i + 1, Math.max(end, i + 1)).map((line) => stripIndent(line, indent.length));
    fences.push({ open: i, close, info: info.trim(), content: body.length ? body.join("\n") + "\n" : "" });
    i = close;
  }
  return fences;
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === " ") n++;
  return line.slice(n);
}

const withNewline = (text: string) => (text.endsWith("\n") ? text : text + "\n");

/** A cell's source as markdown-it gives a fence's content: ending in a newline, unless empty. */
const asContent = (text: string) => (text === "" ? "" : withNewline(text));

/** A fence for `text` whose marker is longer than any run of backticks at a line start in it. */
function fence(info: string, text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/^ {0,3}(`+)/gm)].map((m) => m[1]!.length));
  const marker = "`".repeat(longest + 1);
  return [`${marker}${info}`, ...withNewline(text).slice(0, -1).split("\n"), marker];
}

/**
 * `markdown` with `cells` (matched to the page's js fences by original source, in order) given their
 * text, and `added` cells inserted after theirs. A cell whose fence cannot be found is appended at
 * the end, so no edit is ever dropped.
 */
export function spliceMarkdown(markdown: string, cells: SplicedCell[], added: SplicedAddition[] = []): string {
  const eol = markdown.includes("\r\n") ? "\r\n" : "\n";
  const lines = markdown.split(/\r?\n/);
  const fences = findFences(lines).filter((f) => f.info.split(/\s+/)[0] === "js");
  const replace = new Map<number, string[]>(); // fence index → its new lines
  const after = new Map<number, string[]>(); // fence index → lines to insert after it
  const unplaced: string[] = [];
  let next = 0;
  const fenceOf = new Map<string, number>();
  for (const cell of cells) {
    let found = -1;
    for (let f = next; f < fences.length; f++) {
      if (fences[f]!.content === asContent(cell.original)) {
        found = f;
        break;
      }
    }
    if (found < 0) {
      if (cell.text !== cell.original) unplaced.push(cell.text);
      continue;
    }
    next = found + 1;
    fenceOf.set(cell.id, found);
    if (cell.text !== cell.original) replace.set(found, fence(fences[found]!.info, cell.text));
  }
  for (const { after: id, text } of added) {
    const f = fenceOf.get(id);
    if (f === undefined) unplaced.push(text);
    else after.set(f, [...(after.get(f) ?? []), "", ...fence("js", text)]);
  }
  const out: string[] = [];
  let line = 0;
  fences.forEach((f, index) => {
    out.push(...lines.slice(line, f.open));
    const original = lines.slice(f.open, Math.min(f.close + 1, lines.length));
    out.push(...(replace.get(index) ?? original));
    out.push(...(after.get(index) ?? []));
    line = f.close + 1;
  });
  out.push(...lines.slice(line));
  for (const text of unplaced) out.push("", ...fence("js", text));
  return out.join(eol);
}
