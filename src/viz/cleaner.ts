import type { Edit, Edits } from "../interpret/cleaner.js";
import { editCounts } from "../interpret/cleaner.js";
import type { ItemResult } from "../interpret/interpret.js";
import { topLossCaption } from "./interpret.js";
import { figure, grid } from "./image.js";

/** The value of a tile's select for an edit ("keep", "delete" or "relabel:<class>"), and back. */
export function editValue(edit: Edit | undefined): string {
  return edit === undefined || edit.action === "keep"
    ? "keep"
    : edit.action === "delete"
      ? "delete"
      : `relabel:${edit.label}`;
}

export function editFromValue(value: string): Edit {
  if (value === "delete") return { action: "delete" };
  if (value.startsWith("relabel:")) return { action: "relabel", label: value.slice("relabel:".length) };
  return { action: "keep" };
}

/** The line the cleaner shows under its grid. */
export function pendingText(edits: Edits): string {
  const { delete: deleted, relabel } = editCounts(edits);
  return `${deleted} to delete, ${relabel} to relabel`;
}

/**
 * fastai's ImageClassifierCleaner: `results` in the order given (highest loss first), each image with
 * a keep / delete / relabel choice, starting from `edits`. Every change calls `onChange` with all the
 * edits (the widget's own copy, `edits` itself is not changed), so the page can store them. Browser only.
 */
export function cleanerWidget(
  results: readonly ItemResult[],
  classes: readonly string[],
  { edits = {}, onChange, display = 80 }: { edits?: Edits; onChange?: (edits: Edits) => void; display?: number } = {},
): HTMLElement {
  const current: Edits = { ...edits };
  const pending = document.createElement("p");
  pending.className = "dl-cleaner-pending";
  pending.textContent = pendingText(current);
  const tiles = results.map((r) => {
    const tile = figure(r.item.image, topLossCaption(r, classes), {
      scale: display / Math.max(r.item.image.width, r.item.image.height),
    });
    tile.dataset.file = r.file;
    const select = document.createElement("select");
    select.dataset.edit = r.file;
    for (const value of ["keep", "delete", ...classes.filter((c) => c !== r.label).map((c) => `relabel:${c}`)]) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value.replace("relabel:", "→ ");
      select.append(option);
    }
    select.value = editValue(current[r.file]);
    select.addEventListener("change", () => {
      const edit = editFromValue(select.value);
      if (edit.action === "keep") delete current[r.file];
      else current[r.file] = edit;
      pending.textContent = pendingText(current);
      onChange?.({ ...current });
    });
    tile.append(select);
    return tile;
  });
  const element = document.createElement("div");
  element.dataset.cleaner = String(results.length);
  element.append(grid(tiles, { className: "dl-cleaner" }), pending);
  return element;
}
