import { describe, expect, it } from "vitest";
import { NO_OFFSCREEN_WEBGL, NO_WEBGL_FLAGS, useChromium } from "./chromium.js";
import { chromiumPath, useSite } from "./site.js";
import { visit } from "./visit.js";

// The home page (index.html): which backend it picks, with and without WebGL, and why.
describe.skipIf(chromiumPath === undefined)("the home page in headless Chromium", () => {
  const site = useSite();

  describe("with WebGL (SwiftShader)", () => {
    const browser = useChromium();

    it("the home page picks wasm over software WebGL, says why, and runs a real matrix product", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");
      expect(await page.locator(".machine .banner").textContent()).toMatch(
        /^WebGL here is drawn in software \(.*SwiftShader.*\), not by a graphics chip, and that is slower than WebAssembly/,
      );
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      // lesson 1's time, from a real training step on this backend
      expect(Number(await page.locator("[data-estimate]").getAttribute("data-estimate"))).toBeGreaterThan(0);
      expect(await page.locator("[data-estimate]").textContent()).toMatch(
        /^On wasm( with \d+ threads)?, one training step of\s+32 images takes \d+ ms .* should take\s+about \d+ (seconds|minutes) on this machine/s,
      );
      await page.close();
    });

    it("?backend=webgl starts tfjs on webgl and names the software renderer", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html?backend=webgl`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("webgl");
      expect(await page.locator(".machine h2").textContent()).toBe(
        `TensorFlow.js runs on WebGL (drawn in software on your CPU): the "webgl" backend.`,
      );
      expect(await page.locator(".machine .banner").textContent()).toMatch(/drawn in software \(.*SwiftShader/);
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      await page.close();
    });
  });

  describe("without WebGL", () => {
    const browser = useChromium(NO_WEBGL_FLAGS, { initScript: NO_OFFSCREEN_WEBGL });

    it("the home page falls back to wasm loaded from the site and says so in plain words", async () => {
      const { page, problems } = await visit(browser.context, `${site.url}/index.html`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");
      expect(await page.locator(".machine .banner").textContent()).toMatch(/^WebGL is not available in this browser/);
      expect(await page.locator(".machine").textContent()).toMatch(
        /webgl\s*✗ webgl could not start in this environment.*wasm\s*✓ started — in use/s,
      );
      expect(Number(await page.locator("[data-speed]").getAttribute("data-speed"))).toBeGreaterThan(0);
      await page.close();
    });
  });
});
