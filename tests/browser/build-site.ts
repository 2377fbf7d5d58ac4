// Vitest global setup for the browser tests: builds the site once (`npm run build` → dist/) before
// any browser test file runs. DLCOURSE_SKIP_BUILD=1 reuses the dist/ there is.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export default function buildSite(): void {
  if (process.env.DLCOURSE_SKIP_BUILD === "1") return;
  const build = spawnSync("npm", ["run", "build"], { cwd: join(import.meta.dirname, "..", ".."), encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
