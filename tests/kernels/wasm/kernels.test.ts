import { describe, expect, it } from "vitest";
import { headKernels, wasmSimdSupported } from "../../../src/kernels/wasm/kernels.js";
import { sleb, uleb } from "../../../src/kernels/wasm/emit.js";

const memory = new WebAssembly.Memory({ initial: 4 });
const k = headKernels(memory);
const f32 = () => new Float32Array(memory.buffer);
const put = (bytes: number, values: number[]) => f32().set(values, bytes / 4);
const get = (bytes: number, length: number) => Array.from(f32().subarray(bytes / 4, bytes / 4 + length));

describe("uleb(n) and sleb(n)", () => {
  it("encode LEB128 as the WebAssembly spec's examples", () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });
});

describe("headKernels(memory).gemm(a, b, c, m, k, n, rowStride, kStride)", () => {
  it("multiplies A [m×k] by B [k×n] for row and column counts that leave partial tiles (reference: plain loops)", () => {
    expect(wasmSimdSupported()).toBe(true);
    const [m, kk, n] = [7, 5, 12];
    const a = Array.from({ length: m * kk }, (_, i) => Math.sin(i));
    const b = Array.from({ length: kk * n }, (_, i) => Math.cos(0.7 * i));
    put(0, a);
    put(4096, b);
    k.gemm(0, 4096, 8192, m, kk, n, kk, 1);
    const got = get(8192, m * n);
    for (let r = 0; r < m; r++)
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let q = 0; q < kk; q++) s += a[r * kk + q]! * b[q * n + c]!;
        expect(got[r * n + c]).toBeCloseTo(s, 5);
      }
    // aᵀ·B' [5×4] with a's rows read as columns (row stride 1, k stride 5) and B' the first 28 of b as [7×4]
    k.gemm(0, 4096, 12288, kk, m, 4, 1, kk);
    const t = get(12288, kk * 4);
    for (let r = 0; r < kk; r++)
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let q = 0; q < m; q++) s += a[q * kk + r]! * b[q * 4 + c]!;
        expect(t[r * 4 + c]).toBeCloseTo(s, 5);
      }
  });
});

describe("headKernels(memory).adam(p, g, m, v, pOut, mOut, vOut, count, …)", () => {
  it("takes fastai's Adam step with decoupled decay and returns the sum of the new weights (hand-derived)", () => {
    put(0, [1, -2, 0.5, 3]);
    put(64, [0.5, 0.1, -0.2, 0]);
    put(128, [0, 0, 0, 0]);
    put(192, [0, 0, 0, 0]);
    const sum = k.adam(
      0,
      64,
      128,
      192,
      256,
      320,
      384,
      4,
      1 - 0.1 * 0.01,
      0.9,
      0.99,
      1 - 0.99,
      1e-5,
      0.1 / (1 - 0.9),
      1 - 0.9,
      1 - 0.99,
    );
    // first step: p·0.999 − lr · g/|g| (debiased averages are g and g²), and p·0.999 where g = 0
    const want = [
      1 * 0.999 - (0.1 * 0.5) / (0.5 + 1e-5),
      -2 * 0.999 - (0.1 * 0.1) / (0.1 + 1e-5),
      0.5 * 0.999 + (0.1 * 0.2) / (0.2 + 1e-5),
      3 * 0.999,
    ];
    get(256, 4).forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 5));
    get(320, 4).forEach((x, i) => expect(x).toBeCloseTo([0.05, 0.01, -0.02, 0][i]!, 8)); // 0.1·g
    expect(sum).toBeCloseTo(
      want.reduce((s, x) => s + x, 0),
      4,
    );
  });
});

describe("headKernels(memory).bnForward(…) and .bnBackward(…)", () => {
  it("normalise each column by the batch's mean and variance, and give dβ = Σ dy·mask (hand-derived)", () => {
    // x [2, 4]: columns (1, 3), (0, 0), (2, 6), (−1, 1)
    put(0, [1, 0, 2, -1, 3, 0, 6, 1]);
    put(64, [1, 1, 1, 1, 1, 1, 1, 0]); // mask
    put(96, [2, 2, 2, 2]); // gamma
    put(112, [1, 1, 1, 1]); // beta
    k.bnForward(0, 128, 160, 64, 96, 112, 192, 2, 4, 0.5, 0);
    expect(get(192, 8)).toEqual([2, 0, 4, 0, 1, 0, 4, 1]); // means, variances
    // x̂ = ±1 where the variance is not 0; out = 2x̂ + 1, masked
    const out = get(160, 8);
    [0, 2, 3, 4, 6, 7].forEach((i) => expect(out[i]).toBe([-1, 0, -1, -1, 3, 0, 3, 0][i]));
    put(240, [1, 2, 3, 4, 5, 6, 7, 8]); // dy
    k.bnBackward(240, 64, 128, 192, 96, 272, 304, 320, 2, 4, 0.5, 0);
    expect(get(320, 4)).toEqual([6, 8, 10, 4]); // dβ: column sums of dy·mask
  });
});

describe("headKernels(memory).transpose(src, dst, rows, cols, srcStride, dstStride)", () => {
  it("writes the transpose of a block of a wider array", () => {
    put(0, [1, 2, 3, 9, 4, 5, 6, 9]); // [2, 3] inside rows of 4
    k.transpose(0, 64, 2, 3, 4, 2);
    expect(get(64, 6)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
