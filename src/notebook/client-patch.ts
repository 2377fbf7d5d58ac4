/**
 * Framework's production client exports only `define`; the notebook also needs `undefine` and
 * `registerRoot` (which the dev preview uses to swap cells) and the page's own cell definitions (to
 * revert an edit and to read which URL each import resolved to). `scripts/prebuild.ts` writes
 * PATCHED_CLIENT over Framework's `dist/client/index.js`, which must still read ORIGINAL_CLIENT:
 * any other text means Framework changed, and the build stops (see docs/notebook.md).
 */
export const FRAMEWORK_VERSION = "1.13.4";

export const ORIGINAL_CLIENT = `import "./pre.js";
import "./sidebar.js";
import "./toc.js";
import { define } from "./main.js";
export {
  define
};
`;

/** The global the patched client sets; read by src/notebook/page.ts. */
export const NOTEBOOK_GLOBAL = "__dlcourseNotebook";

export const PATCHED_CLIENT = `import "./pre.js";
import "./sidebar.js";
import "./toc.js";
import { define as defineCell, undefine, registerRoot } from "./main.js";
// dl-course notebook patch (scripts/prebuild.ts): the page's cells as Framework defined them, and
// the calls that redefine them in place.
const pageCells = new Map();
function define(cell) {
  if (!pageCells.has(cell.id)) pageCells.set(cell.id, cell);
  return defineCell(cell);
}
globalThis.${NOTEBOOK_GLOBAL} = { pageCells, define: defineCell, undefine, registerRoot };
export {
  define
};
`;
