import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder } from "../../src/node/make-folder.js";

describe("makeFolder", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("makes a folder and its missing parents, and accepts one that exists", async () => {
    dir = mkdtempSync(join(tmpdir(), "make-folder-"));
    await makeFolder(join(dir, "a", "b", "c"));
    expect(statSync(join(dir, "a", "b", "c")).isDirectory()).toBe(true);
    await makeFolder(join(dir, "a", "b"));
  });

  it("fails at once under /proc, where Node's recursive mkdir never returns", async () => {
    dir = mkdtempSync(join(tmpdir(), "make-folder-"));
    const start = performance.now();
    await expect(makeFolder("/proc/dlcourse-x/m")).rejects.toMatchObject({ code: "ENOENT" });
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("fails with ENOTDIR under a file", async () => {
    dir = mkdtempSync(join(tmpdir(), "make-folder-"));
    writeFileSync(join(dir, "f"), "x");
    await expect(makeFolder(join(dir, "f", "m"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});
