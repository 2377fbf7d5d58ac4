/**
 * Node image decoding: PNG with pngjs, JPEG with jpeg-js (pure JavaScript, so no native build and no
 * tfjs tensor), shrunk at decode time so a phone photo costs a few hundred KB once loaded.
 */
import jpeg from "jpeg-js";
import pngjs from "pngjs";
import { downscaleToFit, orientImage } from "../data/downscale.js";
import { rgbaToRgb, type RgbImage } from "../data/image.js";
import {
  ImageDecodeError,
  MAX_PIXELS,
  decodeFailureReason,
  imageBytesProblem,
  readImageHeader,
  sniffFormat,
  tooLargeProblem,
} from "../data/sniff.js";

/**
 * jpeg-js's cap on what one decode may allocate, in MB, by its own count: 15 bytes a pixel for a 4:4:4
 * JPEG (coefficients at 4 bytes a sample, then the RGB result), so 360 MB for 6000×4000 (its default
 * cap is 512) and 1.5 GB at MAX_PIXELS. Real peak memory is higher than its count; why this cap:
 * docs/data.md.
 */
const JPEG_MEMORY_MB = 2048;

function decodePng(bytes: Uint8Array): RgbImage {
  // pngjs expands palette, grayscale and 16-bit to 8-bit RGBA
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  return rgbaToRgb(rgba, png.width, png.height, { inPlace: true });
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  try {
    // colorTransform left to jpeg-js: YCbCr → RGB for 3 components, Adobe CMYK/YCCK → RGB for 4
    const decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: true,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: JPEG_MEMORY_MB,
    });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
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
}

/**
 * Decodes a PNG or JPEG file's bytes to RGB, shrunk so its shorter side is at most `maxSize`
 * (area averaging; aspect kept) and turned upright by its EXIF orientation, as a browser shows it.
 * Grayscale becomes (v, v, v); alpha is composited over white. The result owns its pixels; `bytes`
 * is only read. Throws {@link ImageDecodeError} whose message is the reason, e.g.
 * "empty file (0 bytes)", "unsupported format: GIF; convert it to PNG or JPEG",
 * "not an image (the bytes are not PNG or JPEG)", "corrupt or truncated JPEG: <decoder's words>",
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
  let decoded: RgbImage;
  try {
    decoded = format === "png" ? decodePng(bytes) : decodeJpeg(bytes);
  } catch (error) {
    throw fail(decodeFailureReason(format, error));
  }
  let image = downscaleToFit(decoded, maxSize);
  // not shrunk: copy out of the decoder's (possibly larger, RGBA-sized) buffer
  if (image === decoded) image = { ...decoded, data: decoded.data.slice() };
  return orientImage(image, header?.orientation ?? 1);
}
