import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** The Chromium to drive: $CHROMIUM, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function findChromium(): string | undefined {
  const candidate = process.env.CHROMIUM ?? "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : undefined;
}

export const INSTALL_HINT = "install it with `sudo apt-get install -y chromium` or set CHROMIUM=/path/to/chromium";

/** Flags measured to give WebGL2 on SwiftShader with no stray network traffic (see docs/kernels.md for the backend comparison they serve). */
const FLAGS = [
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--ignore-gpu-blocklist",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

/** Without WebGL: what a learner with hardware acceleration turned off gets. */
export const NO_WEBGL_FLAGS = ["--disable-webgl", "--disable-3d-apis"];

/**
 * Chromium 156 still hands out WebGL on an OffscreenCanvas under NO_WEBGL_FLAGS (measured), and tfjs
 * prefers OffscreenCanvas; this page script refuses it there too.
 */
export const NO_OFFSCREEN_WEBGL = `{
  const getContext = OffscreenCanvas.prototype.getContext;
  OffscreenCanvas.prototype.getContext = function (type, ...rest) {
    return /^webgl/.test(type) ? null : getContext.call(this, type, ...rest);
  };
}`;

/** Launches headless Chromium in a fresh profile; `close()` also removes the profile. */
export async function launchChromium(
  extraArgs: string[] = [],
  { initScript, serviceWorkers = "allow" }: { initScript?: string; serviceWorkers?: "allow" | "block" } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error(`Chromium not found; ${INSTALL_HINT}`);
  const profile = mkdtempSync(join(tmpdir(), "dl-course-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...FLAGS, ...extraArgs],
    // "block": Playwright makes navigator.serviceWorker.register() do nothing, as a locked-down browser might
    serviceWorkers,
  });
  if (initScript !== undefined) await context.addInitScript(initScript);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A Chromium for the enclosing describe block: launched before its tests, closed after. Read
 * `.context` inside tests (it is set once beforeAll has run).
 */
export function useChromium(...args: Parameters<typeof launchChromium>): { readonly context: BrowserContext } {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    browser = await launchChromium(...args);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get context() {
      if (browser === undefined) throw new Error("useChromium: the browser is not started yet; use it inside a test");
      return browser.context;
    },
  };
}
