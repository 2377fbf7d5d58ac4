import { describe, expect, it } from "vitest";
import { hashString } from "../../src/random.js";
import { splitRandom } from "../../src/data/split.js";

const items = [
  ...Array.from({ length: 10 }, (_, i) => ({ file: `cat/c${i}.png`, label: "cat" })),
  ...Array.from({ length: 5 }, (_, i) => ({ file: `dog/d${i}.png`, label: "dog" })),
];

describe("splitRandom(items, {validPct, seed})", () => {
  it("holds out the round(n × validPct) lowest file hashes of each class", () => {
    const { train, valid } = splitRandom(items, { validPct: 0.2, seed: 42 });
    const lowest = (label: string, k: number) =>
      items
        .filter((i) => i.label === label)
        .sort((a, b) => hashString(a.file, 42) - hashString(b.file, 42))
        .slice(0, k)
        .map((i) => i.file);
    expect(valid.map((i) => i.file).sort()).toEqual([...lowest("cat", 2), ...lowest("dog", 1)].sort());
    expect(train).toHaveLength(12);
  });

  it("gives exactly the same membership for seed 42 every time (pinned)", () => {
    expect(splitRandom(items, { validPct: 0.2, seed: 42 }).valid.map((i) => i.file)).toMatchInlineSnapshot(`
      [
        "cat/c4.png",
        "cat/c6.png",
        "dog/d1.png",
      ]
    `);
  });

  it("does not depend on the order of the items", () => {
    const reversed = splitRandom(items.slice().reverse(), { validPct: 0.3, seed: 7 });
    const forward = splitRandom(items, { validPct: 0.3, seed: 7 });
    expect(reversed.valid.map((i) => i.file).sort()).toEqual(forward.valid.map((i) => i.file).sort());
  });

  it("changes with the seed", () => {
    const a = splitRandom(items, { seed: 1 }).valid.map((i) => i.file);
    const b = splitRandom(items, { seed: 2 }).valid.map((i) => i.file);
    expect(a).not.toEqual(b);
  });

  it("puts every class with 2 or more images in both sets, even a tiny one", () => {
    const few = [...items, { file: "fox/f0.png", label: "fox" }, { file: "fox/f1.png", label: "fox" }];
    const { train, valid } = splitRandom(few, { validPct: 0.1 });
    expect(valid.filter((i) => i.label === "fox")).toHaveLength(1);
    expect(train.filter((i) => i.label === "fox")).toHaveLength(1);
  });

  it("keeps the order of the items in each set", () => {
    const { train } = splitRandom(items);
    expect(train.map((i) => items.indexOf(i))).toEqual(train.map((i) => items.indexOf(i)).sort((a, b) => a - b));
  });

  it.each([[-0.1], [1], [1.5], [Number.NaN]])("rejects validPct %s, naming the value and the range", (validPct) => {
    expect(() => splitRandom(items, { validPct })).toThrow(new RegExp(`^invalid validPct: ${validPct}; use a fraction in \\[0, 1\\), e\\.g\\. 0\\.2$`));
  });

  it("rejects a split that leaves the validation set empty", () => {
    expect(() => splitRandom(items, { validPct: 0 })).toThrow(/^validPct 0 leaves the validation set empty \(15 images/);
    expect(() => splitRandom([{ file: "a/1.png", label: "a" }, { file: "b/1.png", label: "b" }])).toThrow(
      /leaves the validation set empty \(2 images, no class with 2 or more\); use .* at least 2 images per class$/,
    );
  });
});
