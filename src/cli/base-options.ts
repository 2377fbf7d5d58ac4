import type { Normalization } from "../data/normalize.js";
import { BaseSettingMissing, type BaseOverrides } from "../model/load-base.js";
import { UsageError } from "./command.js";

/** The options that describe a base without the course's metadata, by the setting each gives. */
export const BASE_FLAGS = { cut: "base-cut", inputSize: "base-size", normalize: "base-normalize" } as const;

/** Named input scalings `--base-normalize` accepts, as mean and std on pixels in [0, 1]. */
const NAMED: Record<string, Normalization> = {
  "[-1,1]": { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  "[0,1]": { mean: [0, 0, 0], std: [1, 1, 1] },
  imagenet: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
};

const NORMALIZE_USE = 'use "[-1,1]" (Keras MobileNet), "[0,1]", imagenet, or MEAN_R,MEAN_G,MEAN_B/STD_R,STD_G,STD_B';

/** `--base-cut`, `--base-size` and `--base-normalize` as loadBase's overrides; bad values are usage errors. */
export function baseOverrides(options: Record<string, string>): BaseOverrides {
  const overrides: BaseOverrides = {};
  const cut = options[BASE_FLAGS.cut];
  if (cut !== undefined) {
    if (cut.trim() === "") throw new UsageError(`invalid --base-cut: ""; give a layer's name, e.g. conv_pw_13_relu`);
    overrides.cut = cut;
  }
  const size = options[BASE_FLAGS.inputSize];
  if (size !== undefined) {
    const value = Number(size);
    if (!Number.isInteger(value) || value < 8)
      throw new UsageError(`invalid --base-size: "${size}"; give the side of the base's square inputs, e.g. 224`);
    overrides.inputSize = value;
  }
  const normalize = options[BASE_FLAGS.normalize];
  if (normalize !== undefined) overrides.normalize = parseNormalize(normalize);
  return overrides;
}

function parseNormalize(text: string): Normalization {
  const named = NAMED[text.replace(/\s/g, "").toLowerCase()];
  if (named) return named;
  const parts = text.split("/").map((part) => part.split(",").map(Number));
  const [mean, std] = parts;
  if (parts.length !== 2 || mean!.length !== 3 || std!.length !== 3 || ![...mean!, ...std!].every(Number.isFinite))
    throw new UsageError(`invalid --base-normalize: "${text}"; ${NORMALIZE_USE}`);
  if (!std!.every((s) => s > 0))
    throw new UsageError(`invalid --base-normalize: "${text}"; the three stds must be positive`);
  return { mean: mean as Normalization["mean"], std: std as Normalization["std"] };
}

/** A base that needs a setting its layers do not say, as a usage error naming the option that gives it. */
export function baseUsageError(error: unknown, source: string): unknown {
  if (!(error instanceof BaseSettingMissing)) return error;
  const flag = `--${BASE_FLAGS[error.setting]}`;
  const example =
    error.setting === "cut"
      ? "LAYER_NAME"
      : error.setting === "inputSize"
        ? "224"
        : '"[-1,1]" (or imagenet, or R,G,B/R,G,B)';
  return new UsageError(
    `the base ${source} is not one the course recognises (its own base or a Keras MobileNet) and ${error.message.replace(/; give .*$/, "")}; give ${flag} ${example}, and --base-cut, --base-size or --base-normalize for the other settings it lacks`,
  );
}
