/**
 * File-name rules for image datasets, after fastai's `get_image_files` and `parent_label`.
 * Paths here are relative, with "/" separators (zip entries, `webkitRelativePath`, `listFiles`);
 * nothing touches a file system, so this runs in the browser too.
 */

/**
 * Extensions (lower case, with the dot) that name an image file. Wider than what decodes (PNG, JPEG):
 * a `.gif` or `.heic` is picked up so the loader can say "unsupported format: GIF; convert it…"
 * instead of silently ignoring it.
 */
export const IMAGE_EXTENSIONS: readonly string[] = [
  ".png",
  ".jpg",
  ".jpeg",
  ".jpe",
  ".jfif",
  ".gif",
  ".webp",
  ".bmp",
  ".tif",
  ".tiff",
  ".heic",
  ".heif",
  ".avif",
];

/** The path's segments, without empty ones and "." / "..". */
function segments(path: string): string[] {
  return path.split(/[\\/]/).filter((s) => s !== "" && s !== "." && s !== "..");
}

/** The file name: the last path segment ("cat/x.png" → "x.png"). */
export function baseName(path: string): string {
  const parts = segments(path);
  return parts[parts.length - 1] ?? "";
}

/** The extension in lower case with its dot ("cat/X.JPG" → ".jpg"), or "" when the name has none. */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/**
 * True when any segment of `path` is hidden: starts with "." (`.DS_Store`, `.git/`, macOS `._x.png`
 * resource forks) or is `__MACOSX` (the resource-fork folder macOS puts in zips).
 */
export function isHiddenFile(path: string): boolean {
  return segments(path).some((s) => s.startsWith(".") || s === "__MACOSX");
}

/** True when the extension (any case) is one of {@link IMAGE_EXTENSIONS}. Looks at the name only. */
export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extensionOf(path));
}

/** Sorts paths by UTF-16 code units: the same order on every machine and locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * fastai's `get_image_files` over a list of relative paths: the image-extension files that are not
 * hidden, sorted. Returns a new array; `paths` is untouched.
 */
export function getImageFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => isImageFile(p) && !isHiddenFile(p)).sort(comparePaths);
}

/** fastai's `parent_label`: the name of the folder holding the file ("cat/x.png" → "cat"), "" at the root. */
export function parentLabel(file: string): string {
  const parts = segments(file);
  return parts[parts.length - 2] ?? "";
}

/**
 * The distinct first-level folders in `paths` that are not hidden, sorted ("cat/x.png", "dog/a/y.png",
 * "z.png" → ["cat", "dog"]): the class folders to pass as `LoadOptions.folders` when the source has no
 * listing of its own (a dropped folder, a picked folder).
 */
export function topLevelFolders(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    const parts = segments(path);
    if (parts.length >= 2 && !isHiddenFile(parts[0]!)) found.add(parts[0]!);
  }
  return [...found].sort(comparePaths);
}
