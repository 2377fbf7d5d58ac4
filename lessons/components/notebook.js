// Makes a lesson page a notebook in the built site: every cell's code shown, editable, runnable and
// revertable, scratch cells added, edits kept in this browser (src/notebook/page.ts). The editor and
// the compiler load only when the learner first edits a cell.
import { FileAttachment } from "observablehq:stdlib";
import { notebookPage, pagePath } from "../lib/notebook/page.js";

/** Each notebook page's own Markdown, for "Download .md". */
const SOURCES = {
  "/lesson-1": FileAttachment("../lesson-1.md"),
  "/lesson-2": FileAttachment("../lesson-2.md"),
};

export const notebook = notebookPage({
  editorUrl: FileAttachment("../assets/notebook/editor.js").href,
  markdownUrl: SOURCES[pagePath(location.pathname)]?.href,
});
