import { code, F32, forLoop, I32, Locals, op, V128, wasmModule, type Bytes, type WasmFunction } from "./emit.js";
import { ELEMENTWISE, type ElementwiseKernels } from "./elementwise.js";

/**
 * The head trainer's two hot loops as WebAssembly SIMD, for any memory the caller gives them (offsets in
 * bytes, float32 row-major data, 16-byte alignment not required).
 */
export interface HeadKernels extends ElementwiseKernels {
  /**
   * C[m×n] = A·B with A's element (i, k) at a + 4(i·rowStride + k·kStride) (so A or Aᵀ), B [k×n] and
   * C [m×n] row-major. n must be a multiple of 4. Runs at tens of GFLOP/s: 4×8 register tiles.
   */
  gemm(a: number, b: number, c: number, m: number, k: number, n: number, rowStride: number, kStride: number): void;
  /**
   * fastai's Adam on `count` (a multiple of 4) floats: new averages to mOut and vOut, new weights to
   * pOut (`decay` = 1 − lr·wd, `step` = lr / (1 − mom^t), `debias2` = 1 − sqrMom^t), as GroupAdam
   * computes them; `momRest` and `sqrMomRest` are 1 − mom and 1 − sqrMom, rounded from doubles as tfjs's
   * scalars are. Returns the sum of the new weights (non-finite when any is).
   */
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    count: number,
    decay: number,
    mom: number,
    sqrMom: number,
    debias2: number,
    eps: number,
    step: number,
    momRest: number,
    sqrMomRest: number,
  ): number;
}

function gemm(): WasmFunction {
  const [a, b, c, m, k, n, rowStride, kStride] = [0, 1, 2, 3, 4, 5, 6, 7];
  const l = new Locals(8);
  const [i, j, kk, pb, rowBytes, kBytes, aRowBytes] = [
    l.add(I32),
    l.add(I32),
    l.add(I32),
    l.add(I32),
    l.add(I32),
    l.add(I32),
    l.add(I32),
  ];
  const pa = [0, 1, 2, 3].map(() => l.add(I32));
  const acc = [0, 1, 2, 3].map(() => [l.add(V128), l.add(V128)]);
  const bv = [l.add(V128), l.add(V128)];
  const av = l.add(V128);
  // an R-row × 4V-column tile of C at (i, j)
  const tile = (R: number, V: number): Bytes =>
    code(
      acc.slice(0, R).flatMap((row) => row.slice(0, V).map((x) => code(op.v128Zero, op.set(x)))),
      pa
        .slice(0, R)
        .map((p, r) =>
          code(op.get(i), op.i32(r), op.i32Add, op.get(aRowBytes), op.i32Mul, op.get(a), op.i32Add, op.set(p)),
        ),
      op.get(j),
      op.i32(4),
      op.i32Mul,
      op.get(b),
      op.i32Add,
      op.set(pb),
      op.get(k),
      op.set(kk),
      op.block,
      op.loop,
      op.get(kk),
      op.i32Eqz,
      op.brIf(1),
      bv.slice(0, V).map((x, v) => code(op.get(pb), op.v128Load(16 * v), op.set(x))),
      pa.slice(0, R).map((p, r) =>
        code(
          op.get(p),
          op.v128Load32Splat(),
          op.set(av),
          acc[r]!.slice(0, V).map((x, v) =>
            code(op.get(x), op.get(av), op.get(bv[v]!), op.f32x4Mul, op.f32x4Add, op.set(x)),
          ),
          op.get(p),
          op.get(kBytes),
          op.i32Add,
          op.set(p),
        ),
      ),
      op.get(pb),
      op.get(rowBytes),
      op.i32Add,
      op.set(pb),
      op.get(kk),
      op.i32(1),
      op.i32Sub,
      op.set(kk),
      op.br(0),
      op.end,
      op.end,
      acc
        .slice(0, R)
        .flatMap((row, r) =>
          row
            .slice(0, V)
            .map((x, v) =>
              code(
                op.get(i),
                op.i32(r),
                op.i32Add,
                op.get(n),
                op.i32Mul,
                op.get(j),
                op.i32Add,
                op.i32(4),
                op.i32Mul,
                op.get(c),
                op.i32Add,
                op.get(x),
                op.v128Store(16 * v),
              ),
            ),
        ),
    );
  // every column of the rows i..i+R: tiles 8 wide, then one 4 wide if n leaves it
  const columns = (R: number): Bytes =>
    code(
      op.i32(0),
      op.set(j),
      op.block,
      op.loop,
      op.get(j),
      op.i32(8),
      op.i32Add,
      op.get(n),
      op.i32GtU,
      op.brIf(1),
      tile(R, 2),
      op.get(j),
      op.i32(8),
      op.i32Add,
      op.set(j),
      op.br(0),
      op.end,
      op.end,
      op.block,
      op.get(j),
      op.get(n),
      op.i32GeU,
      op.brIf(0),
      tile(R, 1),
      op.end,
    );
  const body = code(
    op.get(n),
    op.i32(4),
    op.i32Mul,
    op.set(rowBytes),
    op.get(kStride),
    op.i32(4),
    op.i32Mul,
    op.set(kBytes),
    op.get(rowStride),
    op.i32(4),
    op.i32Mul,
    op.set(aRowBytes),
    op.i32(0),
    op.set(i),
    op.block,
    op.loop,
    op.get(i),
    op.i32(4),
    op.i32Add,
    op.get(m),
    op.i32GtU,
    op.brIf(1),
    columns(4),
    op.get(i),
    op.i32(4),
    op.i32Add,
    op.set(i),
    op.br(0),
    op.end,
    op.end,
    op.block,
    op.loop,
    op.get(i),
    op.get(m),
    op.i32GeU,
    op.brIf(1),
    columns(1),
    op.get(i),
    op.i32(1),
    op.i32Add,
    op.set(i),
    op.br(0),
    op.end,
    op.end,
  );
  return { name: "gemm", params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals: l.types, body };
}

function adam(): WasmFunction {
  const [p, g, m, v, pOut, mOut, vOut, count, decay, mom, sqrMom, debias2, eps, step, momRest, sqrMomRest] = Array.from(
    { length: 16 },
    (_, x) => x,
  );
  const l = new Locals(16);
  const [at, end] = [l.add(I32), l.add(I32)];
  const [gv, mv, vv, next, sum] = [l.add(V128), l.add(V128), l.add(V128), l.add(V128), l.add(V128)];
  const [decay4, mom4, mom14, sqr4, sqr14, debias4, eps4, step4] = [
    l.add(V128),
    l.add(V128),
    l.add(V128),
    l.add(V128),
    l.add(V128),
    l.add(V128),
    l.add(V128),
    l.add(V128),
  ];
  const splat = (from: Bytes, to: number) => code(from, op.f32x4Splat, op.set(to));
  const at4 = (base: number) => code(op.get(base), op.get(at), op.i32Add);
  const body = code(
    splat(op.get(decay), decay4),
    splat(op.get(mom), mom4),
    splat(op.get(momRest), mom14),
    splat(op.get(sqrMom), sqr4),
    splat(op.get(sqrMomRest), sqr14),
    splat(op.get(debias2), debias4),
    splat(op.get(eps), eps4),
    splat(op.get(step), step4),
    op.v128Zero,
    op.set(sum),
    op.get(count),
    op.i32(4),
    op.i32Mul,
    op.set(end),
    forLoop(
      at,
      op.i32(0),
      op.get(end),
      op.i32(16),
      code(
        at4(g),
        op.v128Load(),
        op.set(gv),
        // gradAvg = m·mom + g·(1 − mom)
        at4(mOut),
        at4(m),
        op.v128Load(),
        op.get(mom4),
        op.f32x4Mul,
        op.get(gv),
        op.get(mom14),
        op.f32x4Mul,
        op.f32x4Add,
        op.tee(mv),
        op.v128Store(),
        // sqrAvg = v·sqrMom + g²·(1 − sqrMom)
        at4(vOut),
        at4(v),
        op.v128Load(),
        op.get(sqr4),
        op.f32x4Mul,
        op.get(gv),
        op.get(gv),
        op.f32x4Mul,
        op.get(sqr14),
        op.f32x4Mul,
        op.f32x4Add,
        op.tee(vv),
        op.v128Store(),
        // p·decay − gradAvg / (√(sqrAvg / debias2) + eps) · step
        at4(pOut),
        at4(p),
        op.v128Load(),
        op.get(decay4),
        op.f32x4Mul,
        op.get(mv),
        op.get(vv),
        op.get(debias4),
        op.f32x4Div,
        op.f32x4Sqrt,
        op.get(eps4),
        op.f32x4Add,
        op.f32x4Div,
        op.get(step4),
        op.f32x4Mul,
        op.f32x4Sub,
        op.tee(next),
        op.v128Store(),
        op.get(sum),
        op.get(next),
        op.f32x4Add,
        op.set(sum),
      ),
    ),
    [0, 1, 2, 3].map((lane) => code(op.get(sum), op.f32x4ExtractLane(lane))),
    op.f32Add,
    op.f32Add,
    op.f32Add,
  );
  return {
    name: "adam",
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    results: [F32],
    locals: l.types,
    body,
  };
}

let compiled: WebAssembly.Module | null = null;

/** Whether this JavaScript engine runs WebAssembly SIMD (the kernels need it). */
export function wasmSimdSupported(): boolean {
  try {
    compiled ??= new WebAssembly.Module(
      wasmModule([gemm(), adam(), ...ELEMENTWISE.map((make) => make())], 1) as BufferSource,
    );
    return true;
  } catch {
    return false;
  }
}

/** The kernels, working on `memory` (at least one page). */
export function headKernels(memory: WebAssembly.Memory): HeadKernels {
  if (!wasmSimdSupported())
    throw new Error("this JavaScript engine has no WebAssembly SIMD; train the head with tfjs (wasmHead: false)");
  const { exports } = new WebAssembly.Instance(compiled!, { env: { memory } });
  return exports as unknown as HeadKernels;
}
