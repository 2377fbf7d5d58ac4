import { describe, expect, it } from "vitest";
import { PRETRAIN_CLASSES } from "../../src/draw/pretrain.js";
import { generateDataset, generatedDataset, generateItems, type GeneratedItem } from "../../src/draw/generate.js";

/** FNV-1a (32-bit) of the bytes: a fingerprint for golden values. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

const key = (item: GeneratedItem) => `${item.trueLabel}:${item.file.split("/")[1]}`;

describe("generateDataset(options)", () => {
  it("makes perClass images of each class, ordered by class then index, with the sorted classes", () => {
    const { classes, items } = generateDataset({ perClass: 3, size: 16 });
    expect(classes).toEqual(["cat", "dog"]);
    expect(items.map((item) => item.trueLabel)).toEqual(["cat", "cat", "cat", "dog", "dog", "dog"]);
    for (const item of items)
      expect([item.image.width, item.image.height, item.image.data.length]).toEqual([16, 16, 16 * 16 * 3]);
  });

  it("defaults to pets, seed 42, 100 per class, 96 px, no label noise", () => {
    const { items } = generateDataset();
    expect(items).toHaveLength(200);
    expect(items[0]!.image.width).toBe(96);
    expect(items.every((item) => item.label === item.trueLabel)).toBe(true);
    expect(items[0]!.image.data).toEqual(
      generateDataset({ set: "pets", seed: 42, perClass: 1, size: 96 }).items[0]!.image.data,
    );
  });

  it("names files <label>/<set>_<5-digit id>.png, ids a permutation of 0…n−1", () => {
    const { items } = generateDataset({ set: "pretrain", perClass: 4, size: 16 });
    expect(items).toHaveLength(80);
    for (const item of items) expect(item.file).toMatch(new RegExp(`^${item.label}/pretrain_\\d{5}\\.png$`));
    const ids = items.map((item) => Number(item.file.slice(-9, -4))).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(new Set(items.map((item) => item.trueLabel))).toEqual(new Set(PRETRAIN_CLASSES));
  });

  it("gives the same bytes for the same seed and different bytes for another seed", () => {
    const a = generateDataset({ perClass: 2, size: 24, seed: 7 }).items;
    const b = generateDataset({ perClass: 2, size: 24, seed: 7 }).items;
    const c = generateDataset({ perClass: 2, size: 24, seed: 8 }).items;
    expect(a.map((item) => item.image.data)).toEqual(b.map((item) => item.image.data));
    expect(a.map((item) => item.file)).toEqual(b.map((item) => item.file));
    a.forEach((item, i) => expect(item.image.data).not.toEqual(c[i]!.image.data));
  });

  it("draws each image from (set, seed, class, index, size) only: perClass and noise change no pixels", () => {
    const base = generateDataset({ perClass: 3, size: 16 }).items;
    const more = generateDataset({ perClass: 5, size: 16, noise: 0.3 }).items;
    const pixels = new Map(more.map((item, i) => [`${item.trueLabel}:${i % 5}`, item.image.data]));
    base.forEach((item, i) => expect(item.image.data).toEqual(pixels.get(`${item.trueLabel}:${i % 3}`)));
  });

  it("flips exactly round(noise × n) labels, cat ↔ dog for pets", () => {
    const clean = generateDataset({ perClass: 15, size: 16 }).items;
    const noisy = generateDataset({ perClass: 15, size: 16, noise: 0.1 }).items;
    const flipped = noisy.filter((item) => item.label !== item.trueLabel);
    expect(flipped).toHaveLength(3);
    for (const item of flipped) expect(item.label).toBe(item.trueLabel === "cat" ? "dog" : "cat");
    noisy.forEach((item, i) => {
      expect(item.trueLabel).toBe(clean[i]!.trueLabel);
      expect(item.image.data).toEqual(clean[i]!.image.data);
      // same file name, only the folder follows the given label: names do not give the true label away
      expect(item.file.split("/")[1]).toBe(clean[i]!.file.split("/")[1]);
      expect(item.file.startsWith(`${item.label}/`)).toBe(true);
    });
  });

  it("flips exactly round(noise × n) pretrain labels, each to another class", () => {
    const items = generateDataset({ set: "pretrain", perClass: 5, size: 16, noise: 0.07 }).items;
    const flipped = items.filter((item) => item.label !== item.trueLabel);
    expect(flipped).toHaveLength(Math.round(0.07 * 100));
    for (const item of flipped) expect(PRETRAIN_CLASSES).toContain(item.label);
  });

  it("flips a growing set as noise grows (the flips at 0.05 are among those at 0.2)", () => {
    const at = (noise: number) =>
      new Set(
        generateDataset({ perClass: 20, size: 16, noise })
          .items.filter((i) => i.label !== i.trueLabel)
          .map(key),
      );
    const few = at(0.05);
    const many = at(0.2);
    expect([few.size, many.size]).toEqual([2, 8]);
    for (const k of few) expect(many.has(k)).toBe(true);
  });

  it("marks about 2 % of pets ambiguous and no pretrain image", () => {
    const pets = generateDataset({ perClass: 200, size: 16 }).items;
    const ambiguous = pets.filter((item) => item.ambiguous).length;
    expect(ambiguous).toBeGreaterThanOrEqual(2);
    expect(ambiguous).toBeLessThanOrEqual(20);
    expect(generateDataset({ set: "pretrain", perClass: 3, size: 16 }).items.some((item) => item.ambiguous)).toBe(
      false,
    );
  });

  it("matches the golden fingerprints (any change to the drawing shows up here)", () => {
    const [cat, dog] = generateDataset({ perClass: 1, size: 32 }).items;
    expect([cat!.trueLabel, dog!.trueLabel]).toEqual(["cat", "dog"]);
    expect([fnv1a(cat!.image.data), fnv1a(dog!.image.data)]).toEqual([GOLDEN_CAT, GOLDEN_DOG]);
    const pretrain = generateDataset({ set: "pretrain", perClass: 1, size: 24 }).items;
    expect(pretrain.map((item) => fnv1a(item.image.data))).toEqual(GOLDEN_PRETRAIN);
  });

  it.each([
    [{ noise: 1.5 }, /^invalid noise: 1\.5; use a fraction in \[0, 0\.5\)$/],
    [{ noise: -0.1 }, /^invalid noise: -0\.1; use a fraction in \[0, 0\.5\)$/],
    [{ size: 7 }, /^invalid size: 7; use an integer from 16 to 512$/],
    [{ size: 64.5 }, /^invalid size: 64\.5; use an integer from 16 to 512$/],
    [{ perClass: 0 }, /^invalid perClass: 0; use a positive integer/],
    [{ set: "cars" as never }, /^invalid set: "cars"; use "pets" or "pretrain"$/],
    [{ seed: 1.5 }, /^invalid seed: 1\.5; use an integer$/],
  ])("rejects %o with a message naming the setting, the value and the fix", (options, message) => {
    expect(() => generateDataset(options)).toThrow(message);
    expect(() => generateItems(options)).toThrow(message);
  });
});

describe("generateItems(options)", () => {
  it("yields the same items in the same order as generateDataset, one at a time", () => {
    const options = { set: "pretrain" as const, perClass: 2, size: 16, noise: 0.2, seed: 3 };
    const lazy = [...generateItems(options)];
    const eager = generateDataset(options).items;
    expect(lazy.map(({ file, label, trueLabel, ambiguous }) => ({ file, label, trueLabel, ambiguous }))).toEqual(
      eager.map(({ file, label, trueLabel, ambiguous }) => ({ file, label, trueLabel, ambiguous })),
    );
    lazy.forEach((item, i) => expect(item.image.data).toEqual(eager[i]!.image.data));
  });

  it("draws nothing until asked: taking the first item of a huge set is quick", () => {
    const started = performance.now();
    const first = generateItems({ perClass: 100_000, size: 16 }).next();
    expect(first.done).toBe(false);
    expect(first.value.trueLabel).toBe("cat");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

/** Seed 42, index 0 of each class: cat and dog at 32 px, the 20 pretrain classes (sorted) at 24 px. */
const GOLDEN_CAT = 3136832964;
const GOLDEN_DOG = 2572417319;
const GOLDEN_PRETRAIN = [
  9997509, 1997805960, 3021620727, 2236117409, 2974358290, 2033112759, 3506693751, 3944601144, 3170025551, 678485798,
  3646832993, 2565391351, 4187763287, 2892112736, 3492488149, 118283790, 3100631293, 4266066172, 890249412, 1545899906,
];

describe("generatedDataset(options)", () => {
  it("is generateDataset's items as a Dataset, in path order as a folder or zip loads them: file, label and the same pixels, nothing skipped", () => {
    const options = { set: "pets" as const, perClass: 3, size: 24, seed: 5, noise: 0.2 };
    const { classes, items } = generateDataset(options);
    const dataset = generatedDataset(options);
    expect(dataset.classes).toEqual(classes);
    expect(dataset.skipped).toEqual([]);
    expect(dataset.items.map((i) => Object.keys(i).sort().join())).toEqual(items.map(() => "file,image,label"));
    const byPath = [...items].sort((a, b) => (a.file < b.file ? -1 : 1));
    expect(dataset.items.map((i) => `${i.file}:${i.label}`)).toEqual(byPath.map((i) => `${i.file}:${i.label}`));
    expect(dataset.items.map((i) => i.file)).not.toEqual(items.map((i) => i.file)); // the generator's order is by class, then index
    dataset.items.forEach((item, k) => expect(item.image.data).toEqual(byPath[k]!.image.data));
  });
});
