import { describe, expect, it } from "vitest";
import { editFromValue, editValue, pendingText } from "../../src/viz/cleaner.js";

describe("editValue(edit) / editFromValue(value)", () => {
  it("maps each edit to its select value and back", () => {
    for (const edit of [
      { action: "keep" as const },
      { action: "delete" as const },
      { action: "relabel" as const, label: "dog" },
    ]) {
      expect(editFromValue(editValue(edit))).toEqual(edit);
    }
    expect(editValue(undefined)).toBe("keep");
    expect(editValue({ action: "relabel", label: "cat" })).toBe("relabel:cat");
  });
});

describe("pendingText(edits)", () => {
  it("counts deletions and relabels", () => {
    expect(
      pendingText({ a: { action: "delete" }, b: { action: "relabel", label: "dog" }, c: { action: "delete" } }),
    ).toBe("2 to delete, 1 to relabel");
  });
});
