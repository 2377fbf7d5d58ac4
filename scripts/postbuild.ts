// Runs after `observable build`: adds what Framework does not copy, because no page links to it —
// the course's service worker (cross-origin isolation on any static host) and the `_headers` file
// that Netlify and Cloudflare Pages read to send the isolation headers themselves (docs/threads.md).
import { copyFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import config from "../observablehq.config.js";
import { ISOLATION_WORKER_FILE } from "../src/browser/isolation-headers.js";
import { isolationWorkerScript } from "./isolation.js";

const project = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = resolve(project, config.output);

await writeFile(join(output, ISOLATION_WORKER_FILE), isolationWorkerScript());
await copyFile(join(project, "lessons", "_headers"), join(output, "_headers"));
console.log(`postbuild: ${ISOLATION_WORKER_FILE} and _headers written to ${output}`);
