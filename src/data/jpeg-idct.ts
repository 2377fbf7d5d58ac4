/**
 * JPEG block maths (ITU-T T.81 A.3): the zig-zag order of coefficients and the 8×8 inverse DCT with
 * dequantisation and level shift, in double precision, each 1-D pass split into its even and odd
 * halves (6 + 16 multiplications instead of 64).
 */

/** ZIGZAG[k]: the natural (row-major, row = vertical frequency) index of the k-th coefficient in zig-zag order. */
export const ZIGZAG: Uint8Array = (() => {
  const order = new Uint8Array(64);
  let k = 0;
  for (let sum = 0; sum <= 14; sum++) {
    const low = Math.max(0, sum - 7);
    const high = Math.min(sum, 7);
    // odd diagonals run down-left (row rising), even ones up-right (row falling)
    for (let i = 0; i <= high - low; i++) {
      const row = sum % 2 === 1 ? low + i : high - i;
      order[k++] = row * 8 + (sum - row);
    }
  }
  return order;
})();

const C1 = Math.cos(Math.PI / 16);
const C2 = Math.cos((2 * Math.PI) / 16);
const C3 = Math.cos((3 * Math.PI) / 16);
const C4 = Math.cos((4 * Math.PI) / 16);
const C5 = Math.cos((5 * Math.PI) / 16);
const C6 = Math.cos((6 * Math.PI) / 16);
const C7 = Math.cos((7 * Math.PI) / 16);

/** The pass-1 results of one block: [64] doubles, row-major (row = output row y, column = frequency u). */
const pass = new Float64Array(64);

/**
 * Writes the 8×8 samples of one block: `coefficients[at..at+64)` (quantised, natural order) times
 * `quant` ([64], natural order, already multiplied by 1/4, the 2-D IDCT's scale), inverse-transformed,
 * plus 128, rounded and clamped to 0–255, into `out` at `outAt` with `stride` bytes between rows.
 * Only `out` is written.
 */
export function inverseDct(
  coefficients: Int16Array,
  at: number,
  quant: Float64Array,
  out: Uint8Array,
  outAt: number,
  stride: number,
): void {
  // columns: for each horizontal frequency u, the vertical 1-D IDCT over v gives pass[y][u]
  for (let u = 0; u < 8; u++) {
    const f0 = coefficients[at + u]! * quant[u]!;
    const f1 = coefficients[at + 8 + u]!;
    const f2 = coefficients[at + 16 + u]!;
    const f3 = coefficients[at + 24 + u]!;
    const f4 = coefficients[at + 32 + u]!;
    const f5 = coefficients[at + 40 + u]!;
    const f6 = coefficients[at + 48 + u]!;
    const f7 = coefficients[at + 56 + u]!;
    if ((f1 | f2 | f3 | f4 | f5 | f6 | f7) === 0) {
      const dc = f0 * C4;
      for (let y = 0; y < 8; y++) pass[y * 8 + u] = dc;
      continue;
    }
    const g1 = f1 * quant[8 + u]!;
    const g2 = f2 * quant[16 + u]!;
    const g3 = f3 * quant[24 + u]!;
    const g4 = f4 * quant[32 + u]!;
    const g5 = f5 * quant[40 + u]!;
    const g6 = f6 * quant[48 + u]!;
    const g7 = f7 * quant[56 + u]!;
    const a0 = (f0 + g4) * C4;
    const a1 = (f0 - g4) * C4;
    const b0 = g2 * C2 + g6 * C6;
    const b1 = g2 * C6 - g6 * C2;
    const e0 = a0 + b0;
    const e1 = a1 + b1;
    const e2 = a1 - b1;
    const e3 = a0 - b0;
    const o0 = g1 * C1 + g3 * C3 + g5 * C5 + g7 * C7;
    const o1 = g1 * C3 - g3 * C7 - g5 * C1 - g7 * C5;
    const o2 = g1 * C5 - g3 * C1 + g5 * C7 + g7 * C3;
    const o3 = g1 * C7 - g3 * C5 + g5 * C3 - g7 * C1;
    pass[u] = e0 + o0;
    pass[56 + u] = e0 - o0;
    pass[8 + u] = e1 + o1;
    pass[48 + u] = e1 - o1;
    pass[16 + u] = e2 + o2;
    pass[40 + u] = e2 - o2;
    pass[24 + u] = e3 + o3;
    pass[32 + u] = e3 - o3;
  }
  // rows: for each output row y, the horizontal 1-D IDCT over u gives the samples
  for (let y = 0; y < 8; y++) {
    const r = y * 8;
    const f0 = pass[r]!;
    const f1 = pass[r + 1]!;
    const f2 = pass[r + 2]!;
    const f3 = pass[r + 3]!;
    const f4 = pass[r + 4]!;
    const f5 = pass[r + 5]!;
    const f6 = pass[r + 6]!;
    const f7 = pass[r + 7]!;
    const o = outAt + y * stride;
    if (f1 === 0 && f2 === 0 && f3 === 0 && f4 === 0 && f5 === 0 && f6 === 0 && f7 === 0) {
      const v = sample(f0 * C4);
      for (let x = 0; x < 8; x++) out[o + x] = v;
      continue;
    }
    const a0 = (f0 + f4) * C4;
    const a1 = (f0 - f4) * C4;
    const b0 = f2 * C2 + f6 * C6;
    const b1 = f2 * C6 - f6 * C2;
    const e0 = a0 + b0;
    const e1 = a1 + b1;
    const e2 = a1 - b1;
    const e3 = a0 - b0;
    const o0 = f1 * C1 + f3 * C3 + f5 * C5 + f7 * C7;
    const o1 = f1 * C3 - f3 * C7 - f5 * C1 - f7 * C5;
    const o2 = f1 * C5 - f3 * C1 + f5 * C7 + f7 * C3;
    const o3 = f1 * C7 - f3 * C5 + f5 * C3 - f7 * C1;
    out[o] = sample(e0 + o0);
    out[o + 7] = sample(e0 - o0);
    out[o + 1] = sample(e1 + o1);
    out[o + 6] = sample(e1 - o1);
    out[o + 2] = sample(e2 + o2);
    out[o + 5] = sample(e2 - o2);
    out[o + 3] = sample(e3 + o3);
    out[o + 4] = sample(e3 - o3);
  }
}

/** A transformed value level-shifted by 128, rounded to the nearest integer and clamped to 0–255. */
function sample(value: number): number {
  const v = value + 128.5;
  return v <= 0 ? 0 : v >= 255 ? 255 : v | 0;
}
