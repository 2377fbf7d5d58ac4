/**
 * The one module lesson pages and their components import (as `./lib/pages.js`): the library and the
 * browser helpers (the browser entry) plus the charts and widgets of viz/. Browser only; it pulls in
 * nothing from node/, cli/ or notebook/ (the notebook machinery is lessons/components/notebook.js's).
 */
export * from "./browser/index.js";
export * from "./viz/base-picker.js";
export * from "./viz/cleaner.js";
export * from "./viz/curve-fit.js";
export * from "./viz/image.js";
export * from "./viz/interpret.js";
export * from "./viz/line-fit.js";
export * from "./viz/loss-chart.js";
export * from "./viz/loss-explorer.js";
export * from "./viz/loss-surface.js";
export * from "./viz/overfit.js";
export * from "./viz/prediction.js";
export * from "./viz/progress.js";
export * from "./viz/samuel.js";
export * from "./viz/set-input.js";
export * from "./viz/show-batch.js";
export * from "./viz/summary.js";
