import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import jpeg from "jpeg-js";
import pngjs from "pngjs";

/** The bytes of `tests/fixtures/<name>`. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));
}

/** A PNG of one flat colour; `colorType` 6 = RGBA (give 4 values), 4 = grey+alpha (2), 0 = grey (1). */
export function flatPng(rgba: number[], width = 2, height = 2, colorType: 0 | 4 | 6 = 6): Uint8Array {
  const image = new pngjs.PNG({ width, height });
  const channels = colorType === 6 ? 4 : colorType === 4 ? 2 : 1;
  image.data = Buffer.from(Array.from({ length: width * height }, () => rgba.slice(0, channels)).flat());
  return new Uint8Array(
    pngjs.PNG.sync.write(image, { colorType, inputColorType: colorType, inputHasAlpha: colorType !== 0 }),
  );
}

/** A quality-95 JPEG of one flat colour. */
export function flatJpeg(rgb: number[], width = 16, height = 16): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
}

/** The error `promise` rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
