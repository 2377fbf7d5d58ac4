import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { datasetFromUrls, urlParentLabel } from "../../src/data/urls.js";
import { decodeImage } from "../../src/node/decode.js";
import { fixture, flatJpeg, flatPng, rejection } from "../util/images.js";

const png = flatPng;
const jpg = (rgb: number[], width = 16, height = 16) => flatJpeg(rgb, width, height);




const FILES: Record<string, Uint8Array> = {
  "/pets/cat/a.png": png([255, 0, 0, 255]),
  "/pets/cat/%C3%A9t%C3%A9_1.png": png([0, 255, 0, 255]),
  "/pets/dog/b.jpg": jpg([0, 0, 250]),
  "/pets/dog/anim.gif": fixture("orange.gif"),
  "/cdn/image?id=7": png([9, 9, 9, 255]),
  "/pets/dog/page.jpg": Buffer.from("<!doctype html><p>moved</p>"),
};

let server: Server;
let base: string;
let closedPort: number;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url!);
    if (request.url === "/hang") return; // answered never: only an abort ends it
    if (request.url === "/broken") {
      response.writeHead(500).end("oops");
      return;
    }
    const body = FILES[request.url!];
    if (body === undefined) response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    else response.writeHead(200).end(body);
  });
  server.keepAliveTimeout = 100;
  server.requestTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // a port nothing listens on: open one, note it, close it
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});


describe("urlParentLabel(url)", () => {
  it("is the URL path's parent folder, decoded", () => {
    expect(urlParentLabel("https://example.org/pets/cat/1.jpg?size=2")).toBe("cat");
    expect(urlParentLabel("https://example.org/%C3%A9t%C3%A9/1.jpg")).toBe("été");
    expect(urlParentLabel("https://example.org/1.jpg")).toBe("");
    expect(urlParentLabel("not a url")).toBe("");
  });
});

describe("datasetFromUrls(urls, options)", () => {
  it("labels plain URLs by their parent folder and decodes what they serve", async () => {
    const urls = ["/pets/dog/b.jpg", "/pets/cat/a.png", "/pets/cat/%C3%A9t%C3%A9_1.png"].map((p) => base + p);
    const dataset = await datasetFromUrls(urls, { decode: decodeImage });
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.map((i) => [i.file.slice(base.length), i.label])).toEqual([
      ["/pets/cat/%C3%A9t%C3%A9_1.png", "cat"],
      ["/pets/cat/a.png", "cat"],
      ["/pets/dog/b.jpg", "dog"],
    ]);
    expect(Array.from(dataset.items[1]!.image.data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(dataset.skipped).toEqual([]);
  });

  it("uses explicit labels, and loads URLs without an extension by their bytes", async () => {
    const dataset = await datasetFromUrls(
      [
        { url: `${base}/cdn/image?id=7`, label: "grey" },
        { url: `${base}/pets/cat/a.png`, label: "red" },
      ],
      { decode: decodeImage },
    );
    expect(dataset.classes).toEqual(["grey", "red"]);
    expect(Array.from(dataset.items.find((i) => i.label === "grey")!.image.data.subarray(0, 3))).toEqual([9, 9, 9]);
  });

  it("reports a 404, a 500, a refused connection, a bad URL and bad bytes as skipped files, never a crash", async () => {
    const gone = `${base}/pets/dog/missing.png`;
    const broken = `${base}/broken`;
    const refused = `http://127.0.0.1:${closedPort}/pets/cat/x.png`;
    const page = `${base}/pets/dog/page.jpg`;
    const gif = `${base}/pets/dog/anim.gif`;
    const dataset = await datasetFromUrls(
      [
        { url: `${base}/pets/cat/a.png`, label: "cat" },
        { url: `${base}/pets/dog/b.jpg`, label: "dog" },
        { url: gone, label: "dog" },
        { url: broken, label: "dog" },
        { url: refused, label: "cat" },
        { url: "http://[not a url", label: "cat" },
        { url: page, label: "dog" },
        { url: gif, label: "dog" },
      ],
      { decode: decodeImage },
    );
    expect(dataset.items.map((i) => i.label)).toEqual(["cat", "dog"]);
    const reasons = Object.fromEntries(dataset.skipped.map((s) => [s.file, s.reason]));
    expect(reasons).toEqual({
      [gone]: "HTTP 404",
      [broken]: "HTTP 500",
      [refused]: expect.stringMatching(/^network error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
      "http://[not a url": "invalid URL: http://[not a url",
      [page]: "not an image (the bytes are not PNG or JPEG)",
      [gif]: "unsupported format: GIF; convert it to PNG or JPEG",
    });
    expect(dataset.skipped).toHaveLength(6);
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const fakeFetch = (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response(new Uint8Array(FILES[new URL(String(input)).pathname]!));
    }) as typeof fetch;
    const dataset = await datasetFromUrls(["https://example.org/pets/cat/a.png", "https://example.org/pets/dog/b.jpg"], {
      decode: decodeImage,
      fetch: fakeFetch,
    });
    expect(seen).toEqual(["https://example.org/pets/cat/a.png", "https://example.org/pets/dog/b.jpg"]);
    expect(dataset.classes).toEqual(["cat", "dog"]);
  });

  it("throws a DataError naming the URL list when fewer than two classes load", async () => {
    const error = await rejection(datasetFromUrls([`${base}/pets/cat/a.png`, `${base}/pets/dog/missing.png`], { decode: decodeImage }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/^found 1 class \(cat\) in the URL list; put each class's images in its own folder/);
  });

  it("aborts requests in flight and rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const promise = datasetFromUrls([`${base}/pets/cat/a.png`, `${base}/hang`], { decode: decodeImage, signal: controller.signal });
    const timer = setTimeout(() => controller.abort(new Error("took too long")), 200);
    const error = await rejection(promise);
    clearTimeout(timer);
    expect(error.message).toBe("took too long");
    expect(requests).toContain("/hang");
  });
});
