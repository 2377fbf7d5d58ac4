// A plain tfjs program that knows only the README's "Exported model format" and docs/export.md: it
// imports no code of the course. The model and images come from interop-fixture.ts, run in its own process.
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pngjs from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const out = mkdtempSync(join(tmpdir(), "dlcourse-interop-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
beforeAll(async () => {
  const made = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "interop-fixture.ts"), out], {
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`interop-fixture.ts failed: ${made.stderr}`);
  await tf.setBackend("cpu");
}, 60_000);

interface Metadata {
  format: string;
  version: number;
  classes: string[];
  inputSize: number;
  resize: string;
  normalization: { mean: number[]; std: number[] };
}

/** Step 1: the PNG's pixels as RGB bytes, alpha over white. */
function decodeRgb(file: string): { width: number; height: number; rgb: Uint8Array } {
  const png = pngjs.PNG.sync.read(readFileSync(file));
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) {
    const alpha = png.data[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(png.data[p * 4 + c]! * alpha + 255 * (1 - alpha));
  }
  return { width: png.width, height: png.height, rgb };
}

/** Steps 2–3 for "crop" when the centre square is a whole multiple of inputSize: each output byte the rounded mean of its f × f source block. */
function cropAndShrink(
  { width, height, rgb }: { width: number; height: number; rgb: Uint8Array },
  size: number,
): Uint8Array {
  const side = Math.min(width, height);
  const [left, top] = [(width - side) / 2, (height - side) / 2];
  const f = side / size;
  if (!Number.isInteger(f) || !Number.isInteger(left) || !Number.isInteger(top))
    throw new Error("this reader only does whole-pixel crops and whole-number factors");
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < f; dy++)
          for (let dx = 0; dx < f; dx++) sum += rgb[((top + y * f + dy) * width + left + x * f + dx) * 3 + c]!;
        out[(y * size + x) * 3 + c] = Math.round(sum / (f * f));
      }
    }
  }
  return out;
}

describe("an exported model read by plain tfjs and the documented metadata", () => {
  it("gives the probabilities learn.predict gave (max abs diff ≤ 1e-5)", async () => {
    const modelJson = JSON.parse(readFileSync(join(out, "model", "model.json"), "utf8")) as tf.io.ModelJSON;
    const meta = (modelJson.userDefinedMetadata as { dlcourse: Metadata }).dlcourse;
    expect([meta.format, meta.version, meta.resize]).toEqual(["dl-course/image-classifier", 1, "crop"]);
    const shards = modelJson.weightsManifest
      .flatMap((group) => group.paths)
      .map((path) => readFileSync(join(out, "model", path)));
    const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData,
      }),
    );
    const expected = JSON.parse(readFileSync(join(out, "expected.json"), "utf8")) as Record<string, number[]>;
    const names = readdirSync(join(out, "images")).sort();
    expect(names).toEqual(Object.keys(expected).sort());
    for (const name of names) {
      const bytes = cropAndShrink(decodeRgb(join(out, "images", name)), meta.inputSize);
      // step 4: (byte / 255 − mean) / std per channel; step 5: NHWC [1, size, size, 3]
      const floats = Float32Array.from(
        bytes,
        (v, k) => (v / 255 - meta.normalization.mean[k % 3]!) / meta.normalization.std[k % 3]!,
      );
      const x = tf.tensor4d(floats, [1, meta.inputSize, meta.inputSize, 3]);
      const probs = model.predict(x) as tf.Tensor;
      const got = Array.from(await probs.data());
      tf.dispose([x, probs]);
      expect(got).toHaveLength(meta.classes.length);
      expect(Math.max(...got.map((p, i) => Math.abs(p - expected[name]![i]!))), name).toBeLessThanOrEqual(1e-5);
    }
    model.dispose();
  });
});
