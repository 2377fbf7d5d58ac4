// Makes what tests/export/interop.test.ts reads, with the course's own code, so that the test itself
// needs only tfjs, fs and pngjs: `tsx tests/export/interop-fixture.ts OUT` writes OUT/model (an
// export), OUT/images/*.png and OUT/expected.json ({file: probabilities} from learn.predict).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedDataset } from "../../src/draw/generate.js";
import { createImage, type RgbImage } from "../../src/data/image.js";
import { decodeImage } from "../../src/node/decode.js";
import { encodePng } from "../../src/node/encode.js";
import "../../src/node/model-files.js";
import { trainedLearner } from "./helpers.js";

/** `image` in the middle of a picture `margin` pixels wider on each side, the margins striped: what "crop" cuts away. */
function widened(image: RgbImage, margin: number): RgbImage {
  const out = createImage(image.width + 2 * margin, image.height);
  out.data.forEach((_, i) => (out.data[i] = (i * 37) % 256));
  for (let y = 0; y < image.height; y++)
    out.data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * out.width + margin) * 3);
  return out;
}

const out = process.argv[2]!;
const learn = await trainedLearner();
await learn.export(join(out, "model"));
mkdirSync(join(out, "images"), { recursive: true });
// 64 px pets: twice the model's 32, so the documented area average is a mean of 2 × 2 pixels
const pets = generatedDataset({ set: "pets", perClass: 2, size: 64, seed: 11 }).items;
const images: Record<string, RgbImage> = {
  "square.png": pets[0]!.image,
  "wide.png": widened(pets[1]!.image, 16),
  "wide-dog.png": widened(pets[2]!.image, 16),
};
const expected: Record<string, number[]> = {};
for (const [name, image] of Object.entries(images)) {
  const file = join(out, "images", name);
  writeFileSync(file, encodePng(image));
  expected[name] = (await learn.predict(decodeImage(readFileSync(file), name))).probs;
}
writeFileSync(join(out, "expected.json"), JSON.stringify(expected));
learn.dispose();
