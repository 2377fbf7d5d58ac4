import { PET_CLASSES } from "../draw/pets.js";
import { PRETRAIN_CLASSES } from "../draw/pretrain.js";
import { UsageError, asUsageError, numberOption, parseOptions, type Command } from "./command.js";
import { checkDatasetOut, fileProblem } from "./output.js";

const OPTION_NAMES = { set: "set", seed: "seed", perClass: "per-class", size: "size", noise: "noise" };

export const makeDatasetCommand: Command = {
  summary: "draw the course's images (pets or pretrain) into DIR/<label>/*.png with a manifest",
  usage: [
    "Usage: dlcourse make-dataset --out DIR [--set pets|pretrain] [--seed N] [--per-class N] [--size PX] [--noise F]",
    "",
    "Draws the procedurally generated image set and writes DIR/<label>/<name>.png plus",
    "DIR/manifest.json ([{file, label, trueLabel, ambiguous}]). Same options, same pixels.",
    `  --set        pets (${PET_CLASSES.join(", ")}) or pretrain (${PRETRAIN_CLASSES.length} other classes); default pets`,
    "  --seed       default 42",
    "  --per-class  images per class; default 100",
    "  --size       side in pixels; default 96",
    "  --noise      fraction of labels to flip (recorded in the manifest); default 0",
  ].join("\n"),
  async run(args, io) {
    const options = parseOptions(args, ["out", "set", "seed", "per-class", "size", "noise"]);
    if (options.out === undefined)
      throw new UsageError("missing --out DIR; say where to write the images, e.g. --out data/pets");
    const set = options.set ?? "pets";
    if (set !== "pets" && set !== "pretrain")
      throw new UsageError(`invalid --set: "${set}"; use --set pets or --set pretrain`);
    const generate = {
      set,
      seed: numberOption(options, "seed", 42, { integer: true }),
      perClass: numberOption(options, "per-class", 100, { integer: true }),
      size: numberOption(options, "size", 96, { integer: true }),
      noise: numberOption(options, "noise", 0),
    } as const;
    await checkDatasetOut(options.out);
    const { writeDataset } = await import("../node/write-dataset.js");
    let written;
    try {
      written = await writeDataset(options.out, generate);
    } catch (error) {
      const path = (error as NodeJS.ErrnoException).path;
      if (typeof path === "string")
        throw new Error(
          `could not write ${path} (${fileProblem(error)}); fix that or give another --out, and run make-dataset again`,
        );
      throw asUsageError(error, OPTION_NAMES);
    }
    const flipped = written.manifest.filter((m) => m.label !== m.trueLabel).length;
    io.out.write(
      `wrote ${written.manifest.length} images in ${written.classes.length} classes (${written.classes.join(", ")}) to ${options.out}; ` +
        `${flipped} labels flipped; manifest: ${options.out}/manifest.json\n`,
    );
    return 0;
  },
};
