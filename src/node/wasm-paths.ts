import { createRequire } from "node:module";
import { dirname, sep } from "node:path";

/** The folder of the installed `@tensorflow/tfjs-backend-wasm` binaries, ending in the path separator. */
export function nodeWasmPaths(): string {
  const entry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  return dirname(entry) + sep;
}
