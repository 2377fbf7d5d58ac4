import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { INSTALL_HINT, launchChromium, useChromium } from "./chromium.js";
import { chromiumPath, dist, project, sitePages, useSite } from "./site.js";
import { visit } from "./visit.js";

// The whole site: the build, every page rendering, and `npm run dev`. Each page's own tests are in
// home.test.ts, lesson-1.test.ts, lesson-2.test.ts and app.test.ts (helpers in site.ts).
const underCi = process.env.CI === "true";

if (chromiumPath === undefined && !underCi) {
  console.warn(
    `Browser tests skipped: no Chromium at ${process.env.CHROMIUM ?? "/usr/bin/chromium"}; ${INSTALL_HINT}.`,
  );
}

describe("Chromium for the browser tests", () => {
  it.runIf(underCi)("is installed (CI=true makes a missing browser a failure)", () => {
    expect(
      chromiumPath,
      `no Chromium at ${process.env.CHROMIUM ?? "/usr/bin/chromium"}; ${INSTALL_HINT}`,
    ).toBeDefined();
  });
});

describe.skipIf(chromiumPath === undefined)("the built site in headless Chromium", () => {
  // the site is built once for every browser test file, by tests/browser/build-site.ts
  const site = useSite();

  it("npm run build writes one HTML page per lesson file, with no error cell in the HTML", () => {
    const built = readdirSync(dist, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".html") && entry.name !== "404.html")
      .map((entry) => `/${relative(dist, join(entry.parentPath, entry.name))}`)
      .sort();
    expect(built).toEqual(sitePages());
    for (const page of built) expect(readFileSync(join(dist, page), "utf8")).not.toContain("observablehq--error");
  });

  describe("with WebGL (SwiftShader)", () => {
    const browser = useChromium();

    it.each(sitePages())("%s renders with no error cell, page error, console error or failed request", async (path) => {
      const { page, problems } = await visit(browser.context, site.url + path);
      expect(problems).toEqual([]);
      expect(await page.locator("#observablehq-sidebar a[href$='lesson-1.html']").count()).toBe(1);
      expect(await page.locator("#observablehq-sidebar a[href$='lesson-2.html']").count()).toBe(1);
      await page.close();
    });
  });
});

describe.skipIf(chromiumPath === undefined)("npm run dev (observable preview)", () => {
  it("serves the home page with the library and tfjs, as the build does; editing a later cell of a lesson keeps the model trained above it", async () => {
    const port = 3100 + Math.floor(Math.random() * 800);
    const preview = spawn(
      join(project, "node_modules", ".bin", "observable"),
      ["preview", "--host", "127.0.0.1", "--port", String(port), "--no-open"],
      {
        cwd: project,
        env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const browser = await launchChromium();
    try {
      await new Promise<void>((resolve, reject) => {
        preview.stdout.on("data", (chunk: Buffer) => String(chunk).includes(`127.0.0.1:${port}`) && resolve());
        preview.on("exit", (code) => reject(new Error(`observable preview exited with ${code}`)));
      });
      const { page, problems } = await visit(browser.context, `http://127.0.0.1:${port}/`);
      expect(problems).toEqual([]);
      expect(await page.locator(".machine").getAttribute("data-backend")).toBe("wasm");

      // editing a later cell re-runs that cell only: the model trained above it survives
      const copy = join(project, "lessons", `tweak-check-${port}.md`);
      writeFileSync(copy, readFileSync(join(project, "lessons", "lesson-1.md"), "utf8"));
      try {
        const lesson = await visit(browser.context, `http://127.0.0.1:${port}/tweak-check-${port}`, {
          timeout: 240_000,
        });
        await lesson.page.waitForSelector(".training[data-training=done]", { timeout: 240_000 });
        await lesson.page.evaluate(`document.querySelector(".training").dataset.marker = "trained once"`);
        const chart = "resize((width) => lossChart(training, {width}))";
        writeFileSync(
          copy,
          readFileSync(copy, "utf8").replace(chart, "resize((width) => lossChart(training, {width, height: 123}))"),
        );
        await lesson.page.waitForFunction(
          `[...document.querySelectorAll("[data-loss-chart] svg")].some((svg) => svg.getAttribute("height") === "123")`,
          undefined,
          { timeout: 60_000 },
        );
        expect(await lesson.page.locator(".training").getAttribute("data-marker")).toBe("trained once");
        expect(await lesson.page.locator(".training").getAttribute("data-training")).toBe("done");
        expect(lesson.problems).toEqual([]);
      } finally {
        rmSync(copy, { force: true });
      }
    } finally {
      await browser.close();
      preview.kill();
    }
  }, 400_000);
});
