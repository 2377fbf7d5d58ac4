import * as tf from "@tensorflow/tfjs";
import { unzipSync } from "fflate";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../../src/node/model-files.js";
import { pretrainStats } from "../../src/data/normalize.js";
import { expectedWeightBytes } from "../../src/export/artifacts.js";
import type { Learner } from "../../src/model/learner.js";
import { expectNoLeakedTensors } from "../util/tensors.js";
import { trainedLearner } from "./helpers.js";

let learn: Learner;
let root: string;
beforeAll(async () => {
  learn = await trainedLearner();
  root = await mkdtemp(join(tmpdir(), "dlcourse-export-"));
});
afterAll(() => learn?.dispose());

async function modelJson(dir: string): Promise<tf.io.ModelJSON> {
  return JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
}

describe("learn.export(dir)", () => {
  it("writes model.json + weights.bin with the course's metadata: format, version, classes, preprocessing, training", async () => {
    const dir = join(root, "pets");
    const written = await learn.export(dir);
    const json = await modelJson(dir);
    expect(json.format).toBe("layers-model");
    expect(json.weightsManifest).toEqual([{ paths: ["weights.bin"], weights: expect.any(Array) }]);
    expect(json.userDefinedMetadata).toEqual({ dlcourse: written });
    expect(written).toEqual({
      format: "dl-course/image-classifier",
      version: 1,
      classes: ["cat", "dog"],
      inputSize: 32,
      resize: "crop",
      normalization: pretrainStats,
      base: learn.baseInfo.name,
      pretrained: true,
      training: {
        trainCount: 24,
        validCount: 8,
        epochs: [
          {
            phase: "fit",
            epoch: 0,
            trainLoss: expect.any(Number),
            validLoss: expect.any(Number),
            metrics: { errorRate: expect.any(Number) },
          },
        ],
      },
    });
    const weights = await readFile(join(dir, "weights.bin"));
    expect(weights.byteLength).toBe(expectedWeightBytes(json.weightsManifest[0]!.weights));
  });

  it("writes the same bytes for the same weights (no timestamps)", async () => {
    const [one, two] = [join(root, "one"), join(root, "two")];
    await learn.export(one);
    await learn.export(two);
    for (const file of ["model.json", "weights.bin"])
      expect(await readFile(join(two, file))).toEqual(await readFile(join(one, file)));
  });

  it("writes one zip of both files when the path ends in .zip", async () => {
    const [dir, zip] = [join(root, "folder"), join(root, "pets.zip")];
    await learn.export(dir);
    await learn.export(zip);
    const entries = unzipSync(new Uint8Array(await readFile(zip)));
    expect(Object.keys(entries).sort()).toEqual(["model.json", "weights.bin"]);
    expect(Buffer.from(entries["model.json"]!)).toEqual(await readFile(join(dir, "model.json")));
    expect(Buffer.from(entries["weights.bin"]!)).toEqual(await readFile(join(dir, "weights.bin")));
  });

  it("saves through any tfjs IO handler, the metadata included", async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    await learn.export(
      tf.io.withSaveHandler(
        async (artifacts) => (
          (saved = artifacts),
          { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } }
        ),
      ),
    );
    expect((saved!.userDefinedMetadata as { dlcourse: { classes: string[] } }).dlcourse.classes).toEqual([
      "cat",
      "dog",
    ]);
  });

  it("leaves no tensor behind", async () => {
    await expectNoLeakedTensors(() => learn.export(join(root, "leak")));
  });

  it("rejects downloads:// (two files) and pointing at downloadLearner's one .zip", async () => {
    await expect(learn.export("downloads://pets")).rejects.toThrow(
      'invalid export destination: "downloads://pets" would download two files; use downloadLearner(learn, "model.zip") from the browser entry, which downloads one .zip',
    );
  });

  it("rejects a destination nothing saves to, listing the ones that work", async () => {
    await expect(learn.export("indexeddb://pets")).rejects.toThrow(
      /^invalid export destination: "indexeddb:\/\/pets"; give indexeddb:\/\/name in a browser, or a folder or a \.zip path in Node/,
    );
  });
});

describe("learn.exportZip()", () => {
  it("gives the bytes learn.export(path.zip) writes, the same every time", async () => {
    const path = join(root, "same.zip");
    await learn.export(path);
    const [a, b] = [await learn.exportZip(), await learn.exportZip()];
    expect(Buffer.from(a)).toEqual(await readFile(path));
    expect(b).toEqual(a);
  });
});
