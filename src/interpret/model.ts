import * as tf from "@tensorflow/tfjs";
import { DataLoader } from "../data/batches.js";
import type { ImageItem } from "../data/dataset.js";
import type { ModelMetadata } from "../export/metadata.js";
import { scoreItem, type ItemResult } from "./interpret.js";

/**
 * Scores `items` with a saved model (image [N, size, size, 3] → probabilities [N, classes]) the way
 * `interpret` scores a learner's: what `dlcourse top-losses` runs. Items whose label is not one of the
 * model's classes are an error naming them. Leaves no tensor behind.
 */
export async function interpretModel(
  model: tf.LayersModel,
  items: { item: ImageItem; split: "train" | "valid" }[],
  meta: Pick<ModelMetadata, "classes" | "inputSize" | "normalization" | "resize">,
): Promise<ItemResult[]> {
  const unknown = items.filter(({ item }) => !meta.classes.includes(item.label));
  if (unknown.length > 0)
    throw new Error(
      `${unknown.length} images have labels the model does not know (${[...new Set(unknown.map((u) => u.item.label))].join(", ")}; it knows ${meta.classes.join(", ")}); give data with the model's classes`,
    );
  const loader = new DataLoader(
    items.map((i) => i.item),
    meta.classes,
    { size: meta.inputSize, resize: meta.resize, normalization: meta.normalization, batchSize: 64 },
  );
  const results: ItemResult[] = [];
  for (const { xs, ys, items: batch } of loader.batches()) {
    const probs = tf.tidy(() => model.predict(xs) as tf.Tensor2D);
    const rows = (await probs.array()) as number[][];
    tf.dispose([xs, ys, probs]);
    batch.forEach((item, i) =>
      results.push(
        scoreItem(item, rows[i]!, meta.classes.indexOf(item.label), meta.classes, items[results.length]!.split),
      ),
    );
  }
  return results;
}
