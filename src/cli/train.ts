import {
  asUsageError,
  backendOption,
  dataUsageError,
  numberOption,
  parseOptions,
  startBackend,
  UsageError,
  type Command,
} from "./command.js";

const OPTION_NAMES = {
  validPct: "valid-pct",
  epochs: "epochs",
  freezeEpochs: "freeze-epochs",
  baseLr: "lr",
  seed: "seed",
};

export const trainCommand: Command = {
  summary: "fine-tune the pretrained base on an image folder and save the model (JSON summary)",
  usage: [
    "Usage: dlcourse train --data DIR --out MODEL_DIR [--valid-pct 0.2] [--seed 42] [--epochs 3]",
    "                      [--freeze-epochs 1] [--lr 2e-3] [--no-pretrained] [--base DIR|URL] [--backend cpu|wasm]",
    "",
    "Lesson 1 headless: loads DIR/<label>/<images>, splits off --valid-pct for validation, puts a new head",
    "on the base (default: the course's data/models/base) and runs fineTune(--epochs, {baseLr: --lr,",
    "freezeEpochs: --freeze-epochs}). Progress goes to stderr; stdout gets one JSON object",
    "{classes, trainCount, validCount, skipped: [{file, reason}], epochs: [{epoch, phase, trainLoss,",
    "validLoss, errorRate, seconds}]}. The model is exported to MODEL_DIR (model.json + weights.bin, its",
    'classes and preprocessing in the metadata; see the README\'s "Exported model format"), or to one zip',
    "when MODEL_DIR ends in .zip; `dlcourse predict --model MODEL_DIR` predicts with it.",
    "  --no-pretrained  same architecture, random weights (the comparison lesson 1 makes)",
    "  --base           a folder or the URL of a tfjs layers model.json (hosted models: see the README)",
    "  --backend        wasm (default, fast) or cpu",
    "Ctrl-C stops after the current batch and saves nothing.",
  ].join("\n"),
  async run(args, io) {
    const options = parseOptions(
      args,
      ["data", "out", "valid-pct", "seed", "epochs", "freeze-epochs", "lr", "base", "backend"],
      ["no-pretrained"],
    );
    if (options.data === undefined)
      throw new UsageError("missing --data DIR; give the folder with one subfolder per class, e.g. --data data/pets");
    if (options.out === undefined)
      throw new UsageError("missing --out MODEL_DIR; say where to write the trained model, e.g. --out models/pets");
    const backend = backendOption(options);
    const validPct = numberOption(options, "valid-pct", 0.2);
    const seed = numberOption(options, "seed", 42, { integer: true });
    const epochs = numberOption(options, "epochs", 3, { integer: true });
    const freezeEpochs = numberOption(options, "freeze-epochs", 1, { integer: true });
    const baseLr = numberOption(options, "lr", 2e-3);
    const pretrained = options["no-pretrained"] === undefined;

    const { datasetFromFolder } = await import("../node/folder.js");
    const { loadBaseFrom, DEFAULT_BASE_DIR } = await import("../node/base.js");
    await import("../node/model-files.js"); // lets learn.export write a folder
    const { dataLoaders } = await import("../data/batches.js");
    const { visionLearner } = await import("../model/learner.js");

    const choice = await startBackend(backend, "train");
    let dataset;
    try {
      dataset = await datasetFromFolder(options.data);
    } catch (error) {
      throw dataUsageError(error, options.data);
    }
    for (const { file, reason } of dataset.skipped) io.err.write(`skipped ${file}: ${reason}\n`);
    let base;
    try {
      base = await loadBaseFrom(options.base ?? DEFAULT_BASE_DIR);
    } catch (error) {
      throw new UsageError(`invalid --base: ${(error as Error).message}`);
    }
    let learn;
    try {
      const dls = dataLoaders(dataset, {
        validPct,
        seed,
        size: base.info.inputSize,
        normalization: base.info.normalization,
      });
      learn = await visionLearner(dls, { base, pretrained, seed });
    } catch (error) {
      throw asUsageError(error, OPTION_NAMES);
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      const { train, valid } = learn.dls;
      io.err.write(
        `training on ${choice.backend}: ${train.items.length} training and ${valid.items.length} validation images, classes ${learn.classes.join(", ")}; base ${base.info.name}${pretrained ? "" : " (random weights)"}\n`,
      );
      const events = await learn
        .fineTune(epochs, {
          baseLr,
          freezeEpochs,
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === "epoch")
              io.err.write(
                `${e.phase} epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)}, valid loss ${e.validLoss.toFixed(4)}, error rate ${e.metrics.errorRate!.toFixed(4)}, ${e.seconds.toFixed(1)} s\n`,
              );
          },
        })
        .catch((error: unknown) => {
          throw asUsageError(error, OPTION_NAMES);
        });
      await learn.export(options.out);
      const summary = {
        classes: learn.classes,
        trainCount: train.items.length,
        validCount: valid.items.length,
        skipped: dataset.skipped,
        epochs: events.map(({ epoch, phase, trainLoss, validLoss, metrics, seconds }) => ({
          epoch,
          phase,
          trainLoss,
          validLoss,
          errorRate: metrics.errorRate,
          seconds,
        })),
      };
      io.out.write(`${JSON.stringify(summary)}\n`);
      io.err.write(`wrote ${options.out}\n`);
      return 0;
    } catch (error) {
      if ((error as Error).name === "AbortError") {
        io.err.write("stopped; nothing saved\n");
        return 130;
      }
      throw error;
    } finally {
      process.off("SIGINT", stop);
      learn.dispose();
    }
  },
};
