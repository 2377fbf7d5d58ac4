import { dataUsageError, UsageError, numberOption, parseOptions, type Command } from "./command.js";
import { skippedInWords } from "./output.js";

export const inspectCommand: Command = {
  summary: "load an image folder as the course would and print classes, counts, the split and skipped files (JSON)",
  usage: [
    "Usage: dlcourse inspect --data DIR [--valid-pct 0.2] [--seed 42]",
    "",
    "Loads DIR/<label>/<images> and prints {classes, counts, train, valid, skipped: [{file, reason}],",
    "fingerprint}: check a folder before training. The fingerprint (of every file, label and pixel) is",
    "the one lesson 1 shows for the same images. Exits 2 with one line when the folder cannot be a dataset.",
  ].join("\n"),
  async run(args, io) {
    const options = parseOptions(args, ["data", "valid-pct", "seed"]);
    if (options.data === undefined)
      throw new UsageError("missing --data DIR; give the folder with one subfolder per class, e.g. --data data/pets");
    const validPct = numberOption(options, "valid-pct", 0.2);
    const seed = numberOption(options, "seed", 42, { integer: true });
    const { datasetFromFolder } = await import("../node/folder.js");
    const { splitRandom } = await import("../data/split.js");
    const { fingerprint } = await import("../data/fingerprint.js");
    const { classCounts } = await import("../data/summary.js");
    try {
      const dataset = await datasetFromFolder(options.data);
      const { train, valid } = splitRandom(dataset.items, { validPct, seed });
      const counts = classCounts(dataset.items, dataset.classes);
      const files = (items: { file: string }[]) => items.map((i) => i.file);
      io.out.write(
        `${JSON.stringify({ classes: dataset.classes, counts, train: files(train), valid: files(valid), skipped: skippedInWords(dataset.skipped), fingerprint: fingerprint(dataset.items) }, null, 2)}\n`,
      );
      return 0;
    } catch (error) {
      throw dataUsageError(error, options.data);
    }
  },
};
