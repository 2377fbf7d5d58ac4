/**
 * Where an exported model's files come from besides a tfjs IO handler: a URL (of its model.json or
 * its .zip) and files a learner picked or dropped (the .zip, or model.json with its weight files).
 * Universal: `fetch` and `Blob`, which Node 20 has too.
 */
import type * as tf from "@tensorflow/tfjs";
import { artifactsFromModelJson, MODEL_JSON, ModelNotFound } from "./artifacts.js";
import { artifactsFromZip } from "./zip.js";

/** A zip archive's first bytes ("PK\x03\x04"). */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

async function blobBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The model at `url`: a model.json with its weight files beside it (their paths resolved against it),
 * or a .zip. Relative URLs resolve against the page. Errors name the URL and the HTTP status; nothing
 * at the URL itself (HTTP 404 or 410) is a {@link ModelNotFound}.
 */
export async function artifactsFromUrl(
  url: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<tf.io.ModelArtifacts> {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const get = async (target: URL): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFn(target.href);
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      throw new Error(`could not be fetched (network error: ${cause?.message ?? (error as Error).message})`);
    }
    if (!response.ok)
      throw Object.assign(new Error(`could not be fetched (HTTP ${response.status})`), { status: response.status });
    return response;
  };
  const address = new URL(url, base);
  let response: Response;
  try {
    response = await get(address);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 410) {
      throw new ModelNotFound(
        url,
        `${url}: no model there (HTTP ${status}${address.href === url ? "" : ` at ${address.href}`}); check the address: give the URL of the model.json (or .zip) that learn.export wrote, as the server serves it`,
      );
    }
    throw new Error(
      `${url}: ${(error as Error).message}; give the URL of the model.json (or .zip) that learn.export wrote`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (isZip(bytes)) return artifactsFromZip(bytes, url);
  const readShard = async (path: string) => new Uint8Array(await (await get(new URL(path, address))).arrayBuffer());
  return artifactsFromModelJson(new TextDecoder().decode(bytes), readShard, url);
}

/**
 * The model in files a learner picked or dropped: one .zip, or a model.json and the weight files it
 * names (matched by file name), and how errors name them. Errors say which file is missing.
 */
export async function artifactsFromFiles(
  files: Iterable<Blob> | ArrayLike<Blob>,
): Promise<{ artifacts: tf.io.ModelArtifacts; source: string }> {
  const list = Array.from(files);
  const names = list.map((file, i) => (file as File).name ?? `file ${i + 1}`);
  const source = `the files given (${names.join(", ")})`;
  if (list.length === 1) {
    const bytes = await blobBytes(list[0]!);
    if (isZip(bytes)) return { artifacts: await artifactsFromZip(bytes, names[0]!), source: names[0]! };
  }
  const jsons = list.filter((_, i) => names[i]!.endsWith(".json"));
  const json = jsons.length === 1 ? jsons[0] : list[names.indexOf(MODEL_JSON)];
  if (json === undefined) {
    throw new Error(
      `${source}: not a model: no model.json among them; pick model.json together with its weight files, or the one .zip that learn.export wrote`,
    );
  }
  const readShard = async (path: string) => {
    const file = list[names.indexOf(path.split("/").pop()!)];
    if (file === undefined) throw new Error("was not among the files given");
    return blobBytes(file);
  };
  return { artifacts: await artifactsFromModelJson(await json.text(), readShard, source), source };
}
