import { fileURLToPath } from "node:url";
import { baseFromArtifacts, loadBase, type BaseOverrides } from "../model/load-base.js";
import type { Base } from "../model/base.js";
import { readModelDir } from "./model-files.js";

/** The course's pretrained base, as `npm run pretrain` wrote it. */
export const DEFAULT_BASE_DIR = fileURLToPath(new URL("../../data/models/base", import.meta.url));

/** Loads a base from a folder (model.json + weights) or an http(s) URL of a model.json. */
export function loadBaseFrom(source: string = DEFAULT_BASE_DIR, overrides: BaseOverrides = {}): Promise<Base> {
  if (/^https?:\/\//i.test(source)) return loadBase({ url: source, ...overrides });
  return readModelDir(source).then((artifacts) => baseFromArtifacts(artifacts, overrides));
}
