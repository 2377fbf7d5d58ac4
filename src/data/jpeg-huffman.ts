/**
 * The entropy-coded side of a JPEG (ITU-T T.81 Annex C and F.2.2): Huffman tables built from a DHT
 * segment's code-length counts, and a bit reader over scan data that removes the stuffed zero after
 * each 0xFF byte and stops at the next marker.
 */

/** Code lengths resolved by one look-up of this many bits; longer codes are searched length by length. */
const FAST_BITS = 9;

/** A Huffman table: the symbols of a DHT segment with the canonical codes T.81 Annex C assigns them. */
export interface HuffmanTable {
  /** Indexed by the next FAST_BITS bits: (code length << 8) | symbol, or 0 when the code is longer. */
  fast: Uint16Array;
  /** [17]: the largest code of each length 1–16, -1 when the table has none of that length. */
  maxCode: Int32Array;
  /** [17]: for each length, what to add to a code of that length to get its index in `symbols`. */
  offset: Int32Array;
  /** The symbols in code order (shortest codes first), as the DHT segment lists them. */
  symbols: Uint8Array;
}

/**
 * The table whose `counts[i]` (i = 0..15) codes have length i + 1, given to `symbols` in that order.
 * `counts` and `symbols` are only read. Throws when the counts cannot be a prefix code.
 */
export function buildHuffmanTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable {
  const fast = new Uint16Array(1 << FAST_BITS);
  const maxCode = new Int32Array(17).fill(-1);
  const offset = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1]!;
    offset[length] = index - code;
    for (let i = 0; i < n; i++, code++, index++) {
      if (length <= FAST_BITS) {
        const spread = FAST_BITS - length;
        const entry = (length << 8) | symbols[index]!;
        fast.fill(entry, code << spread, (code + 1) << spread);
      }
    }
    if (n > 0) maxCode[length] = code - 1;
    if (code > 1 << length) throw new Error("a Huffman table in the file has more codes than its lengths allow");
    code <<= 1;
  }
  return { fast, maxCode, offset, symbols: symbols.slice(0, index) };
}

/**
 * Reads scan data bit by bit, most significant first, from `data` at `pos`. A 0xFF byte followed by 0x00
 * is one 0xFF data byte; 0xFF followed by anything else is a marker, where reading stops: from there (and
 * past the end of `data`) zero bytes are supplied and counted in `padded`, so the decoder can tell
 * (see {@link overrun}) whether it used bits the file does not have.
 */
export class EntropyReader {
  /** The buffered bits: the low `count` bits are the next ones, first bit highest. */
  private acc = 0;
  private count = 0;
  /** Zero bytes supplied after a marker or the end of the data. */
  private padded = 0;

  constructor(
    private readonly data: Uint8Array,
    /** The offset of the next byte to buffer. */
    public pos: number,
  ) {}

  /** Buffers bytes until more than 24 bits are held. */
  private fill(): void {
    const data = this.data;
    while (this.count <= 24) {
      let byte = 0;
      const pos = this.pos;
      if (pos < data.length) {
        byte = data[pos]!;
        if (byte !== 0xff) this.pos = pos + 1;
        else if (pos + 1 < data.length && data[pos + 1] === 0) this.pos = pos + 2;
        else {
          byte = 0;
          this.padded++;
        }
      } else this.padded++;
      this.acc = (this.acc << 8) | byte;
      this.count += 8;
    }
  }

  /** The next `n` bits (0–16) as an unsigned number. */
  bits(n: number): number {
    if (this.count < n) this.fill();
    this.count -= n;
    return (this.acc >>> this.count) & ((1 << n) - 1);
  }

  /** The next bit. */
  bit(): number {
    if (this.count === 0) this.fill();
    this.count--;
    return (this.acc >>> this.count) & 1;
  }

  /** The next `n` bits read as T.81's signed magnitude category `n` (F.2.2.1 EXTEND); 0 for n = 0. */
  receive(n: number): number {
    if (n === 0) return 0;
    const v = this.bits(n);
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }

  /** The next symbol coded with `table`. Throws when the bits match no code of the table. */
  symbol(table: HuffmanTable): number {
    if (this.count < 16) this.fill();
    const entry = table.fast[(this.acc >>> (this.count - FAST_BITS)) & ((1 << FAST_BITS) - 1)]!;
    if (entry !== 0) {
      this.count -= entry >> 8;
      return entry & 0xff;
    }
    for (let length = FAST_BITS + 1; length <= 16; length++) {
      const code = (this.acc >>> (this.count - length)) & ((1 << length) - 1);
      if (code <= table.maxCode[length]!) {
        this.count -= length;
        return table.symbols[code + table.offset[length]!]!;
      }
    }
    throw new Error("the image data holds a bit pattern that is no Huffman code of its table");
  }

  /** True when the decoder has used bits beyond the scan's data (it ended or hit a marker too soon). */
  overrun(): boolean {
    return this.padded * 8 > this.count;
  }

  /**
   * Moves past the restart marker (RST0–7) that ends a restart interval, dropping the bits left in the
   * buffer. Throws when another marker, or the end of the file, comes first.
   */
  restart(): void {
    const data = this.data;
    let pos = this.pos;
    for (; pos + 1 < data.length; pos++) {
      if (data[pos] !== 0xff) continue;
      const next = data[pos + 1]!;
      if (next >= 0xd0 && next <= 0xd7) break;
      if (next !== 0 && next !== 0xff) throw new Error("a restart marker is missing from the image data");
    }
    if (pos + 1 >= data.length) throw new Error("the JPEG ends before its image data does");
    this.pos = pos + 2;
    this.acc = 0;
    this.count = 0;
    this.padded = 0;
  }

  /**
   * The offset of the marker after the scan data (0xFF then neither 0x00 nor a restart code), or
   * data.length when there is none. Bits still buffered are dropped.
   */
  end(): number {
    const data = this.data;
    for (let pos = this.pos; pos + 1 < data.length; pos++) {
      if (data[pos] !== 0xff) continue;
      const next = data[pos + 1]!;
      if (next !== 0 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return pos;
    }
    return data.length;
  }
}
