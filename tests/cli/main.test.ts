import { availableParallelism } from "node:os";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "../util/cli.js";

const project = join(import.meta.dirname, "..", "..");
const version = JSON.parse(readFileSync(join(project, "package.json"), "utf8")).version;

describe("main(argv)", () => {
  it("--help lists every command and exits 0", async () => {
    const { code, out } = await run("--help");
    expect(code).toBe(0);
    expect(out).toMatch(/^dlcourse \d+\.\d+\.\d+ — /);
    expect(out).toMatch(/^ {2}backend {7}start the fastest tfjs backend/m);
  });

  it("with no arguments prints the help", async () => {
    expect((await run()).out).toBe((await run("--help")).out);
  });

  it("--version prints package.json's version", async () => {
    expect(await run("--version")).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });

  it("exits 2 on an unknown command with one line naming it and the valid ones", async () => {
    const { code, out, err } = await run("frobnicate");
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(
      'dlcourse: unknown command "frobnicate"; valid commands: make-dataset, inspect, train, top-losses, predict, backend, help (see dlcourse --help)\n',
    );
  });

  it("exits 2 on an unknown option", async () => {
    expect(await run("--frob")).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^dlcourse: unknown option "--frob"; valid commands: make-dataset, inspect, train, top-losses, predict, backend, help/,
      ),
    });
  });

  it("backend --task rejects a bad value naming the option, the value and the fix", async () => {
    expect(await run("backend", "--task", "fly")).toEqual({
      code: 2,
      out: "",
      err: 'dlcourse backend: invalid --task: "fly"; use --task infer or --task train\n',
    });
  });

  it("backend --help prints the command's usage", async () => {
    expect((await run("backend", "--help")).out).toMatch(/^Usage: dlcourse backend \[--task infer\|train\]/);
  });

  it("backend prints the started backend as JSON", async () => {
    const { code, out } = await run("backend", "--task", "infer");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      backend: "wasm",
      task: "infer",
      environment: "node",
      canTrain: true,
      threads: 1,
      threadsNote: `WebAssembly computes on one thread, not all ${availableParallelism()} cores: tfjs-backend-wasm 4.22 starts its single-threaded binary in Node (its threaded one needs browser workers). Everything works, training is only slower.`,
    });
  });
});

describe("bin/dlcourse.js", () => {
  it("runs as a program: --version exits 0, frobnicate exits 2 with one line", () => {
    const bin = join(project, "bin", "dlcourse.js");
    const ok = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect([ok.status, ok.stdout]).toEqual([0, `${version}\n`]);
    const bad = spawnSync(process.execPath, [bin, "frobnicate"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
