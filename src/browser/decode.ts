/**
 * Browser image decoding with the browser's own decoder: `createImageBitmap` (which also applies EXIF
 * orientation and shrinks while decoding) and an `OffscreenCanvas` to read the pixels back.
 */
import { fitSize } from "../data/downscale.js";
import { rgbaToRgb, type RgbImage } from "../data/image.js";
import {
  ImageDecodeError,
  decodeFailureReason,
  imageBytesProblem,
  sniffFormat,
  tooLargeProblem,
} from "../data/sniff.js";
import { registerBlobDecoder } from "../export/input.js";

/**
 * Decodes a PNG or JPEG blob to RGB, its shorter side at most `maxSize` (aspect kept), alpha over
 * white. Other formats are refused even where the browser could show them, so a dataset loads the
 * same in Node and every browser. Throws ImageDecodeError with the same reasons as Node's
 * `decodeImage` ("unsupported format: GIF; convert it to PNG or JPEG", "corrupt or truncated JPEG: …").
 */
export async function decodeImageBlob(
  blob: Blob,
  file: string,
  { maxSize = 256 }: { maxSize?: number } = {},
): Promise<RgbImage> {
  const head = new Uint8Array(await blob.slice(0, 64).arrayBuffer());
  const problem = imageBytesProblem(head, blob.size);
  if (problem !== undefined) throw new ImageDecodeError(problem, file);
  const format = sniffFormat(head);

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob); // full size, upright: only to learn the size
  } catch (error) {
    throw new ImageDecodeError(decodeFailureReason(format, error), file);
  }
  const tooLarge = tooLargeProblem(bitmap.width, bitmap.height);
  const size = fitSize(bitmap.width, bitmap.height, maxSize);
  if (tooLarge === undefined && (size.width !== bitmap.width || size.height !== bitmap.height)) {
    bitmap.close();
    try {
      bitmap = await createImageBitmap(blob, {
        resizeWidth: size.width,
        resizeHeight: size.height,
        resizeQuality: "high",
      });
    } catch (error) {
      throw new ImageDecodeError(decodeFailureReason(format, error), file);
    }
  }
  try {
    if (tooLarge !== undefined) throw new ImageDecodeError(tooLarge, file);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext("2d", { willReadFrequently: true }); // a CPU canvas: getImageData from a GPU one costs a readback per image
    if (context === null) throw new ImageDecodeError("could not decode: this browser gave no 2D canvas", file);
    context.fillStyle = "#fff"; // transparent pixels end up over white, as in Node
    context.fillRect(0, 0, size.width, size.height);
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const { data } = context.getImageData(0, 0, size.width, size.height);
    return rgbaToRgb(data, size.width, size.height);
  } finally {
    bitmap.close();
  }
}

// predict's files and URLs (export/input.ts) go through this decoder too, as the dataset loader's do
registerBlobDecoder((blob, name) => decodeImageBlob(blob, name));
