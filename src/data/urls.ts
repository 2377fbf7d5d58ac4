/**
 * Image datasets from a list of URLs (fastai's `download_images`, without the disk). A URL that
 * fails is a skipped file with the reason, never a crash. Universal: uses `fetch`.
 */
import type { Dataset } from "./dataset.js";
import { datasetFromEntries, SkipFile, type FileEntry, type LoadOptions } from "./load.js";

/** A URL and the class its image belongs to. */
export interface LabelledUrl {
  url: string;
  label: string;
}

export type UrlOptions = Omit<LoadOptions, "folders" | "checkNames"> & {
  /** The fetch to use (default the global one); e.g. one that adds headers. */
  fetch?: typeof fetch;
};

/** Resolves `url` (relative ones against the page, in a browser); undefined when it is not a URL. */
function parseUrl(url: string): URL | undefined {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** The folder holding the URL's file: "https://x.org/pets/cat/1.jpg?s=2" → "cat"; "" when there is none. */
export function urlParentLabel(url: string): string {
  const parts = parseUrl(url)?.pathname.split("/").filter((s) => s !== "") ?? [];
  const folder = parts[parts.length - 2];
  if (folder === undefined) return "";
  try {
    return decodeURIComponent(folder);
  } catch {
    return folder;
  }
}

/** What went wrong with a request, in a few words ("connect ECONNREFUSED 127.0.0.1:9"). */
function networkMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Downloads and decodes each URL into a Dataset. `file` is the URL as given; the label is the given
 * one, else `options.label(url)`, else the URL path's parent folder. URLs are not judged by name
 * (many have no extension): the bytes decide. Failed requests are skipped with reason "HTTP 404"
 * (the status), "network error: <cause>" or "invalid URL: <url>"; the rest as in datasetFromEntries.
 * `options.source` defaults to "the URL list". Rejects with `signal.reason` when aborted (in-flight
 * requests are aborted too).
 */
export async function datasetFromUrls(urls: readonly LabelledUrl[] | readonly string[], options: UrlOptions): Promise<Dataset> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const { signal } = options;
  const labels = new Map<string, string>();
  const list = (urls as readonly (LabelledUrl | string)[]).map((u) => {
    if (typeof u === "string") return u;
    labels.set(u.url, u.label);
    return u.url;
  });
  const entries: FileEntry[] = list.map((url) => ({
    file: url,
    read: async () => {
      const parsed = parseUrl(url);
      if (parsed === undefined) throw new SkipFile(`invalid URL: ${url}`);
      try {
        const response = await fetchFn(parsed, signal ? { signal } : {});
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          throw new SkipFile(`HTTP ${response.status}`);
        }
        return new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        if (error instanceof SkipFile || signal?.aborted) throw error;
        throw new SkipFile(`network error: ${networkMessage(error)}`);
      }
    },
  }));
  const label = (url: string) => labels.get(url) ?? (options.label ?? urlParentLabel)(url);
  return datasetFromEntries(entries, { source: "the URL list", ...options, label, checkNames: false });
}
