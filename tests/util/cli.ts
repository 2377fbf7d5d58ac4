import * as tf from "@tensorflow/tfjs";
import { main } from "../../src/cli/main.js";
import { saveModelDir } from "../../src/node/model-files.js";
import { tinyBase } from "../model/helpers.js";

/** Runs the CLI in-process on `argv`, capturing what it writes. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

/** Saves the tiny test base as a model folder at `dir` (named `name` in its metadata when given), for `--base`. */
export async function saveTinyBase(dir: string, name?: string): Promise<void> {
  const base = await tinyBase();
  const model = await tf.loadLayersModel(tf.io.fromMemory(base.artifacts));
  await saveModelDir(model, dir, { base: name === undefined ? base.info : { ...base.info, name } });
  model.dispose();
}
