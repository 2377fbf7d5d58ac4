import type { Dataset } from "../data/dataset.js";

/** What the cleaner decided for one image. */
export type Edit = { action: "keep" } | { action: "delete" } | { action: "relabel"; label: string };

/** Edits by file (the item's path in the dataset): one per image the learner looked at. */
export type Edits = Record<string, Edit>;

/** Edits as saved to a file or to the browser's storage, with the identity of the dataset they belong to. */
export interface SavedEdits {
  format: "dl-course-cleaner-edits";
  version: 1;
  /** `fingerprint(dataset.items)` of the dataset the edits were made on. */
  dataset: string;
  edits: Edits;
}

/**
 * fastai's cleaner, applied: a new dataset without the deleted items and with the relabelled ones
 * under their new label; the original dataset is untouched (items are new objects, images shared).
 * Edits for files not in the dataset, or relabels to unknown classes, are errors naming them.
 */
export function applyCleaning(dataset: Dataset, edits: Edits): Dataset {
  const files = new Set(dataset.items.map((i) => i.file));
  const stray = Object.keys(edits).filter((f) => !files.has(f));
  if (stray.length > 0)
    throw new Error(
      `edits name ${stray.length} files not in the dataset (${stray.slice(0, 3).join(", ")}${stray.length > 3 ? ", …" : ""}); were they made on another dataset?`,
    );
  for (const [file, edit] of Object.entries(edits)) checkEdit(file, edit, dataset.classes);
  const items = dataset.items.flatMap((item) => {
    const edit = edits[item.file];
    if (edit?.action === "delete") return [];
    return [{ ...item, label: edit?.action === "relabel" ? edit.label : item.label }];
  });
  return { classes: dataset.classes, items, skipped: dataset.skipped };
}

function checkEdit(file: string, edit: Edit, classes: readonly string[]): void {
  if (edit?.action === "keep" || edit?.action === "delete") return;
  if (edit?.action === "relabel") {
    if (!classes.includes(edit.label))
      throw new Error(
        `edit for ${file}: invalid label ${JSON.stringify(edit.label)}; relabel to one of ${classes.join(", ")}`,
      );
    return;
  }
  throw new Error(
    `edit for ${file}: invalid action ${JSON.stringify((edit as { action?: unknown })?.action)}; use "keep", "delete" or "relabel"`,
  );
}

/** How many images each action touches (what the cleaner shows as pending). */
export function editCounts(edits: Edits): { keep: number; delete: number; relabel: number } {
  const counts = { keep: 0, delete: 0, relabel: 0 };
  for (const edit of Object.values(edits)) counts[edit.action]++;
  return counts;
}

/** The edits as JSON text to download or store. */
export function editsToJson(edits: Edits, dataset: string): string {
  const saved: SavedEdits = { format: "dl-course-cleaner-edits", version: 1, dataset, edits };
  return JSON.stringify(saved, null, 1);
}

/**
 * Reads edits saved by `editsToJson`; with `dataset` (the current fingerprint), rejects edits made on
 * another dataset. Errors say what is wrong with the text and what to do.
 */
export function editsFromJson(
  text: string,
  { dataset, classes }: { dataset?: string; classes?: readonly string[] } = {},
): SavedEdits {
  let saved: SavedEdits;
  try {
    saved = JSON.parse(text) as SavedEdits;
  } catch (error) {
    throw new Error(`the edits file is not JSON (${(error as Error).message}); give a file saved by the cleaner`);
  }
  if (
    saved?.format !== "dl-course-cleaner-edits" ||
    saved.version !== 1 ||
    typeof saved.edits !== "object" ||
    saved.edits === null
  ) {
    throw new Error(
      "the file is not a cleaner edits file (format dl-course-cleaner-edits, version 1); give a file saved by the cleaner",
    );
  }
  if (dataset !== undefined && saved.dataset !== dataset) {
    throw new Error(
      `these edits were made on another dataset (fingerprint ${saved.dataset}, this one is ${dataset}); load the dataset they were made on`,
    );
  }
  if (classes !== undefined) for (const [file, edit] of Object.entries(saved.edits)) checkEdit(file, edit, classes);
  return saved;
}
