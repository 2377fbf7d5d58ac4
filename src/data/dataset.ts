import type { RgbImage } from "./image.js";

/** One labelled image. `file` is the path relative to the dataset root, with "/" separators. */
export interface ImageItem {
  file: string;
  label: string;
  image: RgbImage;
}

/** A file that was not loaded, and why (in words a learner can act on). */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** Labelled images, the sorted class names, and the files skipped on the way. */
export interface Dataset {
  classes: string[];
  items: ImageItem[];
  skipped: SkippedFile[];
}

/** A problem with a whole dataset (too few classes, an empty class folder…): names the folder and the fix. */
export class DataError extends Error {
  override name = "DataError";
}
