import * as tf from "@tensorflow/tfjs";
import { zipSync } from "fflate";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveModelDir } from "../../src/node/model-files.js";
import { loadLearner } from "../../src/export/load.js";
import type { Learner } from "../../src/model/learner.js";
import { serveStatic } from "../browser/server.js";
import { rejection } from "../util/images.js";
import { maxAbsDiff, trainedLearner } from "./helpers.js";

let learn: Learner;
let root: string;
let good: string;
let json: string;
let weights: Uint8Array<ArrayBuffer>;
let expected: number[][];
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  learn = await trainedLearner();
  root = await mkdtemp(join(tmpdir(), "dlcourse-load-"));
  good = join(root, "good");
  await learn.export(good);
  json = await readFile(join(good, "model.json"), "utf8");
  weights = new Uint8Array(await readFile(join(good, "weights.bin")));
  expected = (await learn.predictBatch(learn.dls.valid.items.slice(0, 3).map((i) => i.image))).map((p) => p.probs);
  server = await serveStatic(join(root, "no-such-folder"), {
    "/pets/model.json": new TextEncoder().encode(json),
    "/pets/weights.bin": weights,
    "/pets.zip": await learn.exportZip(),
    "/lost/model.json": new TextEncoder().encode(json),
  });
});
afterAll(async () => {
  learn?.dispose();
  await server?.close();
});

/** Loads `src`, checks it predicts as the learner did, and disposes it. */
async function expectSameModel(src: Parameters<typeof loadLearner>[0]): Promise<void> {
  const before = tf.memory().numTensors;
  const loaded = await loadLearner(src);
  expect(loaded.classes).toEqual(["cat", "dog"]);
  const probs = (await loaded.predictBatch(learn.dls.valid.items.slice(0, 3).map((i) => i.image))).map((p) => p.probs);
  expect(maxAbsDiff(probs, expected)).toBeLessThanOrEqual(1e-5);
  loaded.dispose();
  expect(tf.memory().numTensors, "tensors left after dispose").toBe(before);
}

/** A folder with `model.json` and `weights.bin` as given (either may be left out). */
async function folder(name: string, files: { json?: string; weights?: Uint8Array }): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (files.json !== undefined) await writeFile(join(dir, "model.json"), files.json);
  if (files.weights !== undefined) await writeFile(join(dir, "weights.bin"), files.weights);
  return dir;
}

/** model.json with `edit` applied to its parsed form. */
function editedJson(
  edit: (model: tf.io.ModelJSON & { userDefinedMetadata: { dlcourse: Record<string, unknown> } }) => void,
): string {
  const model = JSON.parse(json);
  edit(model);
  return JSON.stringify(model);
}

describe("loadLearner(src)", () => {
  it("loads a folder (Node), with the metadata it was exported with", async () => {
    await expectSameModel(good);
    const loaded = await loadLearner(good);
    expect(loaded.metadata).toMatchObject({
      format: "dl-course/image-classifier",
      version: 1,
      inputSize: 32,
      resize: "crop",
      training: { trainCount: 24 },
    });
    loaded.dispose();
  });

  it("loads a .zip file (Node)", async () => {
    const path = join(root, "pets.zip");
    await learn.export(path);
    await expectSameModel(path);
  });

  it("loads the URL of a model.json, fetching its weights beside it", async () => {
    await expectSameModel(`${server.url}/pets/model.json`);
  });

  it("loads the URL of a .zip", async () => {
    await expectSameModel(`${server.url}/pets.zip`);
  });

  it("loads a picked .zip file", async () => {
    await expectSameModel([new File([await learn.exportZip()], "pets.zip")]);
  });

  it("loads picked model.json and weight files, in any order", async () => {
    await expectSameModel([new File([weights], "weights.bin"), new File([json], "model.json")]);
  });

  it("loads a dropped .zip given as one Blob", async () => {
    await expectSameModel(new Blob([await learn.exportZip()]));
  });

  it("loads through a tfjs IO handler", async () => {
    const model = JSON.parse(json) as tf.io.ModelJSON;
    await expectSameModel(
      tf.io.fromMemory(
        tf.io.getModelArtifactsForJSONSync(model, model.weightsManifest[0]!.weights, weights.slice().buffer),
      ),
    );
  });
});

describe("loadLearner(src) errors", () => {
  it("not a model: model.json that is not JSON, a graph model, files without model.json, a zip without it", async () => {
    await expect(loadLearner(await folder("text", { json: "hello", weights }))).rejects.toThrow(
      /text: not a model: its model.json is not JSON \(.*\); give the model.json \(or \.zip\) that learn.export wrote$/,
    );
    const graph = JSON.stringify({ format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] });
    await expect(loadLearner(await folder("graph", { json: graph }))).rejects.toThrow(
      /graph: not a model: no tfjs layers topology \(a graph model or another file\?\); give what learn.export or `dlcourse train --out` wrote/,
    );
    await expect(loadLearner([new File(["hi"], "notes.txt"), new File([weights], "weights.bin")])).rejects.toThrow(
      "the files given (notes.txt, weights.bin): not a model: no model.json among them; pick model.json together with its weight files, or the one .zip that learn.export wrote",
    );
    await expect(
      loadLearner([new File([new Uint8Array(zipSync({ "cat.png": new Uint8Array(4) }))], "photos.zip")]),
    ).rejects.toThrow(/^photos.zip: not a model: the zip has no model.json; give the \.zip that learn.export wrote/);
  });

  it("weights missing: from a folder, from picked files, from a URL", async () => {
    await expect(loadLearner(await folder("no-weights", { json }))).rejects.toThrow(
      /no-weights: weights missing: model.json names weights.bin, which is not in the folder; give model.json together with its weight files \(or the \.zip that learn.export wrote\)$/,
    );
    await expect(loadLearner([new File([json], "model.json")])).rejects.toThrow(
      /^the files given \(model.json\): weights missing: model.json names weights.bin, which was not among the files given; give model.json together/,
    );
    await expect(loadLearner(`${server.url}/lost/model.json`)).rejects.toThrow(
      /lost\/model.json: weights missing: model.json names weights.bin, which could not be fetched \(HTTP 404\); give model.json together/,
    );
  });

  it("weights truncated: fewer bytes than model.json describes", async () => {
    const error = await rejection(loadLearner(await folder("cut", { json, weights: weights.slice(0, 1000) })));
    expect(error.message).toMatch(
      new RegExp(
        `cut: weights truncated: the weight files hold 1000 bytes but model.json describes ${weights.byteLength}; a download or copy was cut short — copy or export the model again$`,
      ),
    );
  });

  it("shapes that disagree: a weight whose shape the layer does not have", async () => {
    const swapped = editedJson((model) => {
      const kernel = model.weightsManifest[0]!.weights.find((w) => w.name === "head_dense/kernel")!;
      kernel.shape = [...kernel.shape].reverse();
    });
    await expect(loadLearner(await folder("shapes", { json: swapped, weights }))).rejects.toThrow(
      /shapes: the weights do not fit the model \(.*[Ss]hape.*\); model.json and the weight files come from different exports — give both from the same one$/,
    );
  });

  it("metadata missing: a plain tfjs model", async () => {
    const dir = join(root, "plain");
    await saveModelDir(learn.model, dir, {});
    await expect(loadLearner(dir)).rejects.toThrow(
      /plain has no dl-course metadata \(userDefinedMetadata.dlcourse with classes, inputSize, resize, normalization\); export the model with learn.export\(...\) or `dlcourse train --out`$/,
    );
  });

  it("metadata from a newer format version", async () => {
    const newer = editedJson((model) => (model.userDefinedMetadata.dlcourse.version = 2));
    await expect(loadLearner(await folder("newer", { json: newer, weights }))).rejects.toThrow(
      /newer is dl-course\/image-classifier version 2, newer than this library reads \(version 1\); update dl-course to load it$/,
    );
  });

  it("metadata that lists another number of classes than the model gives", async () => {
    const three = editedJson((model) => (model.userDefinedMetadata.dlcourse.classes = ["cat", "dog", "fox"]));
    await expect(loadLearner(await folder("three", { json: three, weights }))).rejects.toThrow(
      /three: the model gives 2 probabilities but its metadata lists 3 classes; the metadata belongs to another model — export the model again$/,
    );
  });

  it("a source nothing here can read: indexeddb:// outside a browser", async () => {
    await expect(loadLearner("indexeddb://pets")).rejects.toThrow(
      /^invalid model source: "indexeddb:\/\/pets"; give the URL of a model.json or \.zip, indexeddb:\/\/name in a browser, or a folder or \.zip path in Node/,
    );
  });

  it("leaves no tensor behind when it fails", async () => {
    const dirs = [
      await folder("leak-shapes", {
        json: editedJson((m) =>
          m.weightsManifest[0]!.weights.find((w) => w.name === "head_dense/kernel")!.shape.reverse(),
        ),
        weights,
      }),
      await folder("leak-three", {
        json: editedJson((m) => (m.userDefinedMetadata.dlcourse.classes = ["a", "b", "c"])),
        weights,
      }),
    ];
    const before = tf.memory().numTensors;
    for (const dir of dirs) await rejection(loadLearner(dir));
    expect(tf.memory().numTensors).toBe(before);
  });
});
