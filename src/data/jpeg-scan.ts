/**
 * Decoding one JPEG scan's entropy-coded data into quantised DCT coefficients (ITU-T T.81 F.2 for
 * sequential scans, G.1.2 for the four kinds of progressive scan), with restart intervals.
 */
import { ZIGZAG } from "./jpeg-idct.js";
import type { EntropyReader, HuffmanTable } from "./jpeg-huffman.js";

/** One colour component of a frame, with the coefficient store that scans fill. */
export interface Component {
  /** The component identifier the frame header gives it, which scans refer to. */
  id: number;
  /** Horizontal and vertical sampling factors (1–4); both 1 in a one-component frame. */
  h: number;
  v: number;
  /** Which quantisation table (0–3) its blocks use. */
  quantId: number;
  /** Blocks in a row and rows of blocks of the MCU grid (padded to whole MCUs). */
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Blocks in a row and rows of blocks that cover the component's own samples: what a one-component scan visits. */
  scanBlocksPerLine: number;
  scanBlocksPerColumn: number;
  /**
   * Rows of blocks `coefficients` holds: the whole component (blocksPerColumn), or one MCU row (v)
   * when rows are decoded, shown and forgotten as the scan goes.
   */
  rowsHeld: number;
  /**
   * Quantised coefficients, 64 per block in natural order, blocks row-major: block (row, col) starts at
   * ((row mod rowsHeld) · blocksPerLine + col) · 64.
   */
  coefficients: Int16Array;
  /** The DC prediction: the last DC value decoded in this scan's current restart interval. */
  pred: number;
  dcTable: HuffmanTable | undefined;
  acTable: HuffmanTable | undefined;
}

/** The scan header's spectral selection and successive approximation. */
export interface ScanParams {
  progressive: boolean;
  /** First and last zig-zag index of the coefficients the scan codes (0 and 63 in a sequential scan). */
  start: number;
  end: number;
  /** Successive approximation: the bit position of the previous pass (0 on a first pass) and of this one. */
  high: number;
  low: number;
}

/** A scan's frame geometry: its MCU grid. */
export interface ScanGrid {
  mcusPerLine: number;
  mcuRows: number;
}

const STOPS_EARLY = "the JPEG's image data stops before its last block (cut short or damaged)";
const TOO_MANY = "a block of the image data has more than 64 coefficients (corrupt data)";
const BAD_DC = "a DC difference in the image data is out of range (corrupt data)";

/**
 * Decodes the scan whose data `reader` is at, for `components` (in the scan header's order), into their
 * `coefficients`. `onRow(row)` is called after each MCU row (a row of blocks in a one-component scan) is
 * complete. `restartInterval` is in MCUs, 0 for none. Throws with a sentence on damaged data, including
 * data that stops (at a marker or the end of the file) before the scan's last block.
 */
export function decodeScan(
  reader: EntropyReader,
  components: Component[],
  grid: ScanGrid,
  params: ScanParams,
  restartInterval: number,
  onRow?: (row: number) => void,
): void {
  const { progressive, start, end, high, low } = params;
  let eobRun = 0; // blocks still to skip (first AC pass) or only to refine (later AC pass)

  const sequential = (c: Component, data: Int16Array, at: number) => {
    const size = reader.symbol(c.dcTable!);
    if (size > 16) throw new Error(BAD_DC);
    c.pred += reader.receive(size);
    data[at] = c.pred;
    const ac = c.acTable!;
    for (let k = 1; k < 64;) {
      const rs = reader.symbol(ac);
      const s = rs & 15;
      const run = rs >> 4;
      if (s === 0) {
        if (run !== 15) break; // end of block
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new Error(TOO_MANY);
      data[at + ZIGZAG[k]!] = reader.receive(s);
      k++;
    }
  };

  const dcFirst = (c: Component, data: Int16Array, at: number) => {
    const size = reader.symbol(c.dcTable!);
    if (size > 16) throw new Error(BAD_DC);
    c.pred += reader.receive(size);
    data[at] = c.pred * (1 << low);
  };

  const dcRefine = (_c: Component, data: Int16Array, at: number) => {
    if (reader.bit()) data[at]! |= 1 << low;
  };

  const acFirst = (c: Component, data: Int16Array, at: number) => {
    if (eobRun > 0) {
      eobRun--;
      return;
    }
    const ac = c.acTable!;
    for (let k = start; k <= end;) {
      const rs = reader.symbol(ac);
      const s = rs & 15;
      const run = rs >> 4;
      if (s === 0) {
        if (run < 15) {
          eobRun = (1 << run) - 1 + reader.bits(run); // this block ends the run's first block
          break;
        }
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new Error(TOO_MANY);
      data[at + ZIGZAG[k]!] = reader.receive(s) * (1 << low);
      k++;
    }
  };

  const plus = 1 << low;
  const minus = -1 << low;
  /** A correction bit for a coefficient already nonzero: adds one more bit of magnitude when set. */
  const refine = (data: Int16Array, z: number) => {
    if (reader.bit() && (data[z]! & plus) === 0) data[z]! += data[z]! >= 0 ? plus : minus;
  };

  const acRefine = (c: Component, data: Int16Array, at: number) => {
    let k = start;
    if (eobRun === 0) {
      const ac = c.acTable!;
      while (k <= end) {
        const rs = reader.symbol(ac);
        const s = rs & 15;
        let zeros = rs >> 4; // zero-history coefficients to pass before the new one
        let value = 0;
        if (s === 0) {
          if (zeros < 15) {
            eobRun = (1 << zeros) + reader.bits(zeros);
            break;
          }
        } else {
          value = reader.bit() ? plus : minus; // a new coefficient is always ±1 at this bit
        }
        for (; k <= end; k++) {
          const z = at + ZIGZAG[k]!;
          if (data[z] !== 0) refine(data, z);
          else if (zeros === 0) break;
          else zeros--;
        }
        if (value !== 0 && k <= end) data[at + ZIGZAG[k]!] = value;
        k++;
      }
    }
    if (eobRun > 0) {
      for (; k <= end; k++) {
        const z = at + ZIGZAG[k]!;
        if (data[z] !== 0) refine(data, z);
      }
      eobRun--;
    }
  };

  const block = !progressive
    ? sequential
    : start === 0
      ? high === 0
        ? dcFirst
        : dcRefine
      : high === 0
        ? acFirst
        : acRefine;

  let units = 0; // MCUs decoded, for restart intervals
  const nextUnit = () => {
    if (restartInterval > 0 && units > 0 && units % restartInterval === 0) {
      if (reader.overrun()) throw new Error(STOPS_EARLY);
      reader.restart();
      for (const c of components) c.pred = 0;
      eobRun = 0;
    }
    units++;
  };
  const rowDone = (row: number) => {
    if (reader.overrun()) throw new Error(STOPS_EARLY);
    onRow?.(row);
  };

  for (const c of components) c.pred = 0;
  if (components.length === 1) {
    // non-interleaved: one block per MCU, over the component's own blocks
    const c = components[0]!;
    const data = c.coefficients;
    for (let row = 0; row < c.scanBlocksPerColumn; row++) {
      const rowAt = (row % c.rowsHeld) * c.blocksPerLine * 64;
      for (let col = 0; col < c.scanBlocksPerLine; col++) {
        nextUnit();
        block(c, data, rowAt + col * 64);
      }
      rowDone(row);
    }
    return;
  }
  for (let mcuRow = 0; mcuRow < grid.mcuRows; mcuRow++) {
    for (let mcuCol = 0; mcuCol < grid.mcusPerLine; mcuCol++) {
      nextUnit();
      for (const c of components) {
        const data = c.coefficients;
        for (let j = 0; j < c.v; j++) {
          const at = (((mcuRow * c.v + j) % c.rowsHeld) * c.blocksPerLine + mcuCol * c.h) * 64;
          for (let i = 0; i < c.h; i++) block(c, data, at + i * 64);
        }
      }
    }
    rowDone(mcuRow);
  }
}
