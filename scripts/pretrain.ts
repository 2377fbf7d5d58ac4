// npm run pretrain: trains the course base from scratch and writes data/models/base/ (why: docs/base-model.md).
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { BASE_BLOCKS } from "../src/model/base.js";
import { pretrainBase } from "../src/model/pretrain.js";
import { initNodeBackend } from "../src/node/backend.js";
import { saveModelDir } from "../src/node/model-files.js";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "data/models/base" },
    seed: { type: "string", default: "0" },
    "per-class": { type: "string", default: "400" },
    epochs: { type: "string", default: "24" },
    lr: { type: "string", default: "3e-3" },
    // the body's depthwise-separable blocks as filters:stride,…; default the course's (BASE_BLOCKS)
    blocks: { type: "string" },
  },
});
const seed = Number(values.seed);
const perClass = Number(values["per-class"]);
const epochs = Number(values.epochs);
const lr = Number(values.lr);
const blocks = values.blocks?.split(",").map((b) => b.split(":").map(Number) as [number, number]);
if (blocks?.some((b) => b.length !== 2 || !b.every((v) => Number.isInteger(v) && v > 0))) {
  throw new Error(
    `invalid --blocks: ${values.blocks}; use filters:stride pairs, e.g. 32:1,64:2,128:1,128:2,256:1,256:2`,
  );
}
const choice = await initNodeBackend({ task: "train" });
const started = performance.now();
console.error(
  `pretraining on ${choice.backend}: ${perClass} images per class, ${epochs} epochs, lr ${lr}, seed ${seed}`,
);
const { learner, info } = await pretrainBase({
  seed,
  perClass,
  epochs,
  lr,
  architecture: blocks ? { blocks } : {},
  onEvent: (e) => {
    if (e.type === "epoch")
      console.error(
        `epoch ${e.epoch + 1}/${epochs}  train ${e.trainLoss.toFixed(3)}  valid ${e.validLoss.toFixed(3)}  held-out accuracy ${(1 - e.metrics.errorRate!).toFixed(3)}  ${e.seconds.toFixed(0)} s  tensors ${tf.memory().numTensors}`,
      );
  },
});
const seconds = Math.round((performance.now() - started) / 1000);
const custom = blocks !== undefined && JSON.stringify(blocks) !== JSON.stringify(BASE_BLOCKS);
const command = `npm run pretrain -- --seed ${seed} --per-class ${perClass} --epochs ${epochs} --lr ${lr}${custom ? ` --blocks ${values.blocks}` : ""}`;
info.pretraining = { ...info.pretraining, command, backend: choice.backend, seconds, tfjs: tf.version.tfjs };
const { bytes } = await saveModelDir(learner.model, values.out!, { base: info });
learner.dispose();
console.error(
  `wrote ${values.out} (${(bytes / 1e6).toFixed(2)} MB of weights) in ${seconds} s; held-out accuracy ${info.pretraining.heldOutAccuracy}`,
);
