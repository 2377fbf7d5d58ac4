import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkModelOut, fallbackPaths, fileProblem, withoutErrnoCodes } from "../../src/cli/output.js";

const root = mkdtempSync(join(tmpdir(), "dlcourse-output-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("checkModelOut(out, data)", () => {
  it("accepts a new nested path, an empty folder, a model folder and an existing zip, leaving each as it was", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    const modelDir = join(root, "model");
    mkdirSync(modelDir);
    writeFileSync(join(modelDir, "model.json"), "{}");
    const zip = join(root, "model.zip");
    writeFileSync(zip, new Uint8Array([0x50, 0x4b, 3, 4]));
    for (const out of [join(root, "a", "b", "c"), join(root, "x", "m.zip"), empty, modelDir, zip])
      await expect(checkModelOut(out, join(root, "pets"))).resolves.toBeUndefined();
    expect(readdirSync(root).sort()).toEqual(["empty", "model", "model.zip"]);
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(modelDir)).toEqual(["model.json"]);
  });

  it("refuses an empty path and a path inside --data, even through a relative path", async () => {
    await expect(checkModelOut("", "pets")).rejects.toThrow(
      'invalid --out: ""; give a path in a folder you can write, e.g. --out models/pets',
    );
    const data = join(root, "data");
    mkdirSync(data);
    await expect(checkModelOut(join(data, "..", "data", "m"), data)).rejects.toThrow(/is inside the --data folder/);
    expect(existsSync(join(data, "m"))).toBe(false);
  });
});

describe("withoutErrnoCodes(text)", () => {
  it("puts Node's system-error texts in words and keeps the rest", () => {
    expect(
      withoutErrnoCodes(
        "could not read /m/model.json: ENOENT: no such file or directory, open '/m/model.json'; give a folder",
      ),
    ).toBe("could not read /m/model.json: no such file or folder; give a folder");
    expect(withoutErrnoCodes("EACCES: permission denied, mkdir '/root/x'")).toBe("permission denied");
    expect(withoutErrnoCodes("ENOSPC: no space left on device, write")).toBe("the disk is full");
    expect(withoutErrnoCodes("EXYZ: something odd, rename 'a' -> 'b'")).toBe("something odd");
    expect(withoutErrnoCodes("EPOCHS: 3; ELSE: x")).toBe("EPOCHS: 3; ELSE: x");
    expect(withoutErrnoCodes("invalid --lr: -1; use a positive learning rate")).toBe(
      "invalid --lr: -1; use a positive learning rate",
    );
  });
});

describe("fileProblem(error)", () => {
  it("names the problem of a system error in words", () => {
    expect(fileProblem(Object.assign(new Error("ENOTDIR: not a directory, mkdir 'a/b'"), { code: "ENOTDIR" }))).toBe(
      "a part of the path is a file, not a folder",
    );
    expect(fileProblem(new Error("EISDIR: illegal operation on a directory, read"))).toBe("it is a folder, not a file");
  });
});

describe("fallbackPaths(out, stamp)", () => {
  it("gives a path next to --out and one in the temp folder, of the same kind", () => {
    const stamp = new Date("2025-03-04T05:06:07Z");
    expect(fallbackPaths("models/pets/", stamp)).toEqual([
      "models/pets-unsaved-20250304050607",
      join(tmpdir(), "dlcourse-pets-unsaved-20250304050607"),
    ]);
    expect(fallbackPaths("/m/Pets.ZIP", stamp)).toEqual([
      "/m/Pets-unsaved-20250304050607.zip",
      join(tmpdir(), "dlcourse-Pets-unsaved-20250304050607.zip"),
    ]);
  });
});

describe("bin/dlcourse.js train --out /proc/x/m", () => {
  it("exits 2 at once instead of spinning (Node's recursive mkdir loops forever under /proc)", () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "dlcourse.js");
    const result = spawnSync(process.execPath, [bin, "train", "--data", root, "--out", "/proc/x/m"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect({ status: result.status, signal: result.signal, stdout: result.stdout }).toEqual({
      status: 2,
      signal: null,
      stdout: "",
    });
    expect(result.stderr).toBe(
      "dlcourse train: invalid --out: cannot create the folder /proc/x (this file system does not allow new folders there); give a path in a folder you can write, e.g. --out models/pets\n",
    );
  });
});
