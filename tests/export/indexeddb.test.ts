import { describe, expect, it } from "vitest";
import { indexedDbSaveHandler, isIndexedDbUrl, savedModelInfo, storageProblem } from "../../src/export/indexeddb.js";

// The save itself runs in Chromium (tests/browser/faults.test.ts, with a real QuotaExceededError);
// here, the words a refused write turns into, and what needs no browser.
describe("storageProblem(error)", () => {
  it("a QuotaExceededError says the site's storage is full and how to free it", () => {
    expect(storageProblem(new DOMException("The quota has been exceeded.", "QuotaExceededError"))).toBe(
      "this site's storage in the browser is full (QuotaExceededError); free space by deleting other models or site data in the browser's settings",
    );
  });

  it("storage turned off (InvalidStateError, SecurityError) says so and names the browser's message", () => {
    expect(storageProblem(new DOMException("A mutation operation was attempted", "InvalidStateError"))).toBe(
      "this browser keeps no data for this site here (InvalidStateError: A mutation operation was attempted); leave private browsing or allow site data",
    );
    expect(storageProblem(new DOMException("access denied", "SecurityError"))).toMatch(/^this browser keeps no data/);
  });

  it("any other refusal is named with the browser's own words", () => {
    expect(storageProblem(new DOMException("could not clone", "DataCloneError"))).toBe(
      "the browser refused the write (DataCloneError: could not clone)",
    );
  });
});

describe("indexedDbSaveHandler(url) and savedModelInfo(url)", () => {
  it("takes indexeddb://name only, and refuses an empty name naming the fix", () => {
    expect(isIndexedDbUrl("IndexedDB://pets")).toBe(true);
    expect(isIndexedDbUrl("models/pets")).toBe(false);
    expect(() => indexedDbSaveHandler("indexeddb://")).toThrow(
      'invalid IndexedDB model name: "indexeddb://"; give indexeddb://name',
    );
    expect(typeof indexedDbSaveHandler("indexeddb://pets").save).toBe("function");
  });

  it("savedModelInfo finds nothing where there is no IndexedDB (Node)", async () => {
    expect(await savedModelInfo("indexeddb://pets")).toBeUndefined();
  });
});
