// Bundles src/notebook/editor.ts (CodeMirror and Framework's cell compiler) into one browser module
// that the lesson pages load when the learner first edits a cell. Framework's compiler is written for
// Node: its `node:path` imports get a browser copy of Node's posix path, `process.env` lookups a
// constant, and the build-time module resolver (never called when compiling a cell) a stub.
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(project, "package.json"));

/**
 * Framework's `resolvers.js` (the build's module resolver) and `node:fs` (read by its local-import
 * parser) are imported by the cell compiler but never called by it; in the browser they are stubs.
 */
const STUBS: Record<string, string> = {
  resolvers: "export function getModuleResolver() { throw new Error('the module resolver runs at build only'); }",
  "node:fs/promises": "export function readFile() { throw new Error('no files in the browser'); }",
};

const stubNodeOnly: Plugin = {
  name: "stub-node-only",
  setup(build) {
    build.onResolve({ filter: /\/resolvers\.js$/ }, (args) =>
      args.importer.includes("@observablehq/framework") ? { path: "resolvers", namespace: "stub" } : undefined,
    );
    build.onResolve({ filter: /^node:fs\/promises$/ }, (args) => ({ path: args.path, namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, (args) => ({ contents: STUBS[args.path] }));
  },
};

/** Writes the editor bundle to `out`. */
export async function bundleEditor(out: string): Promise<void> {
  const path = require.resolve("path-browserify");
  const result = await build({
    entryPoints: [join(project, "src/notebook/editor.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "error",
    alias: { "node:path/posix": path, "node:path": path },
    define: { "process.env.OBSERVABLE_ANNOTATE_FILES": "undefined" },
    plugins: [stubNodeOnly],
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, result.outputFiles[0]!.contents);
}
