/**
 * Makes a built lesson page a notebook: each cell's code (shown by src/notebook/fences.ts) gets Edit,
 * Run, Revert and "+ cell"; an edited or added cell is compiled in the page (src/notebook/editor.ts,
 * loaded on the first edit) and replaces the old one in Framework's runtime, so exactly the cells
 * that read what it defines run again. Edits are kept in this browser per page and are shown on the
 * next visit, but code from storage runs only when the learner presses Run.
 */
import type { CellDefinition } from "./compile.js";
import type { CellEditor } from "./editor.js";
import { NOTEBOOK_GLOBAL } from "./client-patch.js";
import { spliceMarkdown } from "./markdown.js";
import { readEdits, writeEdits, type KeyValueStore } from "./store.js";

type EditorModule = typeof import("./editor.js");

/** What the patched Framework client gives (src/notebook/client-patch.ts). */
interface ClientApi {
  pageCells: Map<string, CellDefinition>;
  define(cell: CellDefinition): void;
  undefine(id: string): void;
  registerRoot(id: string, node: Node | null): void;
}

export interface NotebookPageOptions {
  /** URL of the editor bundle (lessons/assets/notebook/editor.js as the site serves it). */
  editorUrl: string;
  /** URL of the page's Markdown source, for "Download .md"; without it there is no download. */
  markdownUrl?: string;
  /** The page's path as Framework names it ("/lesson-1"); from the address when left out. */
  path?: string;
  /** Where edits are kept; localStorage when left out. */
  store?: KeyValueStore;
}

/** A cell's state: its code as the page has it, or edited and running, or edited and not run yet. */
export type CellState = "original" | "edited" | "pending";

interface Cell {
  id: string;
  kind: "page" | "added";
  element: HTMLElement;
  /** The code the page shipped ("" for an added cell). */
  original: string;
  /** The highlighted HTML of the original code, to show again on revert. */
  originalHtml: string;
  /** The code now (the editor keeps it current as the learner types). */
  text: string;
  /** The code the runtime runs for this cell; null for an added cell never run. */
  applied: string | null;
  pre: HTMLElement;
  editorBox: HTMLElement;
  message: HTMLElement;
  editor?: CellEditor;
}

const HIDE_CODE_KEY = "dl-course:notebook:hide-code";

/** The page's path as Framework names it, from an address: ".../lesson-1.html" → "/lesson-1". */
export function pagePath(pathname: string): string {
  return `/${
    pathname
      .split("/")
      .pop()!
      .replace(/\.html$/, "") || "index"
  }`;
}

/**
 * Sets the page up as a notebook; returns undefined (and changes nothing) when Framework's client is
 * not patched or the page shows no cells' code.
 */
export function notebookPage(options: NotebookPageOptions): Notebook | undefined {
  const api = (globalThis as any)[NOTEBOOK_GLOBAL] as ClientApi | undefined;
  const main = document.querySelector<HTMLElement>("#observablehq-main");
  if (!api || !main || !main.querySelector(".nb-cell")) return undefined;
  const existing = (main as any).__notebook as Notebook | undefined;
  if (existing) return existing; // the imports cell ran again
  return ((main as any).__notebook = new Notebook(api, main, options));
}

export class Notebook {
  readonly path: string;
  private readonly cells: Cell[] = [];
  private readonly defined = new Map<string, CellDefinition>();
  private readonly store: KeyValueStore;
  private readonly bar: HTMLElement;
  private readonly notice: HTMLElement;
  private editorModule?: Promise<EditorModule>;
  private imports?: Map<string, string>;
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly api: ClientApi,
    private readonly main: HTMLElement,
    private readonly options: NotebookPageOptions,
  ) {
    this.path = options.path ?? pagePath(location.pathname);
    this.store = options.store ?? localStorage;
    for (const [id, cell] of api.pageCells) this.defined.set(id, cell);
    for (const element of main.querySelectorAll<HTMLElement>(".nb-cell[data-cell]")) {
      const pre = element.querySelector<HTMLElement>("pre.nb-source")!;
      const source = pre.textContent ?? "";
      this.cells.push(this.setUp(element, "page", source, pre));
    }
    this.bar = this.pageBar();
    this.notice = this.bar.querySelector(".nb-notice")!;
    this.restore();
    addEventListener("pagehide", () => this.save());
  }

  /** The state of the cell `id` (tests and the page read it from `data-state` too). */
  state(id: string): CellState | undefined {
    return this.cells.find((c) => c.id === id)?.element.dataset.state as CellState | undefined;
  }

  // ---- building the page

  private setUp(element: HTMLElement, kind: Cell["kind"], source: string, pre: HTMLElement): Cell {
    const tools = document.createElement("div");
    tools.className = "nb-tools";
    const editorBox = document.createElement("div");
    editorBox.className = "nb-editor";
    editorBox.hidden = true;
    const message = document.createElement("div");
    message.className = "nb-message";
    message.setAttribute("role", "alert");
    message.hidden = true;
    const cell: Cell = {
      id: element.dataset.cell!,
      kind,
      element,
      original: kind === "page" ? source : "",
      originalHtml: pre.innerHTML,
      text: source,
      applied: kind === "page" ? source : null,
      pre,
      editorBox,
      message,
    };
    const button = (label: string, name: string, title: string, onclick: () => void) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.className = `nb-${name}`;
      b.title = title;
      b.onclick = onclick;
      tools.append(b);
    };
    const badge = document.createElement("span");
    badge.className = "nb-badge";
    tools.append(badge);
    button("Edit", "edit", "Edit this cell's code", () => void this.edit(cell));
    // start fetching the editor as the pointer or focus reaches Edit: a head start on the click
    const edit = tools.lastElementChild!;
    for (const type of ["pointerenter", "focus"])
      edit.addEventListener(type, () => void this.loadEditor(cell), { once: true });
    button("Run", "run", "Run this code (Ctrl-Enter or Shift-Enter in the editor)", () => void this.run(cell));
    button("Revert", "revert", "Put back the page's own code for this cell, and run it", () => this.revert(cell));
    button("Remove", "remove", "Remove this added cell", () => this.remove(cell));
    button("+ cell", "add", "Add a scratch cell below this one", () => void this.addAfter(cell));
    const codeHolder = pre.closest("details.nb-fold") ?? pre;
    element.insertBefore(tools, element.firstChild);
    codeHolder.after(editorBox, message);
    this.refresh(cell);
    return cell;
  }

  private pageBar(): HTMLElement {
    const bar = document.createElement("div");
    bar.className = "nb-page";
    bar.innerHTML = `<p class="nb-help">This page is a notebook. <b>Edit</b> any cell, then <b>Run</b> it (or press
      Ctrl-Enter): the cells that use what it defines run again, the others keep their results. <b>+ cell</b> adds a
      scratch cell. Your edits are kept in this browser; <b>Revert</b> puts the page's code back.</p>
      <div class="nb-page-tools"></div><div class="nb-notice" role="status" hidden></div>`;
    const tools = bar.querySelector(".nb-page-tools")!;
    const hidden = safeGet(this.store, HIDE_CODE_KEY) === "1";
    this.main.classList.toggle("nb-hide-code", hidden);
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "nb-toggle-code";
    toggle.textContent = hidden ? "Show code" : "Hide code";
    toggle.onclick = () => {
      const hide = !this.main.classList.contains("nb-hide-code");
      this.main.classList.toggle("nb-hide-code", hide);
      toggle.textContent = hide ? "Show code" : "Hide code";
      safeSet(this.store, HIDE_CODE_KEY, hide ? "1" : null);
    };
    tools.append(toggle);
    if (this.options.markdownUrl) {
      const download = document.createElement("button");
      download.type = "button";
      download.className = "nb-download";
      download.textContent = "Download .md";
      download.title = "This page with your edits, as a Markdown notebook that npm run dev runs in a clone";
      download.onclick = () => void this.download();
      tools.append(download);
    }
    const revertAll = document.createElement("button");
    revertAll.type = "button";
    revertAll.className = "nb-revert-all";
    revertAll.textContent = "Revert all";
    revertAll.title = "Put back the page's own code in every cell and remove added cells";
    revertAll.onclick = () => this.revertAll();
    tools.append(revertAll);
    const title = this.main.querySelector("h1");
    if (title) title.after(bar);
    else this.main.prepend(bar);
    return bar;
  }

  /** Shows saved edits and added cells, none of them run. */
  private restore(): void {
    const saved = readEdits(this.store, this.path);
    const pageIds = new Set(this.cells.map((c) => c.id));
    for (const cell of this.cells) {
      const text = saved.edits[cell.id];
      if (text === undefined || text === cell.original) continue;
      cell.text = text;
      this.showCode(cell);
      this.refresh(cell);
    }
    const last = () => this.cells[this.cells.length - 1]!;
    // edits of cells this page no longer has (the course changed): kept, as added cells at the end
    for (const [id, text] of Object.entries(saved.edits)) {
      if (!pageIds.has(id)) this.insertAdded(last(), text, undefined);
    }
    for (const added of saved.added) {
      const after = this.cells.find((c) => c.id === added.after) ?? last();
      this.insertAdded(after, added.source, added.id);
    }
    this.updateNotice();
  }

  private updateNotice(message?: string): void {
    const pending = this.cells.filter((c) => c.element.dataset.state === "pending" && !c.editor);
    this.notice.replaceChildren();
    if (message) {
      const p = document.createElement("p");
      p.className = "nb-warning";
      p.textContent = message;
      this.notice.append(p);
    }
    if (pending.length) {
      const p = document.createElement("p");
      p.textContent = `${pending.length === 1 ? "One cell shows" : `${pending.length} cells show`} code you wrote earlier (kept in this browser) that has not run on this visit. `;
      const run = document.createElement("button");
      run.type = "button";
      run.className = "nb-run-saved";
      run.textContent = pending.length === 1 ? "Run it" : "Run them";
      run.onclick = () => void this.runPending();
      p.append(run);
      this.notice.append(p);
    }
    this.notice.hidden = this.notice.childElementCount === 0;
  }

  // ---- what the buttons do

  /** The editor bundle, loaded once; undefined (said in the cell) when it cannot load. */
  private async loadEditor(cell: Cell): Promise<EditorModule | undefined> {
    try {
      return await (this.editorModule ??= import(/* @vite-ignore */ this.options.editorUrl) as Promise<EditorModule>);
    } catch (error) {
      this.editorModule = undefined;
      this.say(cell, `The editor could not load (${errorMessage(error)}); reload the page to try again.`);
      return undefined;
    }
  }

  private closeEditor(cell: Cell): void {
    if (!cell.editor) return;
    cell.editor.destroy();
    cell.editor = undefined;
    cell.editorBox.hidden = true;
    cell.editorBox.replaceChildren();
  }

  /** Opens the cell's editor (loading CodeMirror the first time). */
  async edit(cell: Cell): Promise<void> {
    if (cell.editor) return cell.editor.focus();
    cell.element.dataset.loading = "editor";
    const lib = await this.loadEditor(cell);
    delete cell.element.dataset.loading;
    if (!lib || cell.editor || !cell.element.isConnected) return;
    cell.editor = lib.createEditor(cell.editorBox, cell.text, {
      onRun: () => void this.run(cell),
      onLeave: () => this.leave(cell),
      onChange: (text) => {
        cell.text = text;
        this.refresh(cell);
        this.saveSoon();
      },
    });
    cell.editorBox.hidden = false;
    (cell.pre.closest("details.nb-fold") ?? cell.pre).toggleAttribute("hidden", true);
    this.refresh(cell);
    this.updateNotice();
    cell.editor.focus();
  }

  /** Closes the editor; the text stays (shown as code, marked if it has not run). */
  leave(cell: Cell): void {
    if (!cell.editor) return;
    this.closeEditor(cell);
    this.showCode(cell);
    this.refresh(cell);
    this.save();
    this.updateNotice();
    cell.element.querySelector<HTMLElement>(".nb-edit")?.focus();
  }

  /**
   * Compiles the cell's text and puts it in the runtime in place of the old definition. A mistake
   * (syntax, an import the page cannot load, a name another cell defines) is shown in the cell and
   * changes nothing. Resolves to whether it ran.
   */
  async run(cell: Cell): Promise<boolean> {
    this.save();
    const lib = await this.loadEditor(cell);
    if (!lib) return false;
    let definition: CellDefinition;
    try {
      definition = lib.compileCell(cell.text, {
        id: cell.id,
        path: this.path,
        resolveImport: (s) => this.resolveImport(lib, s),
      });
    } catch (error) {
      if (!(error instanceof lib.CellError)) throw error;
      this.say(cell, error.message);
      if (error.line !== undefined) cell.editor?.select(error.line, error.column ?? 0);
      return false;
    }
    const clash = this.clash(cell, definition.outputs ?? []);
    if (clash) {
      this.say(cell, clash);
      return false;
    }
    this.say(cell, null);
    this.apply(cell, definition);
    cell.applied = cell.text;
    if (!cell.editor) this.showCode(cell);
    this.refresh(cell);
    this.updateNotice();
    return true;
  }

  /** Runs, in page order, every cell whose code has not run on this visit. */
  async runPending(): Promise<void> {
    for (const cell of [...this.cells]) {
      if (cell.element.dataset.state === "pending" && cell.element.isConnected) await this.run(cell);
    }
    this.updateNotice();
  }

  /** Puts back the page's code (running it again if something else ran); an added cell is emptied. */
  revert(cell: Cell): void {
    if (cell.kind === "added") return this.remove(cell);
    this.closeEditor(cell);
    cell.text = cell.original;
    if (cell.applied !== cell.original) {
      this.apply(cell, this.api.pageCells.get(cell.id)!);
      cell.applied = cell.original;
    }
    this.say(cell, null);
    this.showCode(cell);
    this.refresh(cell);
    this.save();
    this.updateNotice();
  }

  /** Reverts every cell and removes every added one. */
  revertAll(): void {
    for (const cell of [...this.cells]) {
      if (cell.kind === "added") this.remove(cell);
      else if (cell.text !== cell.original || cell.applied !== cell.original || cell.editor) this.revert(cell);
    }
  }

  /** Adds an empty cell after `cell` and opens its editor. */
  async addAfter(cell: Cell): Promise<Cell> {
    const added = this.insertAdded(cell, "", undefined);
    this.save();
    await this.edit(added);
    return added;
  }

  /** Removes an added cell: its definition, its output and its saved text. */
  remove(cell: Cell): void {
    if (cell.kind !== "added") return;
    this.closeEditor(cell);
    if (this.defined.has(cell.id)) {
      this.api.undefine(cell.id);
      this.defined.delete(cell.id);
    }
    this.api.registerRoot(cell.id, null);
    cell.element.remove();
    this.cells.splice(this.cells.indexOf(cell), 1);
    this.save();
    this.updateNotice();
  }

  /** Downloads the page's Markdown with the edits and added cells in it. */
  async download(): Promise<void> {
    let markdown: string;
    try {
      const response = await fetch(this.options.markdownUrl!);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      markdown = await response.text();
    } catch (error) {
      this.updateNotice(
        `Could not read this page's Markdown (${errorMessage(error)}); your edits are still kept in this browser.`,
      );
      return;
    }
    const blob = new Blob([this.markdown(markdown)], { type: "text/markdown" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${this.path.slice(1)}.md`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }

  /** `markdown` (the page's source) with this page's edits spliced in. */
  markdown(markdown: string): string {
    const page = this.cells
      .filter((c) => c.kind === "page")
      .map((c) => ({ id: c.id, original: c.original, text: c.text }));
    const added: { after: string; text: string }[] = [];
    let lastPage = "";
    for (const cell of this.cells) {
      if (cell.kind === "page") lastPage = cell.id;
      else if (cell.text.trim()) added.push({ after: lastPage, text: cell.text });
    }
    return spliceMarkdown(markdown, page, added);
  }

  // ---- helpers

  private apply(cell: Cell, definition: CellDefinition): void {
    if (this.defined.has(cell.id)) this.api.undefine(cell.id);
    this.api.define(definition);
    this.defined.set(cell.id, definition);
  }

  /** A sentence naming another cell that defines one of `outputs`, or null. */
  private clash(cell: Cell, outputs: string[]): string | null {
    for (const [id, definition] of this.defined) {
      if (id === cell.id) continue;
      const name = (definition.outputs ?? []).find((o) => outputs.includes(o));
      if (name === undefined) continue;
      const other = this.cells.find((c) => c.id === id);
      const line = other?.applied
        ?.split("\n")
        .find((l) => l.trim() && !l.trim().startsWith("//"))
        ?.trim();
      const where = line
        ? `the cell that starts \`${line.length > 60 ? line.slice(0, 57) + "…" : line}\``
        : "another cell";
      return `\`${name}\` is already defined by ${where}. Two cells cannot define the same name: rename it here, or edit that cell.`;
    }
    return null;
  }

  /** The URL the page loaded `specifier` from; the page can import only what its own cells import. */
  private resolveImport(lib: EditorModule, specifier: string): string {
    this.imports ??= lib.importsOf(
      [...this.cells]
        .filter((c) => c.kind === "page")
        .map((c) => ({ source: c.original, body: String(this.api.pageCells.get(c.id)?.body ?? "") })),
      location.href,
    );
    const url = this.imports.get(specifier);
    if (url) return url;
    const known = [...this.imports.keys()].map((s) => `"${s}"`).join(", ");
    throw new lib.CellError(
      `This page cannot import "${specifier}": a static site can load only the modules its cells import (${known}). ` +
        `Import from one of those (the library's names are all in "./lib/pages.js"), or add the import to the page in a clone.`,
    );
  }

  private insertAdded(after: Cell, source: string, id: string | undefined): Cell {
    id ??= newId(new Set(this.cells.map((c) => c.id).concat([...this.api.pageCells.keys()])));
    const element = document.createElement("div");
    element.className = "nb-cell nb-added";
    element.dataset.cell = id;
    const pre = document.createElement("pre");
    pre.className = "nb-source";
    pre.textContent = source;
    const output = document.createElement("div");
    output.className = "observablehq observablehq--block";
    const root = document.createComment(`:${id}:`);
    output.append(root);
    element.append(pre, output);
    after.element.after(element);
    this.api.registerRoot(id, root);
    const cell = this.setUp(element, "added", source, pre);
    cell.original = "";
    cell.applied = null;
    this.cells.splice(this.cells.indexOf(after) + 1, 0, cell);
    this.refresh(cell);
    return cell;
  }

  private showCode(cell: Cell): void {
    if (cell.kind === "page" && cell.text === cell.original) cell.pre.innerHTML = cell.originalHtml;
    else cell.pre.textContent = cell.text;
    (cell.pre.closest("details.nb-fold") ?? cell.pre).toggleAttribute("hidden", false);
    if (cell.text !== cell.original) cell.pre.closest("details")?.setAttribute("open", "");
  }

  private refresh(cell: Cell): void {
    const state: CellState =
      cell.applied === null || cell.text !== cell.applied
        ? "pending"
        : cell.text === cell.original
          ? "original"
          : "edited";
    cell.element.dataset.state = state;
    cell.element.toggleAttribute("data-edited", cell.kind === "added" || cell.text !== cell.original);
    cell.element.toggleAttribute("data-editing", !!cell.editor);
    const badge = cell.element.querySelector<HTMLElement>(".nb-badge")!;
    badge.textContent =
      cell.kind === "added"
        ? state === "pending"
          ? "added · not run"
          : "added"
        : state === "pending"
          ? "edited · not run"
          : state === "edited"
            ? "edited"
            : "";
  }

  private say(cell: Cell, message: string | null): void {
    cell.message.textContent = message ?? "";
    cell.message.hidden = message === null;
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 250);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    const edits: Record<string, string> = {};
    const added: { id: string; after: string; source: string }[] = [];
    let previous = "";
    for (const cell of this.cells) {
      const text = cell.text;
      if (cell.kind === "page" && text !== cell.original) edits[cell.id] = text;
      if (cell.kind === "added") added.push({ id: cell.id, after: previous, source: text });
      previous = cell.id;
    }
    const error = writeEdits(this.store, this.path, { edits, added });
    if (error)
      this.updateNotice(`Your edits could not be kept in this browser (${error}); use Download .md to keep them.`);
  }
}

/** The first of 00000001, 00000002, … (hex, like Framework's cell ids) that no cell has. */
function newId(taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = n.toString(16).padStart(8, "0");
    if (!taken.has(id)) return id;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeGet(store: KeyValueStore, key: string): string | null {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(store: KeyValueStore, key: string, value: string | null): void {
  try {
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch {
    // a preference that cannot be kept is not worth a message
  }
}
