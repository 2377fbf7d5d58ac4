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
  readImageHeader,
  sniffFormat,
  tooLargeProblem,
} from "../data/sniff.js";
import { registerBlobDecoder } from "../export/input.js";

/** Bytes read to find the size: a JPEG's frame header follows its EXIF block, which can be large. */
const HEADER_BYTES = 256 * 1024;

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
  // the header says the size (a JPEG's frame header can sit after a large EXIF block): an image too
  // large is refused, and any other decoded once, straight at its final size, never at full size
  const head = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  const problem = imageBytesProblem(head.subarray(0, 64), blob.size);
  if (problem !== undefined) throw new ImageDecodeError(problem, file);
  const format = sniffFormat(head);
  const header = readImageHeader(head);
  const decode = (options?: ImageBitmapOptions) =>
    createImageBitmap(blob, options).catch((error: unknown) => {
      throw new ImageDecodeError(decodeFailureReason(format, error), file);
    });
  // the size upright (EXIF orientations 5–8 swap the sides); without a header, a full-size decode says it
  let bitmap: ImageBitmap | undefined;
  let natural = header && (header.orientation >= 5 ? { width: header.height, height: header.width } : header);
  if (!natural) {
    bitmap = await decode();
    natural = { width: bitmap.width, height: bitmap.height }; // a closed bitmap's sides read 0
  }
  const tooLarge = tooLargeProblem(natural.width, natural.height);
  if (tooLarge !== undefined) {
    bitmap?.close();
    throw new ImageDecodeError(tooLarge, file);
  }
  const size = fitSize(natural.width, natural.height, maxSize);
  if (size.width !== natural.width || size.height !== natural.height) {
    bitmap?.close();
    bitmap = await decode({ resizeWidth: size.width, resizeHeight: size.height, resizeQuality: "high" });
  } else bitmap ??= await decode();
  try {
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
