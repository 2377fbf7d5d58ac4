import * as tf from "@tensorflow/tfjs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import "../../src/node/model-files.js";
import { loadLearner, ModelNotFound } from "../../src/export/load.js";
import { artifactsFromUrl } from "../../src/export/sources.js";
import { serveStatic } from "../browser/server.js";
import { rejection } from "../util/images.js";

// loadLearner's ModelNotFound: nothing at all where the source points (an IndexedDB name, a URL, a
// path), as opposed to a model that is there but broken, which keeps its own error.

/** A model.json that parses and names weights.bin, whose weights are never there. */
const NO_WEIGHTS_JSON = JSON.stringify({
  format: "layers-model",
  modelTopology: { class_name: "Sequential", config: { layers: [] } },
  weightsManifest: [{ paths: ["weights.bin"], weights: [] }],
});

let root: string;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "dlcourse-not-found-"));
  server = await serveStatic(join(root, "no-such-folder"), {
    "/broken/model.json": new TextEncoder().encode("hello"),
    "/lost/model.json": new TextEncoder().encode(NO_WEIGHTS_JSON),
  });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** The rejection of `promise`, checked to be a ModelNotFound for `source`. */
async function notFound(promise: Promise<unknown>, source: string): Promise<ModelNotFound> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ModelNotFound);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe("ModelNotFound");
  expect((error as ModelNotFound).source).toBe(source);
  return error as ModelNotFound;
}

/** The rejection of `promise`, checked to be an error other than ModelNotFound. */
async function otherError(promise: Promise<unknown>): Promise<Error> {
  const error = await rejection(promise);
  expect(error).not.toBeInstanceOf(ModelNotFound);
  expect(error.name).toBe("Error");
  return error;
}

/**
 * A minimal IndexedDB with tfjs's store in it, holding `models` (model path → artifacts): enough for
 * tfjs's own BrowserIndexedDB handler to look a model up. `asked` records the paths it was asked for.
 */
function fakeIndexedDB(models: Record<string, tf.io.ModelArtifacts> = {}) {
  const asked: string[] = [];
  const factory = {
    open() {
      const open: { result?: unknown; onsuccess?: () => void } = {};
      setTimeout(() => {
        open.result = {
          close() {},
          transaction() {
            const transaction: { oncomplete?: () => void; objectStore(): unknown } = {
              objectStore: () => ({
                get(path: string) {
                  asked.push(path);
                  const get: { result?: unknown; onsuccess?: () => void } = {};
                  setTimeout(() => {
                    get.result =
                      models[path] === undefined ? undefined : { modelPath: path, modelArtifacts: models[path] };
                    get.onsuccess?.();
                    transaction.oncomplete?.();
                  });
                  return get;
                },
              }),
            };
            return transaction;
          },
        };
        open.onsuccess?.();
      });
      return open;
    },
  };
  return { factory, asked };
}

describe("loadLearner: ModelNotFound from IndexedDB (tfjs's own handler, on a fake IndexedDB)", () => {
  const wasBrowser = tf.env().getBool("IS_BROWSER");

  /** Makes this Node process look like a browser with `indexedDB` for tfjs's IndexedDB router. */
  function pretendBrowser(indexedDB: unknown): void {
    tf.env().set("IS_BROWSER", true);
    (globalThis as { window?: unknown }).window = { indexedDB };
  }

  afterEach(() => {
    tf.env().set("IS_BROWSER", wasBrowser);
    delete (globalThis as { window?: unknown }).window;
  });

  it("nothing saved under the name: ModelNotFound, saying where it looked and what to do", async () => {
    const db = fakeIndexedDB();
    pretendBrowser(db.factory);
    const error = await notFound(loadLearner("indexeddb://dl-course-lesson-1"), "indexeddb://dl-course-lesson-1");
    expect(db.asked).toEqual(["dl-course-lesson-1"]);
    expect(error.message).toBe(
      `indexeddb://dl-course-lesson-1: no model is saved under this name in this browser's IndexedDB; export one there first (learn.export("indexeddb://dl-course-lesson-1")), or check the name`,
    );
  });

  it("something saved under the name that is not a model: the usual error, not ModelNotFound", async () => {
    pretendBrowser(fakeIndexedDB({ broken: { weightSpecs: [] } }).factory);
    const error = await otherError(loadLearner("indexeddb://broken"));
    expect(error.message).toMatch(/^indexeddb:\/\/broken: not a model: no tfjs layers topology/);
  });
});

describe("loadLearner: ModelNotFound from a URL", () => {
  it("HTTP 404 for a model.json or a .zip: ModelNotFound, naming the URL and the status", async () => {
    for (const path of ["/nothing/model.json", "/nothing.zip"]) {
      const url = `${server.url}${path}`;
      const error = await notFound(loadLearner(url), url);
      expect(error.message).toBe(
        `${url}: no model there (HTTP 404); check the address: give the URL of the model.json (or .zip) that learn.export wrote, as the server serves it`,
      );
    }
  });

  it("HTTP 410 is ModelNotFound too; a server error (HTTP 500) is not", async () => {
    const status = (code: number) => async () => new Response("", { status: code });
    const gone = await notFound(
      artifactsFromUrl("https://models.example/pets/model.json", status(410)),
      "https://models.example/pets/model.json",
    );
    expect(gone.message).toMatch(
      /^https:\/\/models\.example\/pets\/model\.json: no model there \(HTTP 410\); check the address/,
    );
    const failed = await otherError(artifactsFromUrl("https://models.example/pets/model.json", status(500)));
    expect(failed.message).toBe(
      "https://models.example/pets/model.json: could not be fetched (HTTP 500); give the URL of the model.json (or .zip) that learn.export wrote",
    );
  });

  it("a model.json that is there but broken, or whose weights are missing (their 404): not ModelNotFound", async () => {
    expect((await otherError(loadLearner(`${server.url}/broken/model.json`))).message).toMatch(
      /broken\/model.json: not a model: its model.json is not JSON/,
    );
    expect((await otherError(loadLearner(`${server.url}/lost/model.json`))).message).toMatch(
      /lost\/model.json: weights missing: model.json names weights.bin, which could not be fetched \(HTTP 404\)/,
    );
  });
});

describe("loadLearner: ModelNotFound from a path (Node)", () => {
  it("no such folder, a folder without model.json, no such .zip: ModelNotFound, naming the file it could not read", async () => {
    const missing = join(root, "no-such-model");
    const missingError = await notFound(loadLearner(missing), missing);
    expect(missingError.message).toMatch(
      /^could not read .*no-such-model\/model\.json: ENOENT: no such file or directory.*; give a folder made by `npm run pretrain` or `dlcourse train --out` \(or learn\.export\)$/,
    );
    const empty = join(root, "empty");
    await mkdir(empty, { recursive: true });
    expect((await notFound(loadLearner(empty), empty)).message).toMatch(/^could not read .*empty\/model\.json: ENOENT/);
    const zip = join(root, "no-such-model.zip");
    expect((await notFound(loadLearner(zip), zip)).message).toMatch(
      /^could not read .*no-such-model\.zip: ENOENT: no such file or directory.*; give the \.zip that learn.export wrote$/,
    );
  });

  it("a corrupt model in a folder or a .zip that is not one: the usual errors, not ModelNotFound", async () => {
    const corrupt = join(root, "corrupt");
    await mkdir(corrupt, { recursive: true });
    await writeFile(join(corrupt, "model.json"), "hello");
    expect((await otherError(loadLearner(corrupt))).message).toMatch(
      /corrupt: not a model: its model.json is not JSON/,
    );
    const noWeights = join(root, "no-weights");
    await mkdir(noWeights, { recursive: true });
    await writeFile(join(noWeights, "model.json"), NO_WEIGHTS_JSON);
    expect((await otherError(loadLearner(noWeights))).message).toMatch(
      /no-weights: weights missing: model.json names weights.bin, which is not in the folder/,
    );
    const notZip = join(root, "photo.zip");
    await writeFile(notZip, "not a zip");
    expect((await otherError(loadLearner(notZip))).message).toMatch(
      /photo\.zip: not a model: not a readable zip archive/,
    );
  });
});

describe("ModelNotFound", () => {
  it("is exported from the library entry", async () => {
    const entry = await import("../../src/index.js");
    expect(entry.ModelNotFound).toBe(ModelNotFound);
  });
});
