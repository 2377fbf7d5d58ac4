/**
 * Browser image decoding with the browser's own decoder: `createImageBitmap` (which also applies EXIF
 * orientation and shrinks while decoding) and an `OffscreenCanvas` to read the pixels back; a very
 * large JPEG with the course's row decoder instead (see STREAM_PIXELS).
 */
import { downscaleRowsToFit, fitSize, orientImage } from "../data/downscale.js";
import { decodeJpegRows } from "../data/jpeg.js";
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
 * From this many pixels a JPEG is decoded by the course's row decoder (src/data/jpeg.ts), shown to the
 * downscaler an MCU row at a time, instead of by Chromium, whose decode of a 9000 × 9000 JPEG peaked
 * at about 3× its RGBA size even when asked for a small bitmap (tests/browser/memory.test.ts). It
 * runs on the page's thread: a few seconds for such a photo.
 */
const STREAM_PIXELS = 16_000_000;

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
  if (format === "jpeg" && header && header.width * header.height >= STREAM_PIXELS) {
    const streamed = decodeJpegStreaming(new Uint8Array(await blob.arrayBuffer()), file, maxSize);
    // undefined: a JPEG the row decoder leaves to others (CMYK/YCCK, 12-bit), decoded below
    if (streamed !== undefined) return orientImage(streamed, header.orientation);
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

/** `bytes` (a JPEG) through the row decoder into the downscaler, or undefined when it leaves the JPEG to the browser. */
function decodeJpegStreaming(bytes: Uint8Array, file: string, maxSize: number): RgbImage | undefined {
  try {
    return decodeJpegRows(bytes, (width, height) => {
      const reason = tooLargeProblem(width, height);
      if (reason) throw new ImageDecodeError(reason);
      return downscaleRowsToFit(width, height, maxSize);
    });
  } catch (error) {
    throw new ImageDecodeError(decodeFailureReason("jpeg", error), file);
  }
}

// predict's files and URLs (export/input.ts) go through this decoder too, as the dataset loader's do
registerBlobDecoder((blob, name) => decodeImageBlob(blob, name));
