/**
 * A decoded RGB image: `data` is row-major, 3 bytes per pixel (r, g, b), length `width * height * 3`.
 * The common currency of the data pipeline: drawn by the generator, produced by decoders, resized by
 * item transforms, stacked into tensors by batches.
 */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A black image of the given size. */
export function createImage(width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`invalid image size: ${width}×${height}; width and height must be positive integers`);
  }
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/**
 * Drops the alpha channel of RGBA bytes (`[w*h*4]` → `[w*h*3]`), compositing over `background`
 * (default white). `inPlace` writes the RGB bytes over the front of `rgba` (safe: each pixel is read
 * before it is overwritten) and returns a view of them, so a decoder need not hold a second copy of a
 * big photo; `rgba` then belongs to the result.
 */
export function rgbaToRgb(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  { background = 255, inPlace = false }: { background?: number; inPlace?: boolean } = {},
): RgbImage {
  const pixels = width * height;
  const out = inPlace && rgba instanceof Uint8Array ? rgba.subarray(0, pixels * 3) : createImage(width, height).data;
  for (let i = 0, j = 0; i < pixels * 4; i += 4, j += 3) {
    const a = rgba[i + 3]!;
    if (a === 255) {
      out[j] = rgba[i]!;
      out[j + 1] = rgba[i + 1]!;
      out[j + 2] = rgba[i + 2]!;
    } else {
      const alpha = a / 255;
      for (let c = 0; c < 3; c++) out[j + c] = Math.round(rgba[i + c]! * alpha + background * (1 - alpha));
    }
  }
  return { width, height, data: out };
}

/** Images placed left to right on one row (heights may differ: shorter ones sit at the top, over black). */
export function sideBySide(images: readonly RgbImage[]): RgbImage {
  if (images.length === 0) throw new Error("sideBySide: no images; give at least one");
  const out = createImage(images.reduce((w, im) => w + im.width, 0), Math.max(...images.map((im) => im.height)));
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < image.height; y++) {
      out.data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * out.width + left) * 3);
    }
    left += image.width;
  }
  return out;
}
