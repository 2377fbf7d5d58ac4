/**
 * Node image decoding in pure JavaScript (no native build, no tfjs tensor): a PNG (./png.ts) or JPEG
 * (src/data/jpeg.ts) is decoded row by row straight into the area downscaler, so it is never whole in memory at
 * full size. JPEGs that src/data/jpeg.ts leaves aside (CMYK/YCCK, 12-bit) are decoded whole by jpeg-js, then
 * shrunk (their memory: docs/data.md).
 */
import { downscaleRowsToFit, orientImage, type RowSink } from "../data/downscale.js";
import type { RgbImage } from "../data/image.js";
import jpeg from "jpeg-js";
import {
  ImageDecodeError,
  MAX_PIXELS,
  decodeFailureReason,
  imageBytesProblem,
  readImageHeader,
  sniffFormat,
  tooLargeProblem,
} from "../data/sniff.js";
import { decodeJpegRows } from "../data/jpeg.js";
import { decodePngRows } from "./png.js";

/**
 * jpeg-js's cap on what one decode may allocate, in MB, by its own count: 15 bytes a pixel for a 4:4:4
 * JPEG (coefficients at 4 bytes a sample, then the RGB result), so 360 MB for 6000×4000 (its default
 * cap is 512) and 1.5 GB at MAX_PIXELS. Real peak memory is higher than its count; why this cap:
 * docs/data.md.
 */
const JPEG_MEMORY_MB = 2048;

/** A JPEG decoded whole by jpeg-js, its rows then given to `rows` (the downscaler). */
function decodeJpegWhole(bytes: Uint8Array, rows: (width: number, height: number) => RowSink): RgbImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    // colorTransform left to jpeg-js: YCbCr → RGB for 3 components, Adobe CMYK/YCCK → RGB for 4
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: true,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: JPEG_MEMORY_MB,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/maxMemoryUsageInMB|maxResolutionInMP|allocate enough memory/.test(message)) {
      const header = readImageHeader(bytes);
      const size = header ? `${header.width}×${header.height} pixels ` : "";
      throw new ImageDecodeError(
        `image too large to decode: ${size}needs more than ${JPEG_MEMORY_MB} MB; shrink it first`,
      );
    }
    throw error;
  }
  const sink = rows(decoded.width, decoded.height);
  for (let y = 0; y < decoded.height; y++) sink.push(decoded.data, y * decoded.width * 3);
  return sink.finish();
}

/**
 * Decodes a PNG or JPEG file's bytes to RGB, shrunk so its shorter side is at most `maxSize`
 * (area averaging; aspect kept) and turned upright by its EXIF orientation, as a browser shows it.
 * Grayscale becomes (v, v, v); alpha is composited over white. The result owns its pixels; `bytes`
 * is only read. Memory while decoding, besides `bytes` and the result: for a PNG its inflated data up
 * to 32 MiB, beyond that a few rows (an interlaced PNG: the full-size RGB image, 3 bytes a pixel); for
 * a sequential JPEG one MCU row (a few rows of blocks); for a progressive one its coefficients, 2 bytes
 * a coefficient (1.5 bytes a pixel at 4:2:0, 3 at 4:4:4); for a CMYK/YCCK or 12-bit JPEG, what
 * jpeg-js allocates (its coefficients and the full-size RGB image).
 * Throws {@link ImageDecodeError} whose message is the reason, e.g.
 * "empty file (0 bytes)", "unsupported format: GIF; convert it to PNG or JPEG",
 * "not an image (the bytes are not PNG or JPEG)", "corrupt or truncated JPEG: <decoder's words>"
 * (e.g. "corrupt or truncated JPEG: the JPEG ends before its image data does"),
 * "unsupported JPEG: arithmetic coding (SOF9); re-save it as an ordinary JPEG or as PNG",
 * "image too large: …". `file` is only used to label the error (`error.file`).
 */
export function decodeImage(bytes: Uint8Array, file: string, { maxSize = 256 }: { maxSize?: number } = {}): RgbImage {
  const fail = (reason: string) => new ImageDecodeError(reason, file);
  const problem = imageBytesProblem(bytes);
  if (problem !== undefined) throw fail(problem);
  const format = sniffFormat(bytes);
  const header = readImageHeader(bytes);
  const tooLarge = header && tooLargeProblem(header.width, header.height);
  if (tooLarge) throw fail(tooLarge);
  let size = "";
  // the decoder gives the size it found (the header may lie): checked again, then rows go straight to the downscaler
  const rows = (width: number, height: number): RowSink => {
    size = `${width}×${height} pixels`;
    const reason = tooLargeProblem(width, height);
    if (reason) throw new ImageDecodeError(reason);
    return downscaleRowsToFit(width, height, maxSize);
  };
  let image: RgbImage;
  try {
    image =
      format === "png" ? decodePngRows(bytes, rows) : (decodeJpegRows(bytes, rows) ?? decodeJpegWhole(bytes, rows));
  } catch (error) {
    if (error instanceof RangeError && /allocation failed|Invalid typed array length/i.test(error.message)) {
      throw fail(`image too large to decode here: ${size || "its buffers"} did not fit in memory; shrink it first`);
    }
    throw fail(decodeFailureReason(format, error));
  }
  return orientImage(image, header?.orientation ?? 1);
}
