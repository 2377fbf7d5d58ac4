/**
 * A tiny WebAssembly binary writer: enough of the format (one imported memory, functions with i32/f32/v128
 * locals, structured control flow, scalar and SIMD loads, stores and float arithmetic) to write the few
 * kernels the course needs without a compiler. Instructions are byte arrays; `code(...)` flattens them.
 */
export type Bytes = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

export interface WasmFunction {
  name: string;
  params: ValueType[];
  results: ValueType[];
  /** Types of the locals after the params (local i + params.length). */
  locals: ValueType[];
  body: Bytes;
}

/** Unsigned LEB128. */
export function uleb(n: number): Bytes {
  const out: Bytes = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32). */
export function sleb(n: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export function code(...parts: (Bytes | Bytes[])[]): Bytes {
  return parts.flat(2) as Bytes;
}

const simd = (opcode: number, ...immediates: Bytes): Bytes => [0xfd, ...uleb(opcode), ...immediates];
const memarg = (alignLog2: number, offset: number): Bytes => [...uleb(alignLog2), ...uleb(offset)];

/** Instructions, as the bytes they encode to. */
export const op = {
  get: (i: number): Bytes => [0x20, ...uleb(i)],
  set: (i: number): Bytes => [0x21, ...uleb(i)],
  tee: (i: number): Bytes => [0x22, ...uleb(i)],
  i32: (v: number): Bytes => [0x41, ...sleb(v)],
  f32: (v: number): Bytes => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  i32Eqz: [0x45],
  i32GeU: [0x4f],
  i32GtU: [0x4b],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  f32Load: (offset = 0): Bytes => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0): Bytes => [0x38, ...memarg(2, offset)],
  f32Add: [0x92],
  v128Load: (offset = 0): Bytes => simd(0x00, ...memarg(4, offset)),
  v128Store: (offset = 0): Bytes => simd(0x0b, ...memarg(4, offset)),
  v128Load32Splat: (offset = 0): Bytes => simd(0x09, ...memarg(2, offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number): Bytes => simd(0x1f, lane),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Max: simd(0xe9),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
};

/** `for (counter = from; counter < to; counter += step) body`, with `to` and `step` given as instructions. */
export function forLoop(counter: number, from: Bytes, to: Bytes, step: Bytes, body: Bytes): Bytes {
  return code(
    from,
    op.set(counter),
    op.block,
    op.loop,
    op.get(counter),
    to,
    op.i32GeU,
    op.brIf(1),
    body,
    op.get(counter),
    step,
    op.i32Add,
    op.set(counter),
    op.br(0),
    op.end,
    op.end,
  );
}

/** Hands out local indices after a function's params. */
export class Locals {
  readonly types: ValueType[] = [];
  constructor(private readonly params: number) {}
  add(type: ValueType): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

/** A module importing `env.memory` (at least `pages` 64 KiB pages) and exporting `functions` by name. */
export function wasmModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  const section = (id: number, content: Bytes): Bytes => [id, ...uleb(content.length), ...content];
  const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
  const name = (s: string): Bytes => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
  const types = section(
    1,
    vec(functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results])),
  );
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(pages)]]));
  const declared = section(3, vec(functions.map((_, i) => uleb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const bodies = section(
    10,
    vec(
      functions.map((f) => {
        const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, ...op.end];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...declared,
    ...exports,
    ...bodies,
  ]);
}
