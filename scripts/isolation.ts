// Builds the two browser halves of cross-origin isolation (docs/threads.md): the script inlined into
// every page's <head> (src/browser/isolation-head.ts) and the service worker written beside the pages
// (src/browser/isolation-worker.ts). Used by observablehq.config.ts and scripts/postbuild.ts.
import { buildSync } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");

function bundle(entry: string, { preview = false } = {}): string {
  const result = buildSync({
    define: { DLCOURSE_PREVIEW: String(preview) },
    entryPoints: [join(project, "src/browser", entry)],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    write: false,
    logLevel: "error",
  });
  return new TextDecoder().decode(result.outputFiles[0]!.contents).trim();
}

/**
 * The head script, as one `<script>` element (classic, so it runs before the page's modules). For
 * Framework's preview (`preview: true`, `npm run dev`) it registers nothing: the preview server cannot
 * serve the worker as a classic script, and the page says so.
 */
export function isolationHeadScript({ preview = false }: { preview?: boolean } = {}): string {
  const code = bundle("isolation-head.ts", { preview });
  if (/<\/script/i.test(code))
    throw new Error("isolation-head.ts bundles to code containing </script; it cannot be inlined");
  return `<script>${code}</script>`;
}

/** The service worker's code (a classic worker script). */
export function isolationWorkerScript(): string {
  return `${bundle("isolation-worker.ts")}\n`;
}
