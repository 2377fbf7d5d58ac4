import * as tf from "@tensorflow/tfjs";
import { DataLoader } from "../src/data/batches.js";
import type { ImageItem } from "../src/data/dataset.js";
import { generateDataset } from "../src/draw/generate.js";
import { initNodeBackend } from "../src/node/backend.js";
import { decodeImage } from "../src/node/decode.js";
import { encodePng } from "../src/node/encode.js";
import { mobileNet } from "./models.js";
import type { BenchRow } from "./table.js";
import { time } from "./table.js";

const N = 2000;
const SIZE = 96;
const MODEL_SIZE = 64;

export async function dataBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let items: ReturnType<typeof generateDataset>["items"] = [];
  const generate = await time(() => (items = generateDataset({ set: "pets", perClass: N / 2, size: SIZE }).items));
  rows.push({ name: `generate ${N} pets images ${SIZE}px`, value: N / generate, unit: "img/s" });

  let pngs: Uint8Array[] = [];
  const encode = await time(() => (pngs = items.map((item) => encodePng(item.image))));
  rows.push({
    name: "encode PNG (pngjs)",
    value: N / encode,
    unit: "img/s",
    note: `${(pngs.reduce((s, p) => s + p.length, 0) / N / 1024).toFixed(1)} KB/image`,
  });

  let decoded: ImageItem[] = [];
  const decode = await time(
    () =>
      (decoded = pngs.map((png, i) => ({
        file: items[i]!.file,
        label: items[i]!.label,
        image: decodeImage(png, items[i]!.file),
      }))),
  );
  rows.push({ name: "decode PNG (pngjs)", value: N / decode, unit: "img/s" });

  await initNodeBackend({ task: "train" });
  let loader: DataLoader | undefined;
  const resize = await time(
    () =>
      (loader = new DataLoader(decoded, ["cat", "dog"], {
        size: MODEL_SIZE,
        batchSize: 32,
        shuffle: true,
        augment: {},
      })),
  );
  rows.push({ name: `resize ${SIZE}→${MODEL_SIZE} (item transform)`, value: N / resize, unit: "img/s" });

  const epochOn = async (backend: "cpu" | "wasm") => {
    await initNodeBackend({ order: [backend] });
    return time(() => {
      for (const { xs, ys } of loader!.batches(0)) tf.dispose([xs, ys]);
    });
  };
  const wasmEpoch = await epochOn("wasm");
  rows.push({ name: "batches of 32, augmented (wasm)", value: (loader!.length * 32) / wasmEpoch, unit: "img/s" });
  const epoch = await epochOn("cpu");
  rows.push({ name: "batches of 32, augmented (cpu)", value: (loader!.length * 32) / epoch, unit: "img/s" });
  rows.push({ name: "decode + resize + batch, end to end (cpu)", value: N / (decode + resize + epoch), unit: "img/s" });
  const pipeline = (loader!.length * 32) / Math.min(epoch, wasmEpoch);
  rows.push({
    name: "per-epoch data cost (batches, faster backend)",
    value: pipeline,
    unit: "img/s",
    note: "decode and resize happen once",
  });

  await initNodeBackend({ task: "train" });
  const model = mobileNet({ size: MODEL_SIZE });
  const x = tf.randomNormal([8, MODEL_SIZE, MODEL_SIZE, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], "int32"), 2);
  const step = await time(() => model.trainOnBatch(x, y), { repeats: 3, warmup: true });
  const train = 8 / step;
  rows.push({
    name: `train step, base-like CNN ${MODEL_SIZE}px (${tf.getBackend()} + our kernels)`,
    value: train,
    unit: "img/s",
  });
  rows.push({
    name: "data pipeline ÷ training speed",
    value: pipeline / train,
    unit: "×",
    note: "> 1: data is not the bottleneck",
  });
  tf.dispose([x, y]);
  model.dispose();
  return rows;
}
