/** The name of a generated dataset's manifest, at the dataset root (metadata, not an image). */
export const MANIFEST_FILE = "manifest.json";

/** One line of a generated dataset's manifest.json: the label a file was given and what it really shows. */
export interface ManifestEntry {
  file: string;
  label: string;
  trueLabel: string;
  ambiguous: boolean;
}

/** The manifest line of one item (its other fields, such as pixels, left out). */
export function manifestEntry({ file, label, trueLabel, ambiguous }: ManifestEntry): ManifestEntry {
  return { file, label, trueLabel, ambiguous };
}

/** The manifest of `items` (in their order), as written next to the images. */
export function manifestOf(items: Iterable<ManifestEntry>): ManifestEntry[] {
  return Array.from(items, manifestEntry);
}
