import { code, F32, forLoop, I32, Locals, op, V128, type Bytes, type WasmFunction } from "./emit.js";

/**
 * The head trainer's row-wise kernels on [n, w] float32 row-major arrays (w a multiple of 4), four columns
 * at a time. Pointers are byte offsets into the memory.
 */
export interface ElementwiseKernels {
  /**
   * Batchnorm on batch statistics: stats [3w] gets the mean, the biased variance and 1/√(var + ε) per
   * column, xhat the normalised x, out (xhat·γ + β)·mask.
   */
  bnForward(
    x: number,
    xhat: number,
    out: number,
    mask: number,
    gamma: number,
    beta: number,
    stats: number,
    n: number,
    w: number,
    invN: number,
    eps: number,
  ): void;
  /**
   * Its backward pass from dy [n, w] (overwritten with dy·mask): dGamma and dBeta [w], and with `withDx` 1
   * dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)).
   */
  bnBackward(
    dy: number,
    mask: number,
    xhat: number,
    stats: number,
    gamma: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    n: number,
    w: number,
    invN: number,
    withDx: number,
  ): void;
  /** z ← max(z + bias, 0), bias [w]. */
  biasRelu(z: number, bias: number, n: number, w: number): void;
  /** dz ← dx where z > 0, else 0; and dzT [w, nPad] ← dzᵀ (columns past n untouched). */
  reluBackward(dx: number, z: number, dz: number, dzT: number, n: number, w: number, nPad: number): void;
  /** dst[c·dstStride + r] ← src[r·srcStride + c] for r < rows, c < cols. */
  transpose(src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number): void;
}

/** Loops over rows r (n) and column bytes cb (4w): `at` = row offset + cb, for `body`. */
function rows(l: { r: number; cb: number; at: number; rowBytes: number }, n: number, body: Bytes): Bytes {
  return forLoop(
    l.r,
    op.i32(0),
    op.get(n),
    op.i32(1),
    forLoop(
      l.cb,
      op.i32(0),
      op.get(l.rowBytes),
      op.i32(16),
      code(op.get(l.r), op.get(l.rowBytes), op.i32Mul, op.get(l.cb), op.i32Add, op.set(l.at), body),
    ),
  );
}

const load = (base: number, at: number): Bytes => code(op.get(base), op.get(at), op.i32Add, op.v128Load());
const addr = (base: number, at: number): Bytes => code(op.get(base), op.get(at), op.i32Add);

function locals(params: number) {
  const l = new Locals(params);
  return { l, r: l.add(I32), cb: l.add(I32), at: l.add(I32), rowBytes: l.add(I32) };
}

function bnForward(): WasmFunction {
  const [x, xhat, out, mask, gamma, beta, stats, n, w, invN, eps] = Array.from({ length: 11 }, (_, i) => i);
  const L = locals(11);
  const [mean, variance, inv] = [L.l.add(I32), L.l.add(I32), L.l.add(I32)];
  const [t, invN4, eps4] = [L.l.add(V128), L.l.add(V128), L.l.add(V128)];
  const columns = (body: Bytes) => forLoop(L.cb, op.i32(0), op.get(L.rowBytes), op.i32(16), body);
  const body = code(
    op.get(w),
    op.i32(4),
    op.i32Mul,
    op.set(L.rowBytes),
    op.get(stats),
    op.set(mean),
    op.get(stats),
    op.get(L.rowBytes),
    op.i32Add,
    op.set(variance),
    op.get(variance),
    op.get(L.rowBytes),
    op.i32Add,
    op.set(inv),
    op.get(invN),
    op.f32x4Splat,
    op.set(invN4),
    op.get(eps),
    op.f32x4Splat,
    op.set(eps4),
    columns(code(addr(mean, L.cb), op.v128Zero, op.v128Store(), addr(variance, L.cb), op.v128Zero, op.v128Store())),
    rows(L, n, code(addr(mean, L.cb), load(mean, L.cb), load(x, L.at), op.f32x4Add, op.v128Store())),
    columns(code(addr(mean, L.cb), load(mean, L.cb), op.get(invN4), op.f32x4Mul, op.v128Store())),
    rows(
      L,
      n,
      code(
        load(x, L.at),
        load(mean, L.cb),
        op.f32x4Sub,
        op.set(t),
        addr(xhat, L.at),
        op.get(t),
        op.v128Store(),
        addr(variance, L.cb),
        load(variance, L.cb),
        op.get(t),
        op.get(t),
        op.f32x4Mul,
        op.f32x4Add,
        op.v128Store(),
      ),
    ),
    columns(
      code(
        addr(variance, L.cb),
        load(variance, L.cb),
        op.get(invN4),
        op.f32x4Mul,
        op.tee(t),
        op.v128Store(),
        addr(inv, L.cb),
        op.f32(1),
        op.f32x4Splat,
        op.get(t),
        op.get(eps4),
        op.f32x4Add,
        op.f32x4Sqrt,
        op.f32x4Div,
        op.v128Store(),
      ),
    ),
    rows(
      L,
      n,
      code(
        addr(xhat, L.at),
        load(xhat, L.at),
        load(inv, L.cb),
        op.f32x4Mul,
        op.tee(t),
        op.v128Store(),
        addr(out, L.at),
        op.get(t),
        load(gamma, L.cb),
        op.f32x4Mul,
        load(beta, L.cb),
        op.f32x4Add,
        load(mask, L.at),
        op.f32x4Mul,
        op.v128Store(),
      ),
    ),
  );
  return {
    name: "bnForward",
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, F32],
    results: [],
    locals: L.l.types,
    body,
  };
}

function bnBackward(): WasmFunction {
  const [dy, mask, xhat, stats, gamma, dx, dGamma, dBeta, n, w, invN, withDx] = Array.from({ length: 12 }, (_, i) => i);
  const L = locals(12);
  const inv = L.l.add(I32);
  const [t, invN4] = [L.l.add(V128), L.l.add(V128)];
  const body = code(
    op.get(w),
    op.i32(4),
    op.i32Mul,
    op.set(L.rowBytes),
    op.get(stats),
    op.get(L.rowBytes),
    op.i32(2),
    op.i32Mul,
    op.i32Add,
    op.set(inv),
    op.get(invN),
    op.f32x4Splat,
    op.set(invN4),
    forLoop(
      L.cb,
      op.i32(0),
      op.get(L.rowBytes),
      op.i32(16),
      code(addr(dGamma, L.cb), op.v128Zero, op.v128Store(), addr(dBeta, L.cb), op.v128Zero, op.v128Store()),
    ),
    rows(
      L,
      n,
      code(
        load(dy, L.at),
        load(mask, L.at),
        op.f32x4Mul,
        op.set(t),
        addr(dy, L.at),
        op.get(t),
        op.v128Store(),
        addr(dBeta, L.cb),
        load(dBeta, L.cb),
        op.get(t),
        op.f32x4Add,
        op.v128Store(),
        addr(dGamma, L.cb),
        load(dGamma, L.cb),
        op.get(t),
        load(xhat, L.at),
        op.f32x4Mul,
        op.f32x4Add,
        op.v128Store(),
      ),
    ),
    op.block,
    op.get(withDx),
    op.i32Eqz,
    op.brIf(0),
    rows(
      L,
      n,
      code(
        addr(dx, L.at),
        load(inv, L.cb),
        load(gamma, L.cb),
        op.f32x4Mul,
        load(dy, L.at),
        load(dBeta, L.cb),
        op.get(invN4),
        op.f32x4Mul,
        op.f32x4Sub,
        load(xhat, L.at),
        load(dGamma, L.cb),
        op.get(invN4),
        op.f32x4Mul,
        op.f32x4Mul,
        op.f32x4Sub,
        op.f32x4Mul,
        op.v128Store(),
      ),
    ),
    op.end,
  );
  return {
    name: "bnBackward",
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32],
    results: [],
    locals: L.l.types,
    body,
  };
}

function biasRelu(): WasmFunction {
  const [z, bias, n, w] = [0, 1, 2, 3];
  const L = locals(4);
  const body = code(
    op.get(w),
    op.i32(4),
    op.i32Mul,
    op.set(L.rowBytes),
    rows(
      L,
      n,
      code(addr(z, L.at), load(z, L.at), load(bias, L.cb), op.f32x4Add, op.v128Zero, op.f32x4Max, op.v128Store()),
    ),
  );
  return { name: "biasRelu", params: [I32, I32, I32, I32], results: [], locals: L.l.types, body };
}

function reluBackward(): WasmFunction {
  const [dx, z, dz, dzT, n, w, nPad] = [0, 1, 2, 3, 4, 5, 6];
  const L = locals(7);
  const [colBytes, to] = [L.l.add(I32), L.l.add(I32)];
  const t = L.l.add(V128);
  const body = code(
    op.get(w),
    op.i32(4),
    op.i32Mul,
    op.set(L.rowBytes),
    op.get(nPad),
    op.i32(4),
    op.i32Mul,
    op.set(colBytes),
    rows(
      L,
      n,
      code(
        load(dx, L.at),
        load(z, L.at),
        op.v128Zero,
        op.f32x4Gt,
        op.v128And,
        op.set(t),
        addr(dz, L.at),
        op.get(t),
        op.v128Store(),
        // dzT[c, r] for the four columns c = cb/4 … cb/4 + 3: dzT + cb·nPad + 4r, then one column further each
        op.get(dzT),
        op.get(L.cb),
        op.get(nPad),
        op.i32Mul,
        op.i32Add,
        op.get(L.r),
        op.i32(4),
        op.i32Mul,
        op.i32Add,
        op.set(to),
        [0, 1, 2, 3].map((lane) =>
          code(
            op.get(to),
            op.get(colBytes),
            op.i32(lane),
            op.i32Mul,
            op.i32Add,
            op.get(t),
            op.f32x4ExtractLane(lane),
            op.f32Store(),
          ),
        ),
      ),
    ),
  );
  return { name: "reluBackward", params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: L.l.types, body };
}

function transpose(): WasmFunction {
  const [src, dst, nRows, nCols, srcStride, dstStride] = [0, 1, 2, 3, 4, 5];
  const l = new Locals(6);
  const [r, c] = [l.add(I32), l.add(I32)];
  const body = forLoop(
    r,
    op.i32(0),
    op.get(nRows),
    op.i32(1),
    forLoop(
      c,
      op.i32(0),
      op.get(nCols),
      op.i32(1),
      code(
        op.get(c),
        op.get(dstStride),
        op.i32Mul,
        op.get(r),
        op.i32Add,
        op.i32(4),
        op.i32Mul,
        op.get(dst),
        op.i32Add,
        op.get(r),
        op.get(srcStride),
        op.i32Mul,
        op.get(c),
        op.i32Add,
        op.i32(4),
        op.i32Mul,
        op.get(src),
        op.i32Add,
        op.f32Load(),
        op.f32Store(),
      ),
    ),
  );
  return { name: "transpose", params: [I32, I32, I32, I32, I32, I32], results: [], locals: l.types, body };
}

export const ELEMENTWISE: readonly (() => WasmFunction)[] = [bnForward, bnBackward, biasRelu, reluBackward, transpose];
