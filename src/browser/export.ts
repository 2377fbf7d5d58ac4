/** Exporting from a page: the model as one downloaded .zip. Browser only. */
import type { LoadedLearner } from "../export/load.js";
import type { Learner } from "../model/learner.js";
import { downloadBlob } from "./download.js";

/**
 * Downloads `learner`'s export as one .zip named `filename` (model.json + weights.bin, so the browser
 * asks once, not twice as tfjs's downloads:// would). `loadLearner(file)` reads the file back.
 */
export async function downloadLearner(learner: Learner | LoadedLearner, filename = "model.zip"): Promise<void> {
  downloadBlob(new Blob([await learner.exportZip()], { type: "application/zip" }), filename);
}
