import { PNG } from "pngjs";
import type { RgbImage } from "../data/image.js";

/** Encodes `image` as an 8-bit RGB PNG (lossless: decoding gives back the same bytes). */
export function encodePng(image: RgbImage): Uint8Array {
  const png = new PNG({
    width: image.width,
    height: image.height,
    colorType: 2,
    inputColorType: 2,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}
