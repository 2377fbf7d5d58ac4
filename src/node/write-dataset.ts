import { writeFile } from "node:fs/promises";
import { makeFolder } from "./make-folder.js";
import { dirname, join } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { generateItems, type GenerateOptions } from "../draw/generate.js";
import { manifestEntry, type ManifestEntry } from "../data/manifest.js";
import { encodePng } from "./encode.js";

/** What was written: the manifest (also in `manifest.json`) and the class names. */
export interface WrittenDataset {
  classes: string[];
  manifest: ManifestEntry[];
}

/**
 * `dlcourse make-dataset`: draws the set and writes `dir/<label>/<name>.png` plus `dir/manifest.json`
 * (`[{file, label, trueLabel, ambiguous}]`). Existing files of the same names are overwritten.
 */
export async function writeDataset(dir: string, options: GenerateOptions = {}): Promise<WrittenDataset> {
  const manifest: ManifestEntry[] = [];
  const folders = new Set<string>();
  for (const item of generateItems(options)) {
    const path = join(dir, ...item.file.split("/"));
    if (!folders.has(dirname(path))) {
      await makeFolder(dirname(path));
      folders.add(dirname(path));
    }
    await writeFile(path, encodePng(item.image));
    manifest.push(manifestEntry(item));
  }
  await makeFolder(dir);
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  return { classes: [...new Set(manifest.map((m) => m.label))].sort(), manifest };
}

/**
 * The same files as writeDataset, as one zip archive (PNG is already compressed, so entries are
 * stored): what the course site's data loader serves to pages.
 */
export function datasetZip(options: GenerateOptions = {}): Uint8Array {
  const files: Zippable = {};
  const manifest: ManifestEntry[] = [];
  for (const item of generateItems(options)) {
    files[item.file] = [encodePng(item.image), { level: 0 }];
    manifest.push(manifestEntry(item));
  }
  files["manifest.json"] = [new TextEncoder().encode(JSON.stringify(manifest)), { level: 6 }];
  return zipSync(files);
}
