import type { ImageItem } from "./dataset.js";

/**
 * A short hex digest of items' files, labels and pixels (FNV-1a, 32 bits, in item order): equal
 * fingerprints mean the same images with the same labels, e.g. the page's decoded dataset and the
 * generator's output in Node. Not a cryptographic hash.
 */
export function fingerprint(items: readonly Pick<ImageItem, "file" | "label" | "image">[]): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  };
  for (const { file, label, image } of items) {
    for (const text of [file, label]) for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i) & 0xff);
    mix(image.width & 0xff);
    mix(image.height & 0xff);
    const data = image.data;
    for (let i = 0; i < data.length; i++) mix(data[i]!);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
