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
import { BASE_FLAGS, baseOverrides, baseUsageError } from "./base-options.js";
import { fineTuneDefaults } from "../model/fine-tune-defaults.js";
import { checkModelOut, fallbackPaths, fileProblem, skippedInWords } from "./output.js";

/**
 * Test seams: `beforeSave(out)` runs after training, just before the model is written to `out` (a test
 * makes `out` unwritable there to check that the model is saved elsewhere instead of lost).
 */
export const trainHooks: { beforeSave?: (out: string) => unknown } = {};

const OPTION_NAMES = {
  validPct: "valid-pct",
  epochs: "epochs",
  freezeEpochs: "freeze-epochs",
  unfreezeTo: "unfreeze-to",
  baseLr: "lr",
  seed: "seed",
};

export const trainCommand: Command = {
  summary: "fine-tune the pretrained base on an image folder and save the model (JSON summary)",
  usage: [
    "Usage: dlcourse train --data DIR --out MODEL_DIR [--valid-pct 0.2] [--seed 42] [--epochs 3]",
    "                      [--freeze-epochs 1] [--unfreeze-to 0] [--lr 2e-3] [--no-pretrained] [--base DIR|URL]",
    "                      [--backend cpu|wasm] [--base-cut LAYER] [--base-size 224] [--base-normalize [-1,1]]",
    "",
    "Lesson 1 headless: loads DIR/<label>/<images>, splits off --valid-pct for validation, puts a new head",
    "on the base (default: the course's data/models/base) and runs fineTune(--epochs, {baseLr: --lr,",
    "freezeEpochs: --freeze-epochs, unfreezeTo: --unfreeze-to}): fastai's 3, 1 and 0 for a small base; for a",
    "base of 160 px or more (MobileNet at 224) 1, 4 and -2 (the second body half only), the frozen epochs on",
    "features computed once; the defaults used are printed. Progress goes to stderr; stdout gets one JSON object",
    "{classes, trainCount, validCount, skipped: [{file, reason}], epochs: [{epoch, phase, trainLoss,",
    "validLoss, errorRate, seconds}]}. The model is exported to MODEL_DIR (model.json + weights.bin, its",
    'classes and preprocessing in the metadata; see the README\'s "Exported model format"), or to one zip',
    "when MODEL_DIR ends in .zip; `dlcourse predict --model MODEL_DIR` predicts with it.",
    "  --no-pretrained  same architecture, random weights (the comparison lesson 1 makes)",
    "  --base           a folder or the URL of a tfjs layers model.json (hosted models: see the README);",
    "                   Keras MobileNet v1/v2 are recognised by their layer names, other models need:",
    "  --base-cut       the layer the head goes on (default: the one before the first pooling)",
    "  --base-size      the side of its square inputs (default: its input shape)",
    '  --base-normalize its input scaling: "[-1,1]", "[0,1]", imagenet or R,G,B/R,G,B (mean/std on [0, 1])',
    "  --backend        wasm (default, fast) or cpu",
    "Ctrl-C stops after the current batch and saves nothing.",
    "MODEL_DIR is checked before training: it must be new, an empty folder or a model folder (replaced), or a",
    "new or zip file for .zip, in a folder you can write, and not inside DIR. If saving still fails after",
    "training (a full disk), the model is saved next to MODEL_DIR or in the temp folder, the path is printed,",
    "and the exit status is 1.",
  ].join("\n"),
  async run(args, io) {
    const options = parseOptions(
      args,
      [
        "data",
        "out",
        "valid-pct",
        "seed",
        "epochs",
        "freeze-epochs",
        "unfreeze-to",
        "lr",
        "base",
        "backend",
        ...Object.values(BASE_FLAGS),
      ],
      ["no-pretrained"],
    );
    if (options.data === undefined)
      throw new UsageError("missing --data DIR; give the folder with one subfolder per class, e.g. --data data/pets");
    if (options.out === undefined)
      throw new UsageError("missing --out MODEL_DIR; say where to write the trained model, e.g. --out models/pets");
    const backend = backendOption(options);
    const validPct = numberOption(options, "valid-pct", 0.2);
    const seed = numberOption(options, "seed", 42, { integer: true });
    // undefined until the base is known: its defaults fill what was not given (fineTuneDefaults)
    const given = (name: string, example: number, integer = true) =>
      options[name] === undefined ? undefined : numberOption(options, name, example, { integer });
    const epochs = given("epochs", 3);
    const freezeEpochs = given("freeze-epochs", 1);
    const unfreezeTo = given("unfreeze-to", 0);
    const baseLr = given("lr", 2e-3, false);
    const pretrained = options["no-pretrained"] === undefined;
    const overrides = baseOverrides(options);
    await checkModelOut(options.out, options.data);

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
    const skipped = skippedInWords(dataset.skipped);
    for (const { file, reason } of skipped) io.err.write(`skipped ${file}: ${reason}\n`);
    let base;
    try {
      base = await loadBaseFrom(options.base ?? DEFAULT_BASE_DIR, overrides);
    } catch (error) {
      const usage = baseUsageError(error, options.base ?? DEFAULT_BASE_DIR);
      if (usage instanceof UsageError) throw usage;
      throw new UsageError(`invalid --base: ${(error as Error).message}`);
    }
    if (base.info.recognized) io.err.write(`base recognised as ${base.info.recognized}\n`);
    const defaults = fineTuneDefaults(base.info);
    if ([epochs, freezeEpochs, unfreezeTo].every((n) => n === undefined))
      io.err.write(`fine-tuning with ${defaults.why} (--epochs, --freeze-epochs and --unfreeze-to change it)\n`);
    const epochsToRun = epochs ?? defaults.epochs;
    const plan = {
      ...defaults.fineTune,
      ...(freezeEpochs === undefined ? {} : { freezeEpochs }),
      ...(unfreezeTo === undefined ? {} : { unfreezeTo }),
      ...(baseLr === undefined ? {} : { baseLr }),
    };
    let learn;
    try {
      const dls = dataLoaders(dataset, {
        validPct,
        seed,
        size: base.info.inputSize,
        normalization: base.info.normalization,
      });
      learn = await visionLearner(dls, { base, pretrained, seed, ...defaults.learner });
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
        .fineTune(epochsToRun, {
          ...plan,
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === "epoch")
              io.err.write(
                `${e.phase} epoch ${e.epoch + 1}: train loss ${e.trainLoss.toFixed(4)}, valid loss ${e.validLoss.toFixed(4)}, error rate ${e.metrics.errorRate!.toFixed(4)}, ${e.seconds.toFixed(1)} s\n`,
              );
          },
        })
        .catch((error: unknown) => {
          throw asUsageError(divergedForCli(error), OPTION_NAMES);
        });
      const saved = await saveModel(learn, options.out);
      const summary = {
        classes: learn.classes,
        trainCount: train.items.length,
        validCount: valid.items.length,
        skipped,
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
      if (saved.to === options.out) {
        io.err.write(`wrote ${options.out}\n`);
        return 0;
      }
      io.err.write(
        `dlcourse train: could not save the model to ${options.out} (${saved.problem}); saved it to ${saved.to} instead: move it where you want it once that is fixed\n`,
      );
      return 1;
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

/**
 * Exports `learn` to `out`, or when that fails (the disk filled up, the folder went away since the check)
 * to a fallback path next to it or in the temp folder: a trained model is never silently lost. Resolves to
 * where it went (and why not `out`); rejects only when no path could be written.
 */
async function saveModel(
  learn: { export(dest: string): Promise<unknown> },
  out: string,
): Promise<{ to: string; problem?: string }> {
  let problem: string;
  try {
    await trainHooks.beforeSave?.(out);
    await learn.export(out);
    return { to: out };
  } catch (error) {
    problem = fileProblem(error);
  }
  const tried: string[] = [];
  for (const path of fallbackPaths(out)) {
    try {
      await learn.export(path);
      return { to: path, problem };
    } catch (error) {
      tried.push(`${path} (${fileProblem(error)})`);
    }
  }
  throw new Error(
    `could not save the trained model to ${out} (${problem}), nor to ${tried.join(" or ")}; free some disk space or fix the folder and train again`,
  );
}

/**
 * A TrainingDiverged as the CLI says it: the rate to try named by its flag (`--lr`, not the library's
 * `baseLr`), and that nothing was saved. Other errors come back as they are.
 */
export function divergedForCli(error: unknown): unknown {
  // by name: importing train/ here would load tfjs before --help
  const diverged = error as { name?: string; setting?: string; message?: string } | null;
  if (diverged?.name !== "TrainingDiverged" || !diverged.setting || !diverged.message) return error;
  const flag = OPTION_NAMES[diverged.setting as keyof typeof OPTION_NAMES];
  if (!flag) return error;
  const message = diverged.message.replace(/e\.g\. \w+ (\S+)$/, `e.g. --${flag} $1; nothing was saved`);
  return Object.assign(new Error(message), { name: diverged.name });
}
