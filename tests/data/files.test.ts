import { describe, expect, it } from "vitest";
import {
  IMAGE_EXTENSIONS,
  extensionOf,
  getImageFiles,
  isHiddenFile,
  isImageFile,
  parentLabel,
  topLevelFolders,
} from "../../src/data/files.js";

describe("IMAGE_EXTENSIONS", () => {
  it("lists lower-case extensions with their dot, PNG and JPEG first", () => {
    expect(IMAGE_EXTENSIONS.slice(0, 3)).toEqual([".png", ".jpg", ".jpeg"]);
    for (const ext of IMAGE_EXTENSIONS) expect(ext).toMatch(/^\.[a-z0-9]+$/);
  });
});

describe("isHiddenFile(path)", () => {
  it("is true when any segment starts with a dot or is __MACOSX", () => {
    expect(isHiddenFile(".DS_Store")).toBe(true);
    expect(isHiddenFile("cat/.DS_Store")).toBe(true);
    expect(isHiddenFile("cat/._x.png")).toBe(true);
    expect(isHiddenFile(".git/objects/ab")).toBe(true);
    expect(isHiddenFile("__MACOSX/cat/x.png")).toBe(true);
  });

  it("is false for ordinary paths, names with inner dots and ./ prefixes", () => {
    expect(isHiddenFile("cat/x.png")).toBe(false);
    expect(isHiddenFile("cat/x.y.png")).toBe(false);
    expect(isHiddenFile("./cat/x.png")).toBe(false);
    expect(isHiddenFile("chat/été_1.png")).toBe(false);
  });
});

describe("isImageFile(path)", () => {
  it("goes by the extension, in any case", () => {
    expect(isImageFile("cat/x.png")).toBe(true);
    expect(isImageFile("cat/X.JPG")).toBe(true);
    expect(isImageFile("cat/x.Jpeg")).toBe(true);
    expect(isImageFile("cat/x.gif")).toBe(true);
    expect(isImageFile("cat/notes.txt")).toBe(false);
    expect(isImageFile("cat/png")).toBe(false);
    expect(isImageFile("cat/.png")).toBe(false);
  });
});

describe("extensionOf(path)", () => {
  it("is the lower-case extension with its dot, or empty", () => {
    expect(extensionOf("a/B.TXT")).toBe(".txt");
    expect(extensionOf("a/README")).toBe("");
    expect(extensionOf("a.dir/file")).toBe("");
  });
});

describe("getImageFiles(paths)", () => {
  it("keeps image files that are not hidden, sorted, without touching its input", () => {
    const paths = ["dog/b.JPG", "cat/a.png", "cat/.DS_Store", "notes.txt", "__MACOSX/cat/._a.png", "cat/z.gif", "dog/犬.jpg"];
    const copy = paths.slice();
    expect(getImageFiles(paths)).toEqual(["cat/a.png", "cat/z.gif", "dog/b.JPG", "dog/犬.jpg"]);
    expect(paths).toEqual(copy);
  });
});

describe("parentLabel(file)", () => {
  it("is the name of the folder holding the file", () => {
    expect(parentLabel("cat/x.png")).toBe("cat");
    expect(parentLabel("pets/dog/y.jpg")).toBe("dog");
    expect(parentLabel("chat/été_1.png")).toBe("chat");
    expect(parentLabel("x.png")).toBe("");
  });
});

describe("topLevelFolders(paths)", () => {
  it("is the distinct non-hidden first folders, sorted", () => {
    expect(topLevelFolders(["dog/a.png", "cat/x.png", "cat/y/z.png", "root.png", ".git/x", "__MACOSX/cat/a"])).toEqual(["cat", "dog"]);
  });
});
