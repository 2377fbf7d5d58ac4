// A model host on its own 127.0.0.1 origin, as a hosted model's server is: the files given, CORS or not,
// slowly or not (used by tests/model/keras-base.test.ts and tests/browser/photo-base.test.ts).
import { createServer } from "node:http";

/** A file the host serves: its bytes, HTTP status (200), a CORS header (default yes), and for a slow one its pace. */
export interface HostedFile {
  body: Uint8Array;
  status?: number;
  cors?: boolean;
  slow?: { chunkBytes: number; delayMs: number };
}

/**
 * Serves `files` by path (read at each request, so a test may add some later), 404 with a CORS header
 * for any other; `requests` lists every path asked for. `close()` drops open connections too.
 */
export async function serveModelHost(
  files: Record<string, HostedFile>,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const cors = { "access-control-allow-origin": "*" };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(path);
    const file = files[path];
    if (file === undefined) return void response.writeHead(404, cors).end("not found");
    response.writeHead(file.status ?? 200, {
      ...(file.cors === false ? {} : cors),
      "content-length": String(file.body.byteLength),
    });
    if (file.slow === undefined) return void response.end(file.body);
    const { chunkBytes, delayMs } = file.slow;
    for (let at = 0; at < file.body.byteLength && !response.destroyed; at += chunkBytes) {
      response.write(file.body.subarray(at, at + chunkBytes));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
