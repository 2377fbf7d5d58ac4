/**
 * Turning a list of files into a labelled {@link Dataset}, whatever they came from (a folder in Node,
 * a zip, URLs, files picked or dropped in the browser). One bad file never stops a load and never
 * costs a good one: each is skipped with a reason a learner can act on. Only problems with the whole
 * dataset (fewer than two classes, an empty class folder) throw, as {@link DataError}.
 * Universal: the decoder is passed in (`decodeImage` in Node, `decodeImageBlob` in the browser).
 */
import { DataError, type Dataset, type ImageItem, type SkippedFile } from "./dataset.js";
import { downscaleToFit } from "./downscale.js";
import { baseName, comparePaths, extensionOf, isHiddenFile, isImageFile, parentLabel } from "./files.js";
import type { RgbImage } from "./image.js";
import { decodeFailureReason, imageBytesProblem, sniffFormat } from "./sniff.js";

/** One file of a source. `file` is its path relative to the dataset root with "/" separators. */
export interface FileEntry {
  file: string;
  /** The file's bytes, read when needed (once). Throw {@link SkipFile} to skip it with that exact reason. */
  read(): Promise<Uint8Array>;
}

/**
 * Bytes → RGB image no larger than `maxSize` on its shorter side. Throws on failure: an
 * `ImageDecodeError` (from ./sniff.js) whose message is the reason, or any error, reported as
 * "corrupt or truncated <FORMAT>: <message>". `bytes` belongs to the caller: read it, don't keep it.
 */
export type Decoder = (bytes: Uint8Array, file: string, options: { maxSize: number }) => RgbImage | Promise<RgbImage>;

export interface LoadOptions {
  decode: Decoder;
  /** Shorter side of every loaded image is at most this many pixels (default 256). */
  maxSize?: number;
  /** The class of a file (default {@link parentLabel}: its folder). Return "" or throw to skip the file. */
  label?: (file: string) => string;
  /**
   * The class folders that exist at the top of the source (names, no slashes), empty ones included:
   * each must end up with at least one loaded image. Hidden ones are ignored.
   */
  folders?: string[];
  /** Called with (0, total) first, then after each file; total counts every entry. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the load: it rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Where the files came from, for error messages (a folder path, "pets.zip"); default "the dataset". */
  source?: string;
  /**
   * Skip hidden files and files without an image extension by name (default true). False where names
   * mean nothing (URLs often have no extension): then only the bytes decide.
   */
  checkNames?: boolean;
  /** Files read and decoded at once (default 4): overlaps reading with decoding without holding many photos. */
  concurrency?: number;
}

/** Thrown from {@link FileEntry.read} to skip that file with `message` as the exact reason ("HTTP 404"). */
export class SkipFile extends Error {
  override name = "SkipFile";
}

type Outcome = { item: ImageItem } | { skipped: SkippedFile };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Loads, labels and decodes one entry, or says why not. Only an abort escapes. */
async function loadOne(entry: FileEntry, options: LoadOptions, maxSize: number): Promise<Outcome> {
  const { file } = entry;
  const skip = (reason: string): Outcome => ({ skipped: { file, reason } });
  if (options.checkNames !== false) {
    if (isHiddenFile(file)) return skip("hidden file");
    if (!isImageFile(file)) return skip(`not an image file (${extensionOf(file) || "no extension"})`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await entry.read();
  } catch (error) {
    options.signal?.throwIfAborted();
    return skip(error instanceof SkipFile ? error.message : `could not read the file: ${errorMessage(error)}`);
  }
  options.signal?.throwIfAborted();

  let label: string;
  try {
    label = (options.label ?? parentLabel)(file);
  } catch (error) {
    return skip(`no class label: ${errorMessage(error)}`);
  }
  if (typeof label !== "string" || label === "") {
    return skip(`no class label: the file is not inside a class folder; move it into one, e.g. cat/${baseName(file)}`);
  }

  const problem = imageBytesProblem(bytes);
  if (problem !== undefined) return skip(problem);
  let image: RgbImage;
  try {
    image = await options.decode(bytes, file, { maxSize });
  } catch (error) {
    options.signal?.throwIfAborted();
    return skip(decodeFailureReason(sniffFormat(bytes), error));
  }
  if (!(image.width > 0 && image.height > 0 && image.data.length === image.width * image.height * 3)) {
    return skip(`the decoder returned a malformed image (${image.width}×${image.height}, ${image.data.length} bytes)`);
  }
  return { item: { file, label, image: downscaleToFit(image, maxSize) } };
}

/** The DataError message for a dataset that loaded but cannot be trained on, or undefined when it can. */
function datasetProblem(items: ImageItem[], skipped: SkippedFile[], classes: string[], options: LoadOptions): string | undefined {
  const source = options.source ?? "the dataset";
  const inFolder = (folder: string, file: string) => file.startsWith(`${folder}/`);
  const emptyFolders = [...new Set(options.folders ?? [])]
    .filter((folder) => folder !== "" && !isHiddenFile(folder))
    .sort(comparePaths)
    .filter((folder) => !items.some((item) => inFolder(folder, item.file)))
    .map((folder) => {
      const n = skipped.filter((s) => inFolder(folder, s.file)).length;
      return `class folder "${folder}/" has no loadable images (${n === 0 ? "it is empty" : `${n} skipped`}); add images or remove the folder`;
    });
  if (emptyFolders.length > 0) return `${options.source ? `${options.source}: ` : ""}${emptyFolders.join("; ")}`;
  if (classes.length >= 2) return undefined;
  const fix = "put each class's images in its own folder, e.g. cat/ and dog/";
  if (classes.length === 1) return `found 1 class (${classes[0]}) in ${source}; ${fix}`;
  const first = skipped[0];
  const why = first ? `; ${plural(skipped.length, "file")} skipped, e.g. "${first.file}": ${first.reason}` : "";
  return `found no loadable images in ${source}${why}; ${fix}`;
}

/**
 * Reads, labels and decodes `entries` into a Dataset: `items` sorted by file, `classes` sorted, and
 * every file that was not loaded in `skipped` exactly once, sorted by file, with its reason:
 * "hidden file", "not an image file (.txt)", "empty file (0 bytes)",
 * "unsupported format: GIF; convert it to PNG or JPEG", "not an image (the bytes are not PNG or JPEG)",
 * "corrupt or truncated PNG: <decoder's words>" (or JPEG), "no class label: …",
 * "could not read the file: …" (or the SkipFile's message). Images are at most `maxSize` on their
 * shorter side. Throws DataError when a class folder in `folders` loaded nothing, or fewer than two
 * classes loaded; rejects with `signal.reason` when aborted. The returned images are new; entries are
 * each read once and their bytes dropped after decoding.
 */
export async function datasetFromEntries(entries: FileEntry[], options: LoadOptions): Promise<Dataset> {
  const maxSize = options.maxSize ?? 256;
  if (!(Number.isInteger(maxSize) && maxSize > 0)) {
    throw new Error(`invalid maxSize: ${maxSize}; it must be a positive integer (pixels on the shorter side)`);
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const total = entries.length;
  const outcomes: Outcome[] = new Array(total);
  let next = 0;
  let done = 0;
  onProgress?.(0, total);
  const worker = async () => {
    while (next < total) {
      signal?.throwIfAborted();
      const index = next++;
      outcomes[index] = await loadOne(entries[index]!, options, maxSize);
      signal?.throwIfAborted();
      onProgress?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));

  const items: ImageItem[] = [];
  const skipped: SkippedFile[] = [];
  for (const outcome of outcomes) {
    if ("item" in outcome) items.push(outcome.item);
    else skipped.push(outcome.skipped);
  }
  items.sort((a, b) => comparePaths(a.file, b.file));
  skipped.sort((a, b) => comparePaths(a.file, b.file));
  const classes = [...new Set(items.map((item) => item.label))].sort(comparePaths);
  const problem = datasetProblem(items, skipped, classes, options);
  if (problem !== undefined) throw new DataError(problem);
  return { classes, items, skipped };
}
