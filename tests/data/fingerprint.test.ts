import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/data/fingerprint.js";
import { createImage } from "../../src/data/image.js";

const item = (file: string, label: string, value: number) => {
  const image = createImage(2, 1);
  image.data.fill(value);
  return { file, label, image };
};

describe("fingerprint(items)", () => {
  it("is FNV-1a over file, label, size and pixels (hand-checked for an empty list)", () => {
    expect(fingerprint([])).toBe("811c9dc5");
  });

  it("changes when a pixel, a label or the order changes, and not otherwise", () => {
    const a = [item("cat/1.png", "cat", 1), item("dog/2.png", "dog", 2)];
    expect(fingerprint(a)).toBe(fingerprint([item("cat/1.png", "cat", 1), item("dog/2.png", "dog", 2)]));
    expect(fingerprint(a)).not.toBe(fingerprint([item("cat/1.png", "cat", 1), item("dog/2.png", "dog", 3)]));
    expect(fingerprint(a)).not.toBe(fingerprint([item("cat/1.png", "dog", 1), item("dog/2.png", "dog", 2)]));
    expect(fingerprint(a)).not.toBe(fingerprint(a.slice().reverse()));
  });
});
