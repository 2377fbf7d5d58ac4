import { dataUsageError, numberOption, parseOptions, UsageError, type Command } from "./command.js";
import { skippedInWords } from "./output.js";
import { loadModelOption } from "./predict.js";

export const topLossesCommand: Command = {
  summary: "rank an image folder's items by a trained model's loss, highest first (JSON)",
  usage: [
    "Usage: dlcourse top-losses --model MODEL_DIR --data DIR [-k 20] [--split all|valid|train] [--valid-pct 0.2] [--seed 42]",
    "",
    "Lesson 2's cleaner, headless: scores every image of DIR/<label>/ with the model `dlcourse train` wrote",
    "and prints a JSON array [{file, label, predicted, loss, prob}] of the k highest losses, highest first",
    "(prob: the model's probability of the given label). --split picks the items, split as `train` did.",
  ].join("\n"),
  async run(args, io) {
    const options = parseOptions(
      args.map((a) => (a === "-k" ? "--k" : a)),
      ["model", "data", "k", "split", "valid-pct", "seed"],
    );
    if (options.data === undefined)
      throw new UsageError("missing --data DIR; give the folder with one subfolder per class");
    const k = numberOption(options, "k", 20, { integer: true });
    if (k < 1) throw new UsageError(`invalid -k: ${k}; use a positive number of images, e.g. 20`);
    const split = options.split ?? "all";
    if (!["all", "valid", "train"].includes(split))
      throw new UsageError(`invalid --split: "${split}"; use all, valid or train`);
    const validPct = numberOption(options, "valid-pct", 0.2);
    const seed = numberOption(options, "seed", 42, { integer: true });

    const { initNodeBackend } = await import("../node/backend.js");
    const { datasetFromFolder } = await import("../node/folder.js");
    const { splitRandom } = await import("../data/split.js");
    const { interpretModel } = await import("../interpret/model.js");
    const { topLosses } = await import("../interpret/interpret.js");
    await initNodeBackend({ task: "infer" });
    const learner = await loadModelOption(options.model);
    const meta = learner.metadata;
    try {
      let dataset;
      let parts;
      try {
        dataset = await datasetFromFolder(options.data);
        parts = splitRandom(dataset.items, { validPct, seed });
      } catch (error) {
        throw dataUsageError(error, options.data);
      }
      for (const { file, reason } of skippedInWords(dataset.skipped)) io.err.write(`skipped ${file}: ${reason}\n`);
      const chosen = [
        ...(split === "valid" ? [] : parts.train.map((item) => ({ item, split: "train" as const }))),
        ...(split === "train" ? [] : parts.valid.map((item) => ({ item, split: "valid" as const }))),
      ];
      const items = await interpretModel(learner.model, chosen, meta).catch((error: Error) => {
        throw new UsageError(error.message);
      });
      const top = topLosses({ classes: meta.classes, items }, k);
      io.out.write(
        `${JSON.stringify(
          top.map((r) => ({
            file: r.file,
            label: r.label,
            predicted: r.predicted,
            loss: r.loss,
            prob: r.probs[meta.classes.indexOf(r.label)],
          })),
          null,
          1,
        )}\n`,
      );
      return 0;
    } finally {
      learner.dispose();
    }
  },
};
