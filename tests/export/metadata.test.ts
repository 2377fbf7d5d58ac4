import { describe, expect, it } from "vitest";
import { pretrainStats } from "../../src/data/normalize.js";
import { readModelMetadata, type ModelMetadata } from "../../src/export/metadata.js";

const valid: ModelMetadata = {
  format: "dl-course/image-classifier",
  version: 1,
  classes: ["cat", "dog"],
  inputSize: 64,
  resize: "crop",
  normalization: pretrainStats,
  base: "course base",
  pretrained: true,
  training: { trainCount: 240, validCount: 60, epochs: [] },
};

const read = (dlcourse: unknown) => () => readModelMetadata({ dlcourse }, "models/pets");

describe("readModelMetadata(userDefinedMetadata, source)", () => {
  it("returns the course's entry when it is sound", () => {
    expect(readModelMetadata({ dlcourse: valid, other: 1 }, "models/pets")).toEqual(valid);
  });

  it("says what is missing and how to export, for a model without the entry", () => {
    expect(() => readModelMetadata(undefined, "models/pets")).toThrow(
      "models/pets has no dl-course metadata (userDefinedMetadata.dlcourse with classes, inputSize, resize, normalization); export the model with learn.export(...) or `dlcourse train --out`",
    );
  });

  it("rejects another format and a bad version", () => {
    expect(read({ ...valid, format: "keras" })).toThrow(
      'models/pets is not a dl-course image classifier (format "keras", expected "dl-course/image-classifier"); export the model with learn.export(...)',
    );
    expect(read({ ...valid, version: 0 })).toThrow(
      "models/pets has an invalid format version: 0; export the model again with learn.export(...)",
    );
  });

  it("asks for a newer library for a newer version", () => {
    expect(read({ ...valid, version: 3 })).toThrow(
      "models/pets is dl-course/image-classifier version 3, newer than this library reads (version 1); update dl-course to load it",
    );
  });

  it("names a bad field, its value and what it must be", () => {
    expect(read({ ...valid, classes: ["cat"] })).toThrow(
      'models/pets has invalid metadata classes: ["cat"]; it must list two or more class names',
    );
    expect(read({ ...valid, inputSize: 6.5 })).toThrow(
      "models/pets has invalid metadata inputSize: 6.5; it must be a positive integer, e.g. 64",
    );
    expect(read({ ...valid, resize: "stretch" })).toThrow(
      'models/pets has invalid metadata resize: "stretch"; it must be "squish", "crop" or "pad"',
    );
    expect(read({ ...valid, normalization: { mean: [0, 0, 0], std: [0, 1, 1] } })).toThrow(
      /models\/pets has invalid metadata normalization: .*; it must be \{mean: \[r, g, b\], std: \[r, g, b\]\} for pixels in \[0, 1\]/,
    );
  });
});
