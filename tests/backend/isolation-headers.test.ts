// src/browser/isolation-headers.ts runs in the course's service worker; Node has the same Request,
// Response and Headers, so what it answers is checked here.
import { describe, expect, it } from "vitest";
import { ISOLATION_HEADERS, isolatesRequest, withIsolationHeaders } from "../../src/browser/isolation-headers.js";

const origin = "https://you.github.io";
const request = (url: string, init: Partial<{ method: string; mode: string; cache: string }> = {}) => ({
  url,
  method: "GET",
  mode: "cors",
  cache: "default",
  ...init,
});

describe("isolatesRequest(request, origin)", () => {
  it("takes the site's own GETs, pages and files alike", () => {
    expect(isolatesRequest(request(`${origin}/dl-course/index.html`, { mode: "navigate" }), origin)).toBe(true);
    expect(isolatesRequest(request(`${origin}/dl-course/_file/assets/wasm/x.wasm`), origin)).toBe(true);
  });
  it("leaves other origins, other methods and cross-mode only-if-cached requests to the network", () => {
    expect(isolatesRequest(request("https://models.example.org/model.json"), origin)).toBe(false);
    expect(isolatesRequest(request("http://you.github.io/x.js"), origin)).toBe(false);
    expect(isolatesRequest(request(`${origin}/x`, { method: "POST" }), origin)).toBe(false);
    expect(isolatesRequest(request(`${origin}/x`, { cache: "only-if-cached", mode: "no-cors" }), origin)).toBe(false);
    expect(isolatesRequest(request("not a url"), origin)).toBe(false);
  });
});

describe("withIsolationHeaders(response)", () => {
  it("adds COOP same-origin and COEP require-corp, keeping status, headers and body", async () => {
    const original = new Response("<p>hi</p>", {
      status: 201,
      statusText: "Created",
      headers: { "content-type": "text/html", "cross-origin-embedder-policy": "unsafe-none" },
    });
    const isolated = withIsolationHeaders(original);
    expect(isolated.status).toBe(201);
    expect(isolated.statusText).toBe("Created");
    expect(isolated.headers.get("content-type")).toBe("text/html");
    expect(isolated.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(isolated.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(await isolated.text()).toBe("<p>hi</p>");
    expect(Object.keys(ISOLATION_HEADERS)).toEqual(["Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy"]);
  });
  it("returns a response it cannot rebuild (status 0: opaque, or a redirect the page follows) unchanged", () => {
    const opaque = Response.error();
    expect(withIsolationHeaders(opaque)).toBe(opaque);
  });
});
