import * as tf from "@tensorflow/tfjs";
import { checkWeightBytes, expectedWeightBytes } from "../export/artifacts.js";

/** Why a base could not be downloaded; each has its own sentence for the learner. */
export type DownloadFault = "offline" | "unreachable" | "not-found" | "http" | "not-layers" | "truncated" | "stopped";

/** A base download that failed: `fault` says why, the message says what happened and what to do. */
export class BaseDownloadFailed extends Error {
  override readonly name = "BaseDownloadFailed";
  constructor(
    readonly fault: DownloadFault,
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes of the weights received so far, of `total` (null until model.json says). */
export interface DownloadProgress {
  loaded: number;
  total: number | null;
}

export interface DownloadOptions {
  /** Stops the download; the promise rejects with fault "stopped". */
  signal?: AbortSignal;
  /** Called as weight bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
  /** A fetch to use instead of the global one. */
  fetchFunc?: typeof fetch;
}

/**
 * Downloads a tfjs layers model (its model.json, then the weight files it names, resolved against it),
 * reporting progress and stoppable. Every failure is a {@link BaseDownloadFailed} whose message names the
 * URL, what went wrong (offline, unreachable or blocked by CORS, HTTP 404, a graph model, cut-short
 * weights) and what to do. Nothing is fetched before the call.
 */
export async function downloadBase(
  url: string,
  { signal, onProgress, fetchFunc = globalThis.fetch.bind(globalThis) }: DownloadOptions = {},
): Promise<tf.io.ModelArtifacts> {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  const address = new URL(url, page);
  const get = async (target: URL): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFunc(target.href, { signal });
    } catch (error) {
      throw fetchFailure(url, target.href, error, signal);
    }
    if (response.status === 404 || response.status === 410)
      throw new BaseDownloadFailed(
        "not-found",
        url,
        `no model at ${target.href} (HTTP ${response.status}); check the address: it must be a model.json with its weight files beside it`,
      );
    if (!response.ok)
      throw new BaseDownloadFailed(
        "http",
        url,
        `the server of ${target.href} answered HTTP ${response.status}; try again later, or give another model's URL`,
      );
    return response;
  };
  const json = await read(url, await get(address), signal);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(json)) as tf.io.ModelJSON;
  } catch {
    throw new BaseDownloadFailed(
      "not-layers",
      url,
      `${url} is not a model.json (not JSON); give the URL of a tfjs layers model's model.json`,
    );
  }
  const topology = modelJson?.modelTopology as { node?: unknown; model_config?: unknown; config?: unknown } | undefined;
  const format = (modelJson as { format?: string })?.format;
  if (format === "graph-model" || topology?.node !== undefined)
    throw new BaseDownloadFailed(
      "not-layers",
      url,
      `${url} is a graph model (a converted TensorFlow graph), which cannot be cut and fine-tuned here; give a tfjs layers model (model.json with "format": "layers-model"), e.g. the course's MobileNet`,
    );
  if (topology === undefined || (topology.model_config === undefined && topology.config === undefined))
    throw new BaseDownloadFailed(
      "not-layers",
      url,
      `${url} has no layers topology; give the URL of a tfjs layers model's model.json`,
    );
  const manifest = modelJson.weightsManifest ?? [];
  const specs = manifest.flatMap((group) => group.weights);
  const total = expectedWeightBytes(specs);
  let loaded = 0;
  onProgress?.({ loaded, total });
  const shards: ArrayBuffer[] = [];
  for (const path of manifest.flatMap((group) => group.paths)) {
    const response = await get(new URL(path, address));
    const bytes = await read(url, response, signal, (n) => {
      loaded += n;
      onProgress?.({ loaded, total });
    });
    shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  const artifacts = tf.io.getModelArtifactsForJSONSync(modelJson, specs, tf.io.concatenateArrayBuffers(shards));
  try {
    checkWeightBytes(artifacts, url);
  } catch (error) {
    throw new BaseDownloadFailed("truncated", url, (error as Error).message);
  }
  return artifacts;
}

/** A response's body, read in chunks (so progress moves and Stop works mid-file). */
async function read(
  url: string,
  response: Response,
  signal: AbortSignal | undefined,
  onChunk?: (bytes: number) => void,
): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onChunk?.(bytes.byteLength);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
      onChunk?.(value.byteLength);
    }
  } catch (error) {
    throw fetchFailure(url, response.url || url, error, signal);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A fetch that threw: stopped by the learner, offline, or unreachable / refused by CORS (a browser cannot tell those apart). */
function fetchFailure(url: string, target: string, error: unknown, signal?: AbortSignal): BaseDownloadFailed {
  if (signal?.aborted || (error as Error)?.name === "AbortError")
    return new BaseDownloadFailed("stopped", url, `the download of ${url} was stopped; nothing was kept`);
  const online = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine;
  if (online === false)
    return new BaseDownloadFailed(
      "offline",
      url,
      `this browser is offline, so ${url} could not be downloaded; connect to the internet and try again (the course base works offline)`,
    );
  const cause = (error as { cause?: Error })?.cause?.message ?? (error as Error)?.message ?? String(error);
  return new BaseDownloadFailed(
    "unreachable",
    url,
    `${target} could not be fetched (${cause}): the server cannot be reached, or it does not let other sites read it (no CORS header); check the address, or download the model's files and give them instead`,
  );
}
