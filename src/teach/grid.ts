/** A function of two variables sampled on a regular grid, laid out as Plot's dense rasters and contours read it. */
export interface Grid {
  /** The sampled rectangle: x from x1 to x2, y from y1 to y2. */
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  /** Cells across and down. */
  width: number;
  height: number;
  /** Row-major, `width × height`: `values[j * width + i]` is f at the centre of cell (i, j). */
  values: Float64Array;
}

/** The centre of cell `i` of `count` between `from` and `to`. */
export function cellCentre(from: number, to: number, count: number, i: number): number {
  return from + ((i + 0.5) * (to - from)) / count;
}

/** `f(x, y)` at the centre of each of `width × height` cells covering `x` and `y` (e.g. a loss surface over two weights). */
export function sampleGrid(
  f: (x: number, y: number) => number,
  {
    x: [x1, x2],
    y: [y1, y2],
    width,
    height = width,
  }: { x: readonly [number, number]; y: readonly [number, number]; width: number; height?: number },
): Grid {
  for (const [name, size] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`invalid ${name}: ${size}; use a whole number of cells ≥ 1`);
  }
  const values = new Float64Array(width * height);
  for (let j = 0; j < height; j++) {
    const y = cellCentre(y1, y2, height, j);
    for (let i = 0; i < width; i++) values[j * width + i] = f(cellCentre(x1, x2, width, i), y);
  }
  return { x1, x2, y1, y2, width, height, values };
}

/** `count` levels from `min` to `max`, each the same factor above the last (contours of a bowl-shaped loss). */
export function geometricLevels(min: number, max: number, count: number): number[] {
  if (!(min > 0 && max > min)) throw new Error(`invalid levels: min ${min}, max ${max}; use 0 < min < max`);
  if (!(Number.isInteger(count) && count >= 2)) throw new Error(`invalid count: ${count}; use a whole number ≥ 2`);
  const ratio = (max / min) ** (1 / (count - 1));
  return Array.from({ length: count }, (_, k) => min * ratio ** k);
}
