import type { BrowserContext, Page } from "playwright-core";

/** A page opened in Chromium, and everything that went wrong while it rendered. */
export interface Visit {
  page: Page;
  problems: string[];
}

/**
 * Opens `url`, waits until every cell has rendered (no `observablehq-loading` placeholder left and
 * the network idle), and collects page errors, console errors, failed requests, HTTP errors,
 * error cells and cells that show a bare null or undefined. The caller closes `page`.
 */
export async function visit(context: BrowserContext, url: string, { timeout = 120_000 } = {}): Promise<Visit> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url, { waitUntil: "load", timeout });
  await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, { timeout });
  await page.waitForLoadState("networkidle", { timeout });
  const errorCells = await page.locator(".observablehq--error").allTextContents();
  for (const text of errorCells) problems.push(`error cell: ${text.trim()}`);
  // a cell whose value is null shows the word "null" to the learner
  const values = await page.locator(".observablehq > .observablehq--inspect").allTextContents();
  for (const text of values)
    if (["null", "undefined"].includes(text.trim())) problems.push(`stray ${text.trim()} output`);
  return { page, problems };
}
