import type { RgbImage } from "../data/image.js";

/** A canvas showing `image`, drawn `scale` times larger with crisp pixels. Browser only. */
export function imageCanvas(image: RgbImage, { scale = 1 }: { scale?: number } = {}): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.style.width = `${image.width * scale}px`;
  canvas.style.height = `${image.height * scale}px`;
  canvas.style.imageRendering = scale > 1 ? "pixelated" : "auto";
  const rgba = new ImageData(image.width, image.height);
  for (let i = 0, j = 0; i < image.width * image.height * 3; i += 3, j += 4) {
    rgba.data[j] = image.data[i]!;
    rgba.data[j + 1] = image.data[i + 1]!;
    rgba.data[j + 2] = image.data[i + 2]!;
    rgba.data[j + 3] = 255;
  }
  canvas.getContext("2d")!.putImageData(rgba, 0, 0);
  return canvas;
}

/** A captioned tile: the image above, the caption lines below. */
export function figure(image: RgbImage, caption: string[], { scale = 1 } = {}): HTMLElement {
  const element = document.createElement("figure");
  element.className = "dl-tile";
  element.append(imageCanvas(image, { scale }));
  const text = document.createElement("figcaption");
  for (const line of caption) {
    const div = document.createElement("div");
    div.textContent = line;
    text.append(div);
  }
  element.append(text);
  return element;
}

/** Tiles in a wrapping grid. */
export function grid(tiles: HTMLElement[], { className = "" } = {}): HTMLElement {
  const element = document.createElement("div");
  element.className = `dl-grid ${className}`.trim();
  element.style.display = "grid";
  element.style.gridTemplateColumns = "repeat(auto-fill, minmax(110px, 1fr))";
  element.style.gap = "0.75rem";
  element.append(...tiles);
  return element;
}
