import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".bin": "application/octet-stream",
};

/** The headers that make a site cross-origin isolated, as `lessons/_headers` has a host send them. */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** What a host adds to every response: e.g. ISOLATION_HEADERS, or CORS for a model on another origin. */
export interface ServeOptions {
  headers?: Record<string, string>;
  /** Paths answered 404 though the folder has them (a host that drops a file). */
  missing?: string[];
}

/**
 * A plain static host for a built site (like any static host: `/x/` serves `/x/index.html`), plus
 * `extra` files served from memory at the given paths (test data that is not part of the site).
 * Sends no headers beyond the content type unless `options.headers` says so.
 */
export async function serveStatic(
  folder: string,
  extra: Record<string, Uint8Array> = {},
  { headers = {}, missing = [] }: ServeOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const body = extra[path];
    if (body !== undefined) {
      response.writeHead(200, { ...headers, "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      response.end(body);
      return;
    }
    let file = join(folder, path);
    try {
      if (missing.includes(path)) throw new Error(`${path} is missing on this host`);
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end(`not found: ${path}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
