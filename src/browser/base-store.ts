/**
 * Bases a learner asked for, kept in this browser: downloaded once (with progress and Stop), stored in
 * IndexedDB, and read from there on a reload or in the next lesson. Browser only.
 */
import * as tf from "@tensorflow/tfjs";
import { indexedDbSaveHandler, storageProblem } from "../export/indexeddb.js";
import { artifactsFromFiles } from "../export/sources.js";
import type { Base } from "../model/base.js";
import { downloadBase, type DownloadOptions } from "../model/download-base.js";
import { baseFromArtifacts, type BaseOverrides } from "../model/load-base.js";
import { hashString } from "../random.js";

/**
 * The photo base: Keras MobileNet v1 (alpha 0.25, 224 px) pretrained on ImageNet, in tfjs's layers
 * format, as TensorFlow.js's webcam transfer-learning example loads it (about 1.9 MB). Fetched only
 * when a learner picks it.
 */
export const PHOTO_BASE_URL = "https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json";

/**
 * Teachable Machine's base: Keras MobileNet v2 (alpha 0.35, 224 px) pretrained on ImageNet, without its
 * top (so no ImageNet labels), in tfjs's layers format (about 2 MB). Fetched only when a learner picks it.
 */
export const PHOTO_BASE_V2_URL =
  "https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json";

/** The hosted bases the lessons offer, in the picker's order (see basePicker). */
export const HOSTED_BASES = [
  {
    id: "photo",
    url: PHOTO_BASE_URL,
    title: "MobileNet, pretrained on ImageNet photos",
    about: "for real photos, and its ImageNet labels; about 2 MB",
  },
  {
    id: "photo-v2",
    url: PHOTO_BASE_V2_URL,
    title: "MobileNet v2, as Teachable Machine uses it",
    about: "for real photos (no ImageNet labels: it comes without its top); about 2 MB",
  },
] as const;

/** Where a base came from this time. */
export type BaseOrigin = "download" | "browser" | "files";

export interface StoredBase {
  base: Base;
  origin: BaseOrigin;
  /** Why the copy could not be kept in this browser (e.g. storage full); the base still works on this page. */
  notKept?: string;
}

/** The IndexedDB key of the base downloaded from `url`. */
export function baseKey(url: string): string {
  return `indexeddb://dl-course-base-${hashString(url, 0).toString(36)}`;
}

/**
 * The base at `url`: this browser's copy when it has one (nothing fetched), else downloaded (progress,
 * Stop: see downloadBase), checked (see baseFromArtifacts) and then kept in IndexedDB. Download errors
 * are BaseDownloadFailed; a failed save only sets `notKept`.
 */
export async function loadBaseKept(url: string, options: DownloadOptions & BaseOverrides = {}): Promise<StoredBase> {
  const key = baseKey(url);
  const kept = await readKept(key);
  if (kept !== null) return { base: await baseFromArtifacts(kept, options), origin: "browser" };
  const artifacts = await downloadBase(url, options);
  const base = await baseFromArtifacts(artifacts, options);
  try {
    await indexedDbSaveHandler(key).save!(artifacts);
    return { base, origin: "download" };
  } catch (error) {
    const why = (error as Error & { cause?: unknown }).cause ?? error;
    return {
      base,
      origin: "download",
      notKept: `not kept in this browser (${storageProblem(why)}), so it will be downloaded again next time`,
    };
  }
}

/** Whether this browser keeps a copy of the base from `url` (nothing is fetched). */
export async function isBaseKept(url: string): Promise<boolean> {
  return baseKey(url) in (await keptModels());
}

/** Deletes this browser's copy of the base from `url`, if any. */
export async function forgetBase(url: string): Promise<void> {
  if (await isBaseKept(url)) await tf.io.removeModel(baseKey(url));
}

/** A base from files the learner picked: model.json with its weight files, or one .zip. Errors name the files. */
export async function baseFromFiles(
  files: Iterable<Blob> | ArrayLike<Blob>,
  overrides: BaseOverrides = {},
): Promise<StoredBase> {
  const { artifacts } = await artifactsFromFiles(files);
  return { base: await baseFromArtifacts(artifacts, overrides), origin: "files" };
}

/** The models this browser keeps (by indexeddb:// key); none where IndexedDB is unavailable. */
async function keptModels(): Promise<Record<string, unknown>> {
  return tf.io.listModels().catch(() => ({}));
}

async function readKept(key: string): Promise<tf.io.ModelArtifacts | null> {
  if (!(await keptModels())[key]) return null;
  try {
    return (await tf.io.getLoadHandlers(key)[0]?.load?.()) ?? null;
  } catch {
    return null;
  }
}
