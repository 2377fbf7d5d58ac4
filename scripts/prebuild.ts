// Runs before `observable build` and `observable preview` so the site builds with no network:
// fills Framework's npm cache from node_modules, copies the tfjs wasm binaries into the site, and
// clears cached data-loader output (Framework does not notice when only src/ changed).
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
// Framework's own bundler for bare imports, so our patched bundle sits exactly where it looks.
import { resolveNodeImport } from "@observablehq/framework/dist/node.js";
import { FRAMEWORK_VERSION, ORIGINAL_CLIENT, PATCHED_CLIENT } from "../src/notebook/client-patch.js";
import { bundleEditor } from "./notebook-editor.js";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(project, "lessons", ".observablehq", "cache");

/**
 * Libraries Framework imports as `npm:` (Plot, d3, Inputs, html, csv, and jszip for any .zip
 * FileAttachment); bundled from node_modules. The value says whether the module has a default export.
 */
const BUNDLED: Record<string, "named" | "default"> = {
  d3: "named",
  "@observablehq/plot": "named",
  "@observablehq/inputs": "named",
  htl: "named",
  isoformat: "named",
  "d3-dsv": "named",
  jszip: "default",
};

/** Libraries the client may load lazily; an empty cache folder stops Framework asking the registry. */
const LAZY = [
  "react",
  "react-dom",
  "lodash",
  "arquero",
  "apache-arrow",
  "echarts",
  "leaflet",
  "mapbox-gl",
  "topojson-client",
  "parquet-wasm",
  "@observablehq/sample-datasets",
];

async function installedVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(project, "node_modules", name, "package.json"), "utf8"));
  return pkg.version;
}

/** Bundles the module `contents` (imports resolved from `resolveDir`) for the browser into `out`. */
async function bundleTo(out: string, contents: string, resolveDir: string): Promise<void> {
  const result = await build({
    stdin: { contents, resolveDir },
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    write: false,
    logLevel: "error",
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, result.outputFiles[0]!.contents);
}

async function bundle(name: string, exports: "named" | "default"): Promise<void> {
  const out = join(cache, "_npm", `${name}@${await installedVersion(name)}`, "_esm.js");
  if (existsSync(out)) return;
  const spec = JSON.stringify(name);
  await bundleTo(out, exports === "default" ? `export { default } from ${spec};` : `export * from ${spec};`, project);
}

/**
 * Framework bundles `@tensorflow/tfjs-backend-wasm` for the browser but keeps the Node built-ins its
 * Emscripten glue imports for Node only (`import * as x from "fs"`), which a browser cannot resolve.
 * The package's `browser` field maps them to nothing; do the same in the cached bundle.
 */
async function patchWasmBackend(): Promise<void> {
  const root = join(project, "lessons");
  const resolved = await resolveNodeImport(root, "@tensorflow/tfjs-backend-wasm");
  const file = join(cache, resolved.replace(/^\//, ""));
  const pkg = JSON.parse(
    await readFile(join(project, "node_modules/@tensorflow/tfjs-backend-wasm/package.json"), "utf8"),
  );
  const builtins = Object.keys(pkg.browser).filter((name) => pkg.browser[name] === false);
  let source = await readFile(file, "utf8");
  for (const name of builtins) {
    const pattern = new RegExp(`import\\*as ([\\w$]+) from"${name}";?`, "g");
    source = source.replace(pattern, "const $1={};");
  }
  await writeFile(file, source);
}

/**
 * Framework's CommonJS conversion of `seedrandom` exports only a default, but tfjs-core calls
 * `seedrandom.alea(seed)` on the namespace; every seeded tfjs op would throw. Pre-fill the cached
 * bundle with the named exports tfjs-core uses.
 */
async function bundleSeedrandom(): Promise<void> {
  const from = dirname(
    createRequire(join(project, "node_modules/@tensorflow/tfjs-core/package.json")).resolve("seedrandom"),
  );
  const version = JSON.parse(await readFile(join(from, "package.json"), "utf8")).version;
  const out = join(cache, "_node", `seedrandom@${version}`, "index.js");
  const generators = ["alea", "xor128", "xorwow", "xorshift7", "xor4096", "tychei"];
  await bundleTo(
    out,
    `import sr from "seedrandom"; export default sr; export const {${generators.join(", ")}} = sr;`,
    from,
  );
}

async function copyWasm(): Promise<void> {
  const from = join(project, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  const to = join(project, "lessons", "assets", "wasm");
  await mkdir(to, { recursive: true });
  for (const file of [
    "tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm-threaded-simd.wasm",
  ]) {
    await copyFile(join(from, file), join(to, file));
  }
}

/**
 * Lets the notebook redefine cells in the built site: Framework's production client exports only
 * `define` (src/notebook/client-patch.ts says what is added and why).
 */
async function patchClient(): Promise<void> {
  const framework = join(project, "node_modules/@observablehq/framework");
  const { version } = JSON.parse(await readFile(join(framework, "package.json"), "utf8"));
  const file = join(framework, "dist/client/index.js");
  const source = await readFile(file, "utf8");
  if (source === PATCHED_CLIENT) return;
  if (version !== FRAMEWORK_VERSION || source !== ORIGINAL_CLIENT) {
    throw new Error(
      `prebuild: @observablehq/framework ${version}'s dist/client/index.js is not the ${FRAMEWORK_VERSION} file the notebook patches; ` +
        `pin framework to ${FRAMEWORK_VERSION} (npm ci) or update src/notebook/client-patch.ts (docs/notebook.md says what it needs)`,
    );
  }
  await writeFile(file, PATCHED_CLIENT);
}

await patchClient();
await Promise.all(Object.entries(BUNDLED).map(([name, exports]) => bundle(name, exports)));
await Promise.all(LAZY.map((name) => mkdir(join(cache, "_npm", `${name}@0.0.0-offline`), { recursive: true })));
await rm(join(cache, "data"), { recursive: true, force: true });
await copyWasm();
await bundleSeedrandom();
await patchWasmBackend();
await bundleEditor(join(project, "lessons", "assets", "notebook", "editor.js"));
console.log(
  `prebuild: npm cache filled (${Object.keys(BUNDLED).join(", ")}), wasm binaries copied, data cache cleared, client patched, notebook editor bundled`,
);
