/**
 * What `predict` accepts as an image, turned into the pipeline's RgbImage. Decoded pixels and tensors
 * work everywhere; files, URLs and page images need a browser (its decoder and canvas).
 */
import * as tf from "@tensorflow/tfjs";
import { rgbaToRgb, type RgbImage } from "../data/image.js";

/**
 * An image to predict on: decoded RGB pixels; a tensor [height, width, 3] of values 0–255 (what
 * `tf.browser.fromPixels` gives; not disposed); or, in a browser, an image file (Blob/File), the URL of
 * one, an `<img>`, an ImageBitmap, a canvas or ImageData.
 */
export type ImageInput =
  RgbImage | tf.Tensor3D | Blob | string | HTMLImageElement | ImageBitmap | HTMLCanvasElement | ImageData;

function isRgbImage(input: object): input is RgbImage {
  const { width, height, data } = input as Partial<RgbImage>;
  return (
    data instanceof Uint8Array &&
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    data.length === width! * height! * 3
  );
}

/** Bytes 0–255 of a tensor [h, w, 3] (rounded, clipped); the tensor is only read. */
async function tensorImage(tensor: tf.Tensor): Promise<RgbImage> {
  const [height, width, channels] = tensor.shape;
  if (tensor.rank !== 3 || channels !== 3) {
    throw new Error(
      `invalid image tensor: shape [${tensor.shape.join(", ")}]; give [height, width, 3] with values 0–255, as tf.browser.fromPixels(image) gives`,
    );
  }
  const data = Uint8Array.from(await tensor.data(), (v) => Math.min(255, Math.max(0, Math.round(v))));
  return { width: width!, height: height!, data };
}

/** Decodes an image file (its bytes as a Blob, named for messages) to RGB pixels. */
export type BlobDecoder = (blob: Blob, name: string) => Promise<RgbImage>;

let blobDecoder: BlobDecoder | undefined;

/**
 * Gives `toRgbImage` its decoder for files and URLs. The browser part registers the one its dataset
 * loader uses (src/browser/decode.ts, on import), so export/ never imports browser/.
 */
export function registerBlobDecoder(decode: BlobDecoder): void {
  blobDecoder = decode;
}

function decodeBlob(blob: Blob, name: string): Promise<RgbImage> {
  if (blobDecoder === undefined)
    throw new Error(
      `cannot decode ${name}: no image decoder is registered; import the browser entry (src/browser/index.ts) in a page`,
    );
  return blobDecoder(blob, name);
}

/** Why `what` cannot be decoded outside a browser, and how to do it in Node. */
function needsBrowser(what: string): Error {
  return new Error(
    `cannot read ${what} here: decoding it needs a browser (createImageBitmap); in Node decode the file first and pass the pixels: predict(decodeImage(bytes, file)) with decodeImage from the Node entry`,
  );
}

/**
 * `input` as RGB pixels, as a dataset would hold it: files go through the browser's decoder the
 * dataset loader uses; page images lose alpha over white, as decoded files do.
 */
export async function toRgbImage(input: ImageInput): Promise<RgbImage> {
  if (input instanceof tf.Tensor) return tensorImage(input);
  if (typeof input === "object" && isRgbImage(input)) return input;
  const browser = typeof createImageBitmap === "function";
  if (typeof input === "string") {
    if (!browser) throw needsBrowser(`the image at ${input}`);
    const response = await fetch(input);
    if (!response.ok) throw new Error(`could not fetch the image ${input}: HTTP ${response.status}; check the URL`);
    return decodeBlob(await response.blob(), input);
  }
  if (typeof Blob !== "undefined" && input instanceof Blob) {
    const name = (input as File).name ?? "the image";
    if (!browser) throw needsBrowser(name);
    return decodeBlob(input, name);
  }
  if (!browser) throw needsBrowser("this image");
  const rgba = tf.browser.fromPixels(input as Exclude<ImageInput, RgbImage | tf.Tensor3D | Blob | string>, 4);
  try {
    const [height, width] = rgba.shape;
    return rgbaToRgb(Uint8Array.from(await rgba.data()), width, height);
  } finally {
    rgba.dispose();
  }
}
