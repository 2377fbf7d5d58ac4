// Observable Framework configuration for the course site: https://observablehq.com/framework/config
import { notebookFences, type MarkdownItLike } from "./src/notebook/fences.js";
import { NOTEBOOK_STYLE } from "./src/notebook/style.js";
import { isolationHeadScript } from "./scripts/isolation.js";

/**
 * The lesson pages: every cell's code is shown and can be edited, run and added to in the page.
 * `DLCOURSE_NOTEBOOK=off` builds them as plain pages (`npm run bench` compares the two).
 */
export const NOTEBOOK_PAGES = process.env.DLCOURSE_NOTEBOOK === "off" ? [] : ["/lesson-1", "/lesson-2"];

export default {
  title: "dl-course",
  root: "lessons",
  // `npm run bench` builds into a folder of its own, so it never touches dist/
  output: process.env.DLCOURSE_OUTPUT ?? "dist",
  pages: [
    { name: "Lesson 1 — Your first model", path: "/lesson-1" },
    { name: "Lesson 2 — From model to production", path: "/lesson-2" },
    { name: "The app — cat or dog?", path: "/app" },
  ],
  // first in <head>: cross-origin isolation (threaded WebAssembly) on any host, docs/threads.md
  head: `${isolationHeadScript({ preview: process.argv.includes("preview") })}\n<link rel="icon" href="favicon.svg" type="image/svg+xml">\n<style>${NOTEBOOK_STYLE}</style>`,
  // No web fonts: the default stylesheet loads them from a CDN, which an offline course cannot reach.
  globalStylesheets: [],
  // Links end in .html so the built site works on any static host, even one with no URL rewriting.
  preserveExtension: true,
  footer: "dl-course — fast.ai's Practical Deep Learning, lessons 1–2, in your browser.",
  pager: true,
  search: false,
  markdownIt: <M extends MarkdownItLike>(md: M) => notebookFences(md, { pages: NOTEBOOK_PAGES }),
};
