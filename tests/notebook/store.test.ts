import { describe, expect, it } from "vitest";
import {
  editsKey,
  emptyEdits,
  readEdits,
  writeEdits,
  type KeyValueStore,
  type NotebookEdits,
} from "../../src/notebook/store.js";

/** localStorage's behaviour over a Map; `items` is exposed so tests can see what is stored. */
class MapStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const edited: NotebookEdits = {
  edits: { "3fec80ba": "const a = 2;\n", "9c1185a5-1": "display(a)\n" },
  added: [
    { id: "nb-1", after: "3fec80ba", source: "a * 10" },
    { id: "nb-2", after: "nb-1", source: "" },
  ],
};

describe("editsKey(path)", () => {
  it("is versioned and names the page", () => {
    expect(editsKey("/lesson-1")).toBe("dl-course:notebook:v1:/lesson-1");
    expect(editsKey("/lesson-2")).not.toBe(editsKey("/lesson-1"));
  });
});

describe("emptyEdits()", () => {
  it("has no edits and no added cells, and a fresh object each call", () => {
    expect(emptyEdits()).toEqual({ edits: {}, added: [] });
    const a = emptyEdits();
    a.edits.x = "y";
    expect(emptyEdits().edits).toEqual({});
  });
});

describe("writeEdits / readEdits", () => {
  it("round-trips a page's edits and added cells under the page's key", () => {
    const store = new MapStore();
    expect(writeEdits(store, "/lesson-1", edited)).toBeNull();
    expect([...store.items.keys()]).toEqual(["dl-course:notebook:v1:/lesson-1"]);
    expect(JSON.parse(store.items.get("dl-course:notebook:v1:/lesson-1")!)).toEqual({ version: 1, ...edited });
    expect(readEdits(store, "/lesson-1")).toEqual(edited);
    expect(readEdits(store, "/lesson-2")).toEqual({ edits: {}, added: [] });
  });

  it("removes the key when there are no edits and no added cells", () => {
    const store = new MapStore();
    writeEdits(store, "/lesson-1", edited);
    writeEdits(store, "/lesson-2", edited);
    expect(writeEdits(store, "/lesson-1", emptyEdits())).toBeNull();
    expect([...store.items.keys()]).toEqual(["dl-course:notebook:v1:/lesson-2"]);
  });

  it("keeps a page that has only added cells (or only edits)", () => {
    const store = new MapStore();
    writeEdits(store, "/a", { edits: {}, added: [{ id: "nb-1", after: "c", source: "1" }] });
    writeEdits(store, "/b", { edits: { c: "2" }, added: [] });
    expect(readEdits(store, "/a")).toEqual({ edits: {}, added: [{ id: "nb-1", after: "c", source: "1" }] });
    expect(readEdits(store, "/b")).toEqual({ edits: { c: "2" }, added: [] });
  });
});

describe("readEdits(store, path)", () => {
  const stored = (text: string) => {
    const store = new MapStore();
    store.setItem(editsKey("/p"), text);
    return store;
  };

  it.each([
    ["{not json"],
    ["null"],
    ["42"],
    ['"text"'],
    ["[]"],
    ['{"edits": null, "added": {}}'],
    ['{"added": [1, null, "x"]}'],
  ])("reads %s as no edits, and leaves the stored text in place", (text) => {
    const store = stored(text);
    expect(readEdits(store, "/p")).toEqual({ edits: {}, added: [] });
    expect(store.items.get(editsKey("/p"))).toBe(text);
  });

  // An `edits` that is not an object must not be read entry by entry: Object.entries("ab") is [["0","a"],["1","b"]],
  // and the page would show each character as a cell it no longer has (page.ts restore(): kept as added cells).
  it.each([['{"edits": "ab"}'], ['{"edits": ["const a = 1;"]}']])(
    "reads an edits field that is not an object, %s, as no edits",
    (text) => {
      expect(readEdits(stored(text), "/p")).toEqual({ edits: {}, added: [] });
    },
  );

  it("keeps the well-formed entries and drops the rest", () => {
    const text = JSON.stringify({
      edits: { a: "x = 1", b: 5, c: null },
      added: [
        { id: "n1", after: "a", source: "y" },
        { id: 1, after: "a", source: "z" },
        { id: "n2", after: "a" },
        null,
      ],
    });
    expect(readEdits(stored(text), "/p")).toEqual({
      edits: { a: "x = 1" },
      added: [{ id: "n1", after: "a", source: "y" }],
    });
  });

  it("reads as no edits when the store's getItem throws (storage turned off)", () => {
    const store: KeyValueStore = {
      getItem: () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
      setItem: () => {},
      removeItem: () => {},
    };
    expect(readEdits(store, "/p")).toEqual({ edits: {}, added: [] });
  });
});

describe("writeEdits(store, path, value)", () => {
  it("returns the error's message when setItem throws (storage full), and stores nothing", () => {
    const store = new MapStore();
    store.setItem = () => {
      throw new DOMException("Setting the value of 'dl-course' exceeded the quota.", "QuotaExceededError");
    };
    expect(writeEdits(store, "/p", edited)).toBe("Setting the value of 'dl-course' exceeded the quota.");
    expect(store.items.size).toBe(0);
  });

  it("returns the thrown value as text when it is not an Error", () => {
    const store = new MapStore();
    store.removeItem = () => {
      throw "storage disabled";
    };
    expect(writeEdits(store, "/p", emptyEdits())).toBe("storage disabled");
  });
});
