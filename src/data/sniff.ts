/**
 * What a file's bytes say it is: the format by its magic bytes, PNG/JPEG headers (size, EXIF
 * orientation), and the learner-readable reason a file cannot be loaded. Shared by the Node and
 * browser decoders and the loader so every source reports a bad file in the same words.
 * Universal: no Node or DOM APIs.
 */

export type ImageFormat = "png" | "jpeg" | "gif" | "webp" | "bmp" | "tiff" | "heic" | "avif" | "unknown";

/** How each format is written in messages. */
export const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = {
  png: "PNG",
  jpeg: "JPEG",
  gif: "GIF",
  webp: "WebP",
  bmp: "BMP",
  tiff: "TIFF",
  heic: "HEIC",
  avif: "AVIF",
  unknown: "unknown",
};

/** The most pixels a decoder will allocate for one image (a 12000 × 8333 photo), to refuse decompression bombs. */
export const MAX_PIXELS = 100_000_000;

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/**
 * The format named by the first bytes of a file (magic numbers), whatever its extension says.
 * Needs at most the first 64 bytes; "unknown" when nothing matches (text, HTML, truncated header).
 * "heic" covers HEIF/HEIC; "avif" is told apart by its `ftyp` brands.
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) return "gif";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === "BM") return "bmp";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp") {
    // ISO base media file: major brand at 8, then (after the minor version) compatible brands to the box end.
    const boxEnd = Math.min(bytes.length, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
    const brands = [ascii(bytes, 8, 12)];
    for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(ascii(bytes, i, i + 4));
    if (brands.includes("avif") || brands.includes("avis")) return "avif";
    const heif = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"];
    if (brands.some((b) => heif.includes(b))) return "heic";
  }
  return "unknown";
}

/**
 * An error whose message is already the learner-facing reason a file was skipped
 * ("corrupt or truncated PNG: …", "unsupported format: GIF; …"). Decoders throw it; the loader
 * reports its message as is.
 */
export class ImageDecodeError extends Error {
  override name = "ImageDecodeError";
  /** The file it is about, when the thrower knew it. */
  readonly file: string | undefined;
  constructor(reason: string, file?: string) {
    super(reason);
    this.file = file;
  }
}

/**
 * Why these bytes cannot be decoded as PNG or JPEG, or undefined when they look like one.
 * `size` is the file's byte length when `bytes` is only its head (a browser Blob's first bytes).
 * Reasons: "empty file (0 bytes)", "unsupported format: GIF; convert it to PNG or JPEG",
 * "not an image (the bytes are not PNG or JPEG)", and when `bytes` is the whole file, a cut-off PNG or
 * JPEG (see {@link endsEarly}): "corrupt or truncated JPEG: unexpected end of file".
 */
export function imageBytesProblem(bytes: Uint8Array, size = bytes.length): string | undefined {
  if (size === 0) return "empty file (0 bytes)";
  const format = sniffFormat(bytes);
  if (format === "png" || format === "jpeg") {
    return size === bytes.length && endsEarly(bytes) ? `corrupt or truncated ${FORMAT_NAMES[format]}: unexpected end of file` : undefined;
  }
  if (format === "unknown") return "not an image (the bytes are not PNG or JPEG)";
  return `unsupported format: ${FORMAT_NAMES[format]}; convert it to PNG or JPEG`;
}

/** The first line of a decoder's message, made plain and kept short. */
export function shortMessage(error: unknown): string {
  let message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
  // pngjs's words (sic) when the data stops before the image does
  if (/read requests waitn?i?n?g on finished stream/i.test(message)) message = "unexpected end of file";
  if (message.length > 100) message = `${message.slice(0, 99)}…`;
  return message || "unknown error";
}

/** The reason for a decoder's failure on a file sniffed as `format`: "corrupt or truncated PNG: <message>". */
export function decodeFailureReason(format: ImageFormat, error: unknown): string {
  if (error instanceof ImageDecodeError) return error.message;
  return `corrupt or truncated ${FORMAT_NAMES[format]}: ${shortMessage(error)}`;
}

/** The reason for refusing an image of this size, or undefined when it is within {@link MAX_PIXELS}. */
export function tooLargeProblem(width: number, height: number): string | undefined {
  if (width * height <= MAX_PIXELS) return undefined;
  const mp = (n: number) => `${Math.round(n / 1e6)} megapixels`;
  return `image too large: ${width}×${height} pixels (${mp(width * height)}, the limit is ${mp(MAX_PIXELS)}); shrink it first`;
}

/** Header facts read without decoding: stored size, and EXIF orientation (1–8, 1 = as stored). */
export interface ImageHeader {
  width: number;
  height: number;
  orientation: number;
}

function u16(bytes: Uint8Array, at: number, little = false): number {
  return little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
}

/** The unsigned 32-bit integer at `at`, big-endian (PNG, JPEG) unless `little` (TIFF in EXIF). */
export function u32(bytes: Uint8Array, at: number, little = false): number {
  return little
    ? (u16(bytes, at, true) | (u16(bytes, at + 2, true) << 16)) >>> 0
    : ((u16(bytes, at) << 16) | u16(bytes, at + 2)) >>> 0;
}

/** EXIF orientation from an APP1 payload ("Exif\0\0" + TIFF), 1 when absent or unreadable. */
function exifOrientation(app1: Uint8Array): number {
  if (app1.length < 14 || ascii(app1, 0, 6) !== "Exif\0\0") return 1;
  const tiff = app1.subarray(6);
  const little = tiff[0] === 0x49; // "II" little-endian, "MM" big-endian
  const ifd = u32(tiff, 4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = u16(tiff, ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    if (u16(tiff, entry, little) === 0x0112) {
      const value = u16(tiff, entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Walks a JPEG's marker segments up to its first scan, calling `visit(marker, data)` for each segment
 * with a length until it returns true. Returns "visited" (visit said stop), "scan" (the offset of the
 * first SOS marker follows as `scanAt`), "end" (the bytes ran out first) or "corrupt" (not a marker
 * where one must be).
 */
function walkJpeg(
  bytes: Uint8Array,
  visit: (marker: number, data: Uint8Array) => boolean | void,
): { result: "visited" | "scan" | "end" | "corrupt"; scanAt: number } {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return { result: "corrupt", scanAt: -1 };
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xda) return { result: "scan", scanAt: i };
    if (marker === 0xd9) return { result: "corrupt", scanAt: -1 }; // end of image before any scan
    const length = u16(bytes, i + 2);
    if (i + 2 + length > bytes.length) return { result: "end", scanAt: -1 };
    if (visit(marker, bytes.subarray(i + 4, i + 2 + length))) return { result: "visited", scanAt: -1 };
    i += 2 + length;
  }
  return { result: "end", scanAt: -1 };
}

/**
 * Size (and for JPEG the EXIF orientation) from a PNG's IHDR or a JPEG's SOF marker, without decoding;
 * undefined for other formats or an unreadable header.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const format = sniffFormat(bytes);
  if (format === "png") {
    if (bytes.length < 24 || ascii(bytes, 12, 16) !== "IHDR") return undefined;
    return { width: u32(bytes, 16), height: u32(bytes, 20), orientation: 1 };
  }
  if (format !== "jpeg") return undefined;
  let orientation = 1;
  let header: ImageHeader | undefined;
  walkJpeg(bytes, (marker, data) => {
    if (marker === 0xe1) orientation = exifOrientation(data);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && data.length >= 5) header = { width: u16(data, 3), height: u16(data, 1), orientation };
    return isFrame;
  });
  return header;
}

/**
 * True when a complete-looking PNG or JPEG file stops before its end marker: a PNG without its IEND
 * chunk, a JPEG without an end-of-image marker after its scan data (data after the marker is allowed).
 * False for other formats, and for damage that is not a cut, which the decoder judges.
 */
export function endsEarly(bytes: Uint8Array): boolean {
  const format = sniffFormat(bytes);
  if (format === "png") {
    for (let i = 8; i + 8 <= bytes.length; i += 12 + u32(bytes, i)) {
      if (ascii(bytes, i + 4, i + 8) === "IEND") return i + 12 > bytes.length; // its CRC must be there too
    }
    return true;
  }
  if (format !== "jpeg") return false;
  const { result, scanAt } = walkJpeg(bytes, () => false);
  if (result === "end") return true;
  if (result !== "scan") return false;
  // in scan data 0xFF is always followed by 0x00 or a restart marker, so FF D9 is the end marker
  for (let j = bytes.length - 2; j > scanAt; j--) if (bytes[j] === 0xff && bytes[j + 1] === 0xd9) return false;
  return true;
}
