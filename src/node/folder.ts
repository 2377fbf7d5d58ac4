/**
 * Loading an image folder laid out the fastai way, `dir/<class>/<images>`, in Node.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { DataError, type Dataset } from "../data/dataset.js";
import { comparePaths, isHiddenFile } from "../data/files.js";
import { datasetFromEntries, type Decoder, type FileEntry, type LoadOptions } from "../data/load.js";
import { decodeImage } from "./decode.js";
import { MANIFEST_FILE } from "../data/manifest.js";

/**
 * Every file under `dir`, as sorted paths relative to it with "/" separators ("cat/x.png"), hidden
 * ones included (the loader reports them). Symbolic links are followed; a folder reached twice (a
 * link cycle) is walked once. Throws DataError when `dir` does not exist or is not a folder.
 */
export async function listFiles(dir: string): Promise<string[]> {
  await checkFolder(dir);
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = async (absolute: string, relative: string) => {
    const real = await realpath(absolute);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of await readdir(absolute, { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const full = join(absolute, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined); // a dangling link is listed, then fails to read
        isDirectory = target?.isDirectory() ?? false;
        isFile = !isDirectory;
      }
      if (isDirectory) await walk(full, path);
      else if (isFile) files.push(path);
    }
  };
  await walk(dir, "");
  return files.sort(comparePaths);
}

async function checkFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) {
    throw new DataError(
      `folder not found: ${dir}; check the path (it should hold one subfolder per class, e.g. cat/ and dog/)`,
    );
  }
  if (!info.isDirectory()) {
    throw new DataError(`not a folder: ${dir}; give the folder that holds one subfolder per class, e.g. cat/ and dog/`);
  }
}

/** The non-hidden folders directly inside `dir`, sorted: the class folders. */
async function classFolders(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isHiddenFile(entry.name)) continue;
    const isDirectory =
      entry.isDirectory() ||
      (entry.isSymbolicLink() && (await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory());
    if (isDirectory) names.push(entry.name);
  }
  return names.sort(comparePaths);
}

export type FolderOptions = Omit<LoadOptions, "decode" | "folders"> & { decode?: Decoder };

/**
 * Loads `dir/<class>/<images>` (class = parent folder unless `options.label` says otherwise; files in
 * deeper folders are walked too) with `decodeImage` unless another decoder is given, checking that
 * every top-level folder yields images. A `manifest.json` at the root is not an entry: it is parsed
 * into `manifest` (undefined when absent). Throws DataError naming `dir` when it is missing, not a
 * folder, or not a usable dataset; per-file problems are in `skipped` (see datasetFromEntries).
 */
export async function datasetFromFolder(
  dir: string,
  options: FolderOptions = {},
): Promise<Dataset & { manifest?: unknown }> {
  const files = await listFiles(dir);
  const folders = await classFolders(dir);
  const entries: FileEntry[] = files
    .filter((file) => file !== MANIFEST_FILE)
    .map((file) => ({
      file,
      read: async () => {
        const buffer = await readFile(join(dir, ...file.split("/")));
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      },
    }));
  const manifest = files.includes(MANIFEST_FILE) ? await readManifest(join(dir, MANIFEST_FILE)) : undefined;
  const dataset = await datasetFromEntries(entries, {
    ...options,
    decode: options.decode ?? decodeImage,
    source: options.source ?? dir,
    folders,
  });
  return manifest === undefined ? dataset : { ...dataset, manifest };
}

async function readManifest(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(`${path} is not valid JSON (${(error as Error).message}); fix it or remove it`);
  }
}
