import { describe, expect, it } from "vitest";
import { createImage } from "../../src/data/image.js";
import { classCounts, splitTable } from "../../src/data/summary.js";

const item = (label: string, i: number) => ({ file: `${label}/${i}.png`, label, image: createImage(1, 1) });

describe("classCounts(items, classes)", () => {
  it("counts each class, zero for a class with no items", () => {
    expect(classCounts([item("a", 1), item("a", 2), item("b", 3)], ["a", "b", "c"])).toEqual({ a: 2, b: 1, c: 0 });
  });
});

describe("splitTable(dataset, split)", () => {
  it("gives per-class totals, training and validation counts", () => {
    const items = [item("a", 1), item("a", 2), item("a", 3), item("b", 4), item("b", 5)];
    const table = splitTable({ classes: ["a", "b"], items, skipped: [] }, { train: [items[0]!, items[1]!, items[3]!], valid: [items[2]!, items[4]!] });
    expect(table).toEqual([
      { class: "a", images: 3, train: 2, valid: 1 },
      { class: "b", images: 2, train: 1, valid: 1 },
    ]);
  });
});
