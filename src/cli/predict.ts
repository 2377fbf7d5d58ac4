import type { RgbImage } from "../data/image.js";
import type { LoadedLearner } from "../export/load.js";
import { backendOption, parseOptions, startBackend, UsageError, type Command } from "./command.js";
import { fileProblem } from "./output.js";

/** Options that take a value (the rest of the arguments are files). */
const VALUED = ["model", "backend"];
/** Files decoded and predicted at once. */
const CHUNK = 32;

/** `--name value` pairs to parseOptions, the other arguments (and all after `--`) as files. */
function splitArgs(args: string[]): { optionArgs: string[]; files: string[] } {
  const optionArgs: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-")) files.push(arg);
    else {
      optionArgs.push(arg);
      if (VALUED.includes(arg.slice(2)) && i + 1 < args.length) optionArgs.push(args[++i]!);
    }
  }
  return { optionArgs, files };
}

/**
 * `args` with each folder replaced by the images in it and its subfolders (fastai's get_image_files:
 * image extensions, not hidden), in path order; other arguments stay as they are (a missing file fails
 * on its own line later). A folder with no images, or one that cannot be listed, is a usage error.
 */
export async function expandFolders(args: readonly string[]): Promise<string[]> {
  const { stat } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { listFiles } = await import("../node/folder.js");
  const { getImageFiles, IMAGE_EXTENSIONS } = await import("../data/files.js");
  const files: string[] = [];
  for (const arg of args) {
    if (!(await stat(arg).catch(() => undefined))?.isDirectory()) {
      files.push(arg);
      continue;
    }
    let listed: string[];
    try {
      listed = await listFiles(arg);
    } catch (error) {
      throw new UsageError(`cannot list the folder ${arg} (${fileProblem(error)}); check its permissions`);
    }
    const images = getImageFiles(listed);
    if (images.length === 0)
      throw new UsageError(
        `no image files in the folder ${arg} or its subfolders (looked for ${IMAGE_EXTENSIONS.join(" ")}); give image files or a folder that holds some`,
      );
    files.push(...images.map((file) => join(arg, ...file.split("/"))));
  }
  return files;
}

/** The exported model at `--model` (a folder, a .zip or a URL), or a usage error saying why it cannot be loaded. */
export async function loadModelOption(model: string | undefined): Promise<LoadedLearner> {
  if (model === undefined)
    throw new UsageError("missing --model MODEL_DIR; give the folder `dlcourse train --out` (or learn.export) wrote");
  await import("../node/model-files.js"); // lets loadLearner read folders and .zip files
  const { loadLearner } = await import("../export/load.js");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(model)) {
    const { stat } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const info = await stat(model).catch(() => undefined);
    if (info === undefined)
      throw new UsageError(
        `invalid --model: ${model} does not exist; give the folder (or .zip) \`dlcourse train --out\` or learn.export wrote`,
      );
    if (info.isDirectory() && (await stat(join(model, "model.json")).catch(() => undefined)) === undefined)
      throw new UsageError(
        `invalid --model: ${model} is a folder without model.json; give the folder (or .zip) \`dlcourse train --out\` or learn.export wrote`,
      );
  }
  try {
    return await loadLearner(model);
  } catch (error) {
    throw new UsageError(`invalid --model: ${(error as Error).message}`);
  }
}

export const predictCommand: Command = {
  summary:
    "predict the class of image files (or the images in folders) with an exported model (one JSON line per file)",
  usage: [
    "Usage: dlcourse predict --model MODEL_DIR [--backend wasm|cpu] FILE|DIR...",
    "",
    "fastai's learn.predict, headless: each PNG or JPEG FILE is prepared as the model's training images were",
    "and predicted with the model `dlcourse train --out` or learn.export wrote (MODEL_DIR: its folder, its",
    ".zip, or the URL of its model.json). stdout gets one JSON line per file, in order:",
    "{file, label, index, probs} with probs in the order of the model's classes. A file that cannot be read",
    "or decoded gets {file, error}; the other files are still predicted. A DIR stands for the image files in it",
    "and its subfolders (hidden ones left out), in path order.",
    "  --backend  wasm (default, fast) or cpu",
    "Exit status: 0 when every file was predicted, 1 when any file failed, 2 for bad usage.",
  ].join("\n"),
  async run(args, io) {
    const { optionArgs, files: paths } = splitArgs(args);
    const options = parseOptions(optionArgs, VALUED);
    const backend = backendOption(options);
    if (paths.length === 0)
      throw new UsageError(
        "missing FILE; give one or more image files (or folders of them) to predict, e.g. dlcourse predict --model models/pets cat.png",
      );
    const files = await expandFolders(paths);

    const { readFile } = await import("node:fs/promises");
    const { decodeImage } = await import("../node/decode.js");
    await startBackend(backend, "infer");
    const learner = await loadModelOption(options.model);
    let failed = 0;
    try {
      for (let start = 0; start < files.length; start += CHUNK) {
        const decoded = await Promise.all(
          files
            .slice(start, start + CHUNK)
            .map(async (file): Promise<{ file: string; image: RgbImage } | { file: string; error: string }> => {
              try {
                return { file, image: decodeImage(await readFile(file), file) };
              } catch (error) {
                const code = (error as NodeJS.ErrnoException).code;
                if (typeof code === "string" && code.startsWith("E"))
                  return { file, error: `could not read the file (${fileProblem(error)}); check the path` };
                return { file, error: (error as Error).message };
              }
            }),
        );
        const predictions = await learner.predictBatch(decoded.flatMap((d) => ("image" in d ? [d.image] : [])));
        for (const d of decoded) {
          const line = "image" in d ? { file: d.file, ...predictions.shift()! } : d;
          if ("error" in line) failed++;
          io.out.write(`${JSON.stringify(line)}\n`);
        }
      }
    } finally {
      learner.dispose();
    }
    return failed > 0 ? 1 : 0;
  },
};
