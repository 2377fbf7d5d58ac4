/**
 * What the learner changed on a page, kept in the browser's localStorage under one key per page:
 * the edited text of the page's cells (by Framework's cell id) and the cells they added (each after
 * a cell). Reading it never runs anything; the page shows it and runs it when the learner presses Run.
 */

export interface AddedCell {
  /** The added cell's own id. */
  id: string;
  /** The id of the cell it follows (a page cell or another added cell). */
  after: string;
  source: string;
}

export interface NotebookEdits {
  /** Edited text by page cell id; a cell whose text is its original has no entry. */
  edits: Record<string, string>;
  added: AddedCell[];
}

/** The subset of the Web Storage API the notebook uses (localStorage, or a Map-backed stand-in). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const VERSION = 1;

export function editsKey(path: string): string {
  return `dl-course:notebook:v${VERSION}:${path}`;
}

export function emptyEdits(): NotebookEdits {
  return { edits: {}, added: [] };
}

/** The page's saved edits; anything unreadable reads as none (and is left in place, not erased). */
export function readEdits(store: KeyValueStore, path: string): NotebookEdits {
  let text: string | null;
  try {
    text = store.getItem(editsKey(path));
  } catch {
    return emptyEdits();
  }
  if (!text) return emptyEdits();
  try {
    const value = JSON.parse(text);
    const edits: Record<string, string> = {};
    const saved = value?.edits;
    if (saved && typeof saved === "object" && !Array.isArray(saved)) {
      for (const [id, source] of Object.entries(saved)) if (typeof source === "string") edits[id] = source;
    }
    const added = Array.isArray(value?.added)
      ? value.added.filter(
          (cell: any) =>
            typeof cell?.id === "string" && typeof cell?.after === "string" && typeof cell?.source === "string",
        )
      : [];
    return { edits, added };
  } catch {
    return emptyEdits();
  }
}

/**
 * Saves the page's edits (removes the key when there are none). Returns null when saved, else the
 * reason it could not be (storage full or turned off), for the page to say.
 */
export function writeEdits(store: KeyValueStore, path: string, value: NotebookEdits): string | null {
  try {
    if (Object.keys(value.edits).length === 0 && value.added.length === 0) store.removeItem(editsKey(path));
    else store.setItem(editsKey(path), JSON.stringify({ version: VERSION, ...value }));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
