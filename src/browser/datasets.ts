/**
 * The browser's ways into a dataset, with the browser's own image decoder: a zip (bytes, a URL or a
 * Framework FileAttachment), picked files or a picked folder, dropped files and folders.
 */
import type { Dataset } from "../data/dataset.js";
import { topLevelFolders } from "../data/files.js";
import { datasetFromEntries, type Decoder, type FileEntry, type LoadOptions } from "../data/load.js";
import { datasetFromZip } from "../data/zip.js";
import { decodeImageBlob } from "./decode.js";
import { entriesFromDataTransfer, entriesFromFileList } from "./files.js";

export type BrowserLoadOptions = Omit<LoadOptions, "decode" | "folders">;

/** Decodes with createImageBitmap (see decode.ts). */
export const browserDecoder: Decoder = (bytes, file, { maxSize }) =>
  decodeImageBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), file, { maxSize });

/** A dataset from a zip archive's bytes (`<class>/<image>` inside, optionally under one top folder). */
export function datasetFromZipBytes(
  bytes: Uint8Array,
  options: BrowserLoadOptions = {},
): Promise<Dataset & { manifest?: unknown }> {
  return datasetFromZip(bytes, { decode: browserDecoder, ...options });
}

/** A dataset from a zip at `url`; a failed request is an error naming the URL and the status. */
export async function datasetFromZipUrl(
  url: string,
  options: BrowserLoadOptions = {},
): Promise<Dataset & { manifest?: unknown }> {
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}; check the address`);
  return datasetFromZipBytes(new Uint8Array(await response.arrayBuffer()), { source: url, ...options });
}

function fromEntries(entries: FileEntry[], options: BrowserLoadOptions): Promise<Dataset> {
  return datasetFromEntries(entries, {
    decode: browserDecoder,
    folders: topLevelFolders(entries.map((e) => e.file)),
    ...options,
  });
}

/** A dataset from `<input type=file multiple webkitdirectory>`'s files: the picked folder is the root. */
export function datasetFromFileList(
  files: FileList | readonly File[],
  options: BrowserLoadOptions = {},
): Promise<Dataset> {
  return fromEntries(entriesFromFileList(files), { source: "the picked folder", ...options });
}

/** A dataset from files and folders dropped on the page. */
export async function datasetFromDrop(items: DataTransferItemList, options: BrowserLoadOptions = {}): Promise<Dataset> {
  return fromEntries(await entriesFromDataTransfer(items), { source: "the dropped files", ...options });
}

/** Where a page's dataset comes from: the course's own zip, a zip at a URL, a picked zip, or a picked folder. */
export type DatasetSource =
  | { kind: "zip-bytes"; bytes: Uint8Array; name: string }
  | { kind: "url"; url: string }
  | { kind: "zip-file"; file: File }
  | { kind: "files"; files: FileList | readonly File[] };

/** Loads `source` with the browser decoder; what the lesson pages call. */
export async function loadDataset(
  source: DatasetSource,
  options: BrowserLoadOptions = {},
): Promise<Dataset & { manifest?: unknown }> {
  switch (source.kind) {
    case "zip-bytes":
      return datasetFromZipBytes(source.bytes, { source: source.name, ...options });
    case "url":
      return datasetFromZipUrl(source.url, options);
    case "zip-file":
      return datasetFromZipBytes(new Uint8Array(await source.file.arrayBuffer()), {
        source: source.file.name,
        ...options,
      });
    case "files":
      return datasetFromFileList(source.files, options);
  }
}
