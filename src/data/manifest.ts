/** The name of a generated dataset's manifest, at the dataset root (metadata, not an image). */
export const MANIFEST_FILE = "manifest.json";

/** One line of a generated dataset's manifest.json: the label a file was given and what it really shows. */
export interface ManifestEntry {
  file: string;
  label: string;
  trueLabel: string;
  ambiguous: boolean;
}

/** The manifest of `items` (in their order), as written next to the images. */
export function manifestOf(items: Iterable<ManifestEntry>): ManifestEntry[] {
  return Array.from(items, ({ file, label, trueLabel, ambiguous }) => ({ file, label, trueLabel, ambiguous }));
}
