import { describe, expect, it } from "vitest";
import { createImage } from "../../src/data/image.js";
import { applyCleaning, editCounts, editsFromJson, editsToJson, type Edits } from "../../src/interpret/cleaner.js";

const image = createImage(2, 2);
const dataset = {
  classes: ["cat", "dog"],
  items: [
    { file: "cat/1.png", label: "cat", image },
    { file: "cat/2.png", label: "cat", image },
    { file: "dog/1.png", label: "dog", image },
    { file: "dog/2.png", label: "dog", image },
  ],
  skipped: [{ file: "x.txt", reason: "not an image" }],
};
const edits: Edits = {
  "cat/2.png": { action: "relabel", label: "dog" },
  "dog/1.png": { action: "delete" },
  "dog/2.png": { action: "keep" },
};

describe("applyCleaning(dataset, edits)", () => {
  it("drops deleted items, relabels, keeps the rest, and leaves the original untouched", () => {
    const cleaned = applyCleaning(dataset, edits);
    expect(cleaned.items.map((i) => `${i.file}:${i.label}`)).toEqual([
      "cat/1.png:cat",
      "cat/2.png:dog",
      "dog/2.png:dog",
    ]);
    expect(cleaned.items[1]!.image).toBe(image);
    expect(dataset.items.map((i) => i.label)).toEqual(["cat", "cat", "dog", "dog"]);
    expect(cleaned.skipped).toEqual(dataset.skipped);
  });

  it("rejects edits for files it does not have, and relabels to unknown classes", () => {
    expect(() => applyCleaning(dataset, { "owl/1.png": { action: "delete" } })).toThrow(
      "edits name 1 files not in the dataset (owl/1.png); were they made on another dataset?",
    );
    expect(() => applyCleaning(dataset, { "cat/1.png": { action: "relabel", label: "owl" } })).toThrow(
      'edit for cat/1.png: invalid label "owl"; relabel to one of cat, dog',
    );
  });
});

describe("editCounts(edits)", () => {
  it("counts each action", () => {
    expect(editCounts(edits)).toEqual({ keep: 1, delete: 1, relabel: 1 });
  });
});

describe("editsToJson(edits, dataset) / editsFromJson(text, {dataset, classes})", () => {
  it("round-trips, and refuses edits made on another dataset", () => {
    const text = editsToJson(edits, "abc123");
    expect(editsFromJson(text, { dataset: "abc123", classes: dataset.classes }).edits).toEqual(edits);
    expect(() => editsFromJson(text, { dataset: "fff000" })).toThrow(
      "these edits were made on another dataset (fingerprint abc123, this one is fff000); load the dataset they were made on",
    );
  });

  it("names what is wrong with a bad file", () => {
    expect(() => editsFromJson("{nope")).toThrow(
      /^the edits file is not JSON \(.*\); give a file saved by the cleaner$/,
    );
    expect(() => editsFromJson('{"edits": {}}')).toThrow(
      "the file is not a cleaner edits file (format dl-course-cleaner-edits, version 1); give a file saved by the cleaner",
    );
    const bad = JSON.stringify({
      format: "dl-course-cleaner-edits",
      version: 1,
      dataset: "a",
      edits: { "cat/1.png": { action: "burn" } },
    });
    expect(() => editsFromJson(bad, { classes: ["cat", "dog"] })).toThrow(
      'edit for cat/1.png: invalid action "burn"; use "keep", "delete" or "relabel"',
    );
  });
});
