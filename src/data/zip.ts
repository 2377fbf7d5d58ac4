/**
 * Image datasets packed as one zip archive (what the course site serves, or what a learner uploads).
 * Universal: fflate's synchronous unzip runs in Node and the browser.
 */
import { unzipSync, type Unzipped } from "fflate";
import { DataError, type Dataset } from "./dataset.js";
import { comparePaths, isHiddenFile, topLevelFolders } from "./files.js";
import { datasetFromEntries, type FileEntry, type LoadOptions } from "./load.js";
import { MANIFEST_FILE } from "./manifest.js";


/** A zip's files as loader entries. */
export interface ZipContents {
  /** Every file except a root `manifest.json`, sorted by path. */
  entries: FileEntry[];
  /** The non-hidden top-level folders, empty ones included (from directory entries), sorted. */
  folders: string[];
  /** The root `manifest.json`, parsed; undefined when there is none. */
  manifest?: unknown;
}

/**
 * The folder every non-hidden file sits under, when there is one and stripping it still leaves files
 * inside class folders ("pets/cat/x.png" → "pets/"); "" otherwise. Directory entries count too, so
 * "pets/" + "pets/cat/" is stripped, but a lone "cat/x.png" class folder is not.
 */
function commonTopFolder(paths: string[]): string {
  const visible = paths.filter((p) => !isHiddenFile(p));
  const first = visible[0];
  const slash = first?.indexOf("/") ?? -1;
  if (first === undefined || slash <= 0) return "";
  const top = first.slice(0, slash + 1);
  if (!visible.every((p) => p.startsWith(top))) return "";
  const nested = visible.some((p) => p.slice(top.length).replace(/\/$/, "").includes("/"));
  return nested ? top : "";
}

/**
 * Lists a zip archive as loader entries: directory entries dropped (but their folders kept in
 * `folders`), a single common top-level folder stripped ("pets/cat/x.png" → "cat/x.png"), a root
 * `manifest.json` taken out and parsed. Entries read from `bytes`, which must stay unchanged while
 * they are in use. Throws DataError "not a readable zip archive: <reason>" for a corrupt archive, and
 * when manifest.json is not valid JSON.
 */
export function zipEntries(bytes: Uint8Array): ZipContents {
  const raws: string[] = [];
  try {
    // list only (the filter decompresses nothing): a broken archive fails here, as a whole
    unzipSync(bytes, { filter: (info) => (raws.push(info.name), false) });
  } catch (error) {
    throw new DataError(`not a readable zip archive: ${(error as Error).message}; check the file is a complete .zip`);
  }
  const names = raws.map((raw) => raw.replace(/\\/g, "/").replace(/^\/+/, ""));
  const top = commonTopFolder(names);

  // decompress everything at once; if one entry is corrupt, fall back to one entry per read so
  // only that file is skipped (its read throws)
  let all: Unzipped | undefined;
  try {
    all = unzipSync(bytes, { filter: (info) => !info.name.endsWith("/") });
  } catch {
    all = undefined;
  }
  const readRaw = (raw: string): Uint8Array => {
    const data = all !== undefined ? all[raw] : unzipSync(bytes, { filter: (info) => info.name === raw })[raw];
    if (data === undefined) throw new Error(`zip entry ${raw} is missing`);
    return data;
  };

  const rawOf = new Map<string, string>();
  const directories: string[] = [];
  let manifest: unknown;
  let hasManifest = false;
  names.forEach((name, i) => {
    const path = top !== "" && name.startsWith(top) ? name.slice(top.length) : name;
    if (path === "") return;
    if (path.endsWith("/")) directories.push(path);
    else if (path === MANIFEST_FILE) {
      hasManifest = true;
      try {
        manifest = JSON.parse(new TextDecoder().decode(readRaw(raws[i]!))) as unknown;
      } catch (error) {
        throw new DataError(`manifest.json in the zip archive is unreadable (${(error as Error).message}); fix it or remove it`);
      }
    } else rawOf.set(path, raws[i]!);
  });
  const files = [...rawOf.keys()].sort(comparePaths);
  const entries: FileEntry[] = files.map((file) => ({ file, read: async () => readRaw(rawOf.get(file)!) }));
  // a directory entry alone ("dog/", an empty folder) still names a class folder
  const fromDirectories = directories.map((d) => d.split("/")[0]!).filter((f) => f !== "" && !isHiddenFile(f));
  const folders = [...new Set([...topLevelFolders(files), ...fromDirectories])].sort(comparePaths);
  return hasManifest ? { entries, folders, manifest } : { entries, folders };
}

/**
 * Loads a zip of `<class>/<images>` (optionally under one top folder) like a folder: the archive's
 * top-level folders must each yield images. `options.source` defaults to "the zip archive".
 * Returns the Dataset plus `manifest` when the archive has one. Throws DataError for an unreadable
 * archive or an unusable dataset; per-file problems are in `skipped`.
 */
export async function datasetFromZip(
  bytes: Uint8Array,
  options: Omit<LoadOptions, "folders">,
): Promise<Dataset & { manifest?: unknown }> {
  const { entries, folders, manifest } = zipEntries(bytes);
  const dataset = await datasetFromEntries(entries, { source: "the zip archive", ...options, folders });
  return manifest === undefined ? dataset : { ...dataset, manifest };
}
