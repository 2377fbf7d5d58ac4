/**
 * A JPEG decoder that hands the image out one RGB row at a time, top to bottom, written from ITU-T T.81
 * (Huffman-coded baseline, extended sequential and progressive DCT, 8-bit samples) and the JFIF and
 * Adobe APP14 conventions for colour.
 *
 * A sequential JPEG whose first scan holds every component (nearly all of them) is shown as it is
 * decoded: each MCU row's blocks are transformed and its pixel rows pushed before the next MCU row is
 * read, so memory is one MCU row of coefficients and samples per component. A progressive JPEG (or a
 * sequential one with a scan per component) needs every scan before any pixel is final: its quantised
 * coefficients are kept for the whole image (2 bytes a coefficient, 64 a block: 1.5 bytes a pixel for
 * 4:2:0, 3 for 4:4:4), then transformed and pushed one MCU row at a time.
 *
 * Chroma is upsampled by replication (each sample covers h_max/h × v_max/v pixels); YCbCr becomes RGB by
 * JFIF's equations. Refused: arithmetic coding, lossless and hierarchical JPEG (jpeg-js cannot decode
 * them either). Left to the caller (see {@link decodeJpegRows}): 12-bit samples, 2- and 4-component
 * (CMYK, YCCK) images and a height given only by a DNL marker.
 */
import type { RowSink } from "./downscale.js";
import type { RgbImage } from "./image.js";
import { ImageDecodeError } from "./sniff.js";
import { EntropyReader, buildHuffmanTable, type HuffmanTable } from "./jpeg-huffman.js";
import { ZIGZAG, inverseDct } from "./jpeg-idct.js";
import { decodeScan, type Component, type ScanParams } from "./jpeg-scan.js";

const ENDS_EARLY = "the JPEG ends before its image data does";

/** A component as the output stage sees it: the coefficient store plus its samples and column map. */
interface Plane extends Component {
  /** Dequantisation factors for its blocks: [64], natural order, times 1/4 (see inverseDct). */
  quant: Float64Array | undefined;
  /** One MCU row of samples: `stride` (= blocksPerLine · 8) bytes a line, v · 8 lines. */
  samples: Uint8Array;
  stride: number;
  /** [image width]: the sample column of each pixel column. */
  columns: Int32Array;
}

interface Frame {
  width: number;
  height: number;
  progressive: boolean;
  planes: Plane[];
  hMax: number;
  vMax: number;
  mcusPerLine: number;
  mcuRows: number;
  /** How the components make RGB: one gray component, JFIF YCbCr, or RGB as stored. */
  colour: "gray" | "ycc" | "rgb";
  /** Where the pixel rows go, once the caller has made it for the frame's size. */
  sink: RowSink | undefined;
  /** One pixel row, RGB: written through the clamped view (rounds, clamps), pushed as plain bytes. */
  row: Uint8ClampedArray;
  rowBytes: Uint8Array;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

/** The frame a SOF segment describes, or undefined for a kind this decoder leaves to another. */
function readFrame(data: Uint8Array, progressive: boolean, adobeTransform: number | undefined): Frame | undefined {
  if (data.length < 6) throw new Error("the JPEG's frame header (SOF) is cut short");
  const precision = data[0]!;
  const height = u16(data, 1);
  const width = u16(data, 3);
  const count = data[5]!;
  if (precision !== 8 || (count !== 1 && count !== 3) || height === 0) return undefined;
  if (width === 0) throw new Error("the JPEG's frame header gives a width of 0");
  if (data.length < 6 + 3 * count) throw new Error("the JPEG's frame header (SOF) is cut short");
  const specs = Array.from({ length: count }, (_, i) => ({
    id: data[6 + i * 3]!,
    h: count === 1 ? 1 : data[7 + i * 3]! >> 4,
    v: count === 1 ? 1 : data[7 + i * 3]! & 15,
    quantId: data[8 + i * 3]!,
  }));
  for (const { h, v, quantId } of specs) {
    if (h < 1 || h > 4 || v < 1 || v > 4) throw new Error("a component of the JPEG has sampling factors outside 1–4");
    if (quantId > 3) throw new Error("a component of the JPEG names a quantisation table beyond 0–3");
  }
  const hMax = Math.max(...specs.map((s) => s.h));
  const vMax = Math.max(...specs.map((s) => s.v));
  const mcusPerLine = Math.ceil(width / (8 * hMax));
  const mcuRows = Math.ceil(height / (8 * vMax));
  const planes = specs.map((spec): Plane => {
    const blocksPerLine = mcusPerLine * spec.h;
    const columns = new Int32Array(width);
    for (let x = 0; x < width; x++) columns[x] = Math.floor((x * spec.h) / hMax);
    return {
      ...spec,
      blocksPerLine,
      blocksPerColumn: mcuRows * spec.v,
      scanBlocksPerLine: Math.ceil(Math.ceil((width * spec.h) / hMax) / 8),
      scanBlocksPerColumn: Math.ceil(Math.ceil((height * spec.v) / vMax) / 8),
      rowsHeld: 0,
      coefficients: new Int16Array(0),
      pred: 0,
      dcTable: undefined,
      acTable: undefined,
      quant: undefined,
      samples: new Uint8Array(blocksPerLine * 8 * spec.v * 8),
      stride: blocksPerLine * 8,
      columns,
    };
  });
  let colour: Frame["colour"] = "gray";
  if (count === 3) {
    const rgbIds = specs[0]!.id === 0x52 && specs[1]!.id === 0x47 && specs[2]!.id === 0x42; // "R", "G", "B"
    colour = adobeTransform !== undefined ? (adobeTransform === 0 ? "rgb" : "ycc") : rgbIds ? "rgb" : "ycc";
  }
  const row = new Uint8ClampedArray(width * 3);
  const rowBytes = new Uint8Array(row.buffer);
  return {
    width,
    height,
    progressive,
    planes,
    hMax,
    vMax,
    mcusPerLine,
    mcuRows,
    colour,
    sink: undefined,
    row,
    rowBytes,
  };
}

/** Reads a DQT segment's tables into `tables` (natural order, times 1/4 for the IDCT). */
function readQuantTables(data: Uint8Array, tables: (Float64Array | undefined)[]): void {
  for (let i = 0; i < data.length;) {
    const wide = data[i]! >> 4; // 0: 8-bit entries, 1: 16-bit
    const id = data[i]! & 15;
    if (wide > 1 || id > 3) throw new Error("a quantisation table (DQT) of the JPEG is malformed");
    const size = 1 + 64 * (wide + 1);
    if (i + size > data.length) throw new Error("a quantisation table (DQT) of the JPEG is cut short");
    const table = new Float64Array(64);
    for (let k = 0; k < 64; k++) {
      const value = wide ? u16(data, i + 1 + 2 * k) : data[i + 1 + k]!;
      table[ZIGZAG[k]!] = value / 4;
    }
    tables[id] = table;
    i += size;
  }
}

/** Reads a DHT segment's tables into `dc` and `ac`. */
function readHuffmanTables(data: Uint8Array, dc: (HuffmanTable | undefined)[], ac: (HuffmanTable | undefined)[]) {
  for (let i = 0; i < data.length;) {
    const kind = data[i]! >> 4; // 0: DC, 1: AC
    const id = data[i]! & 15;
    if (kind > 1 || id > 3 || i + 17 > data.length) throw new Error("a Huffman table (DHT) of the JPEG is malformed");
    const counts = data.subarray(i + 1, i + 17);
    const total = counts.reduce((sum, n) => sum + n, 0);
    if (total > 256 || i + 17 + total > data.length) {
      throw new Error("a Huffman table (DHT) of the JPEG is malformed");
    }
    (kind === 0 ? dc : ac)[id] = buildHuffmanTable(counts, data.subarray(i + 17, i + 17 + total));
    i += 17 + total;
  }
}

/** Transforms MCU row `mcuRow`'s blocks into each plane's samples and pushes its pixel rows to the frame's sink as RGB. */
function showMcuRow(frame: Frame, mcuRow: number): void {
  const { planes, width, height, vMax, colour, sink, row: rgb, rowBytes } = frame;
  for (const p of planes) {
    const quant = p.quant ?? NO_QUANT;
    for (let j = 0; j < p.v; j++) {
      const rowAt = ((mcuRow * p.v + j) % p.rowsHeld) * p.blocksPerLine * 64;
      const outAt = j * 8 * p.stride;
      for (let col = 0; col < p.blocksPerLine; col++) {
        inverseDct(p.coefficients, rowAt + col * 64, quant, p.samples, outAt + col * 8, p.stride);
      }
    }
  }
  const lines = Math.min(vMax * 8, height - mcuRow * vMax * 8);
  const [a, b, c] = planes as [Plane, Plane | undefined, Plane | undefined];
  for (let y = 0; y < lines; y++) {
    const lineA = Math.floor((y * a.v) / vMax) * a.stride;
    if (colour === "gray") {
      const s = a.samples;
      const cols = a.columns;
      for (let x = 0, o = 0; x < width; x++, o += 3) {
        const v = s[lineA + cols[x]!]!;
        rgb[o] = v;
        rgb[o + 1] = v;
        rgb[o + 2] = v;
      }
    } else {
      const lineB = Math.floor((y * b!.v) / vMax) * b!.stride;
      const lineC = Math.floor((y * c!.v) / vMax) * c!.stride;
      const [sa, sb, sc] = [a.samples, b!.samples, c!.samples];
      const [ca, cb, cc] = [a.columns, b!.columns, c!.columns];
      if (colour === "rgb") {
        for (let x = 0, o = 0; x < width; x++, o += 3) {
          rgb[o] = sa[lineA + ca[x]!]!;
          rgb[o + 1] = sb[lineB + cb[x]!]!;
          rgb[o + 2] = sc[lineC + cc[x]!]!;
        }
      } else {
        // JFIF: R = Y + 1.402 Cr', G = Y − 0.344136 Cb' − 0.714136 Cr', B = Y + 1.772 Cb' (Cb' = Cb − 128, …)
        for (let x = 0, o = 0; x < width; x++, o += 3) {
          const luma = sa[lineA + ca[x]!]!;
          const cbOff = sb[lineB + cb[x]!]! - 128;
          const crOff = sc[lineC + cc[x]!]! - 128;
          rgb[o] = luma + 1.402 * crOff;
          rgb[o + 1] = luma - 0.344136 * cbOff - 0.714136 * crOff;
          rgb[o + 2] = luma + 1.772 * cbOff;
        }
      }
    }
    sink!.push(rowBytes);
  }
}

/**
 * The components a SOS segment names (in its order, their Huffman tables and quantisation set) and its
 * coefficient range. Throws when it names what the file does not have or asks for an impossible range.
 */
function readScan(
  data: Uint8Array,
  frame: Frame,
  dcTables: (HuffmanTable | undefined)[],
  acTables: (HuffmanTable | undefined)[],
  quantTables: (Float64Array | undefined)[],
): { planes: Plane[]; params: ScanParams } {
  const count = data[0] ?? 0;
  if (count < 1 || count > 4 || data.length < 4 + 2 * count) {
    throw new Error("a scan header (SOS) of the JPEG is malformed");
  }
  const { progressive } = frame;
  const start = data[1 + 2 * count]!;
  const end = progressive ? data[2 + 2 * count]! : 63;
  const high = progressive ? data[3 + 2 * count]! >> 4 : 0;
  const low = progressive ? data[3 + 2 * count]! & 15 : 0;
  if (progressive && (end > 63 || start > end || (start === 0) !== (end === 0) || (start > 0 && count > 1))) {
    throw new Error("a progressive scan of the JPEG has an invalid coefficient range");
  }
  const needDc = !progressive || (start === 0 && high === 0);
  const needAc = !progressive || start > 0;
  const planes = Array.from({ length: count }, (_, i) => {
    const p = frame.planes.find((p) => p.id === data[1 + 2 * i]);
    if (!p) throw new Error("a scan of the JPEG names a component its frame does not have");
    const dcId = data[2 + 2 * i]! >> 4;
    const acId = data[2 + 2 * i]! & 15;
    p.dcTable = dcTables[dcId];
    p.acTable = acTables[acId];
    if (needDc && !p.dcTable) throw new Error(`a scan uses DC Huffman table ${dcId}, which the JPEG does not define`);
    if (needAc && !p.acTable) throw new Error(`a scan uses AC Huffman table ${acId}, which the JPEG does not define`);
    p.quant ??= quantTables[p.quantId];
    if (!p.quant) throw new Error(`a component uses quantisation table ${p.quantId}, which the JPEG does not define`);
    return p;
  });
  return { planes, params: { progressive, start, end, high, low } };
}

/** The dequantisation of a component no scan reached: its coefficients stay 0, so its samples 128. */
const NO_QUANT = new Float64Array(64);

/**
 * Decodes JPEG `bytes` (only read) and pushes its RGB rows, 3 bytes a pixel, top to bottom, into the sink
 * that `rows(width, height)` returns once the frame header gives the size; returns that sink's image.
 * Gray becomes (v, v, v); three components are YCbCr unless an Adobe APP14 marker says otherwise
 * (transform 0: RGB) or, without one, their ids are "R", "G", "B".
 * Returns undefined, before calling `rows`, for a JPEG this decoder leaves to another (12-bit, not 1 or
 * 3 components, height 0 in the frame header). Throws {@link ImageDecodeError} "unsupported JPEG:
 * arithmetic coding (SOF9); re-save it as an ordinary JPEG or as PNG" (or lossless, hierarchical
 * coding), and for a damaged file an Error whose message says what is wrong with it, e.g.
 * "the JPEG ends before its image data does", "a scan uses AC Huffman table 1, which the JPEG does not
 * define", "the JPEG's image data stops before its last block (cut short or damaged)".
 */
export function decodeJpegRows(
  bytes: Uint8Array,
  rows: (width: number, height: number) => RowSink,
): RgbImage | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8)
    throw new Error("the file does not start with a JPEG's start-of-image marker");
  const quantTables: (Float64Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let restartInterval = 0;
  let adobeTransform: number | undefined;
  let frame: Frame | undefined;
  let streaming: boolean | undefined; // decided by the first scan
  let scans = 0;

  for (let pos = 2; ;) {
    if (pos + 2 > bytes.length) throw new Error(ENDS_EARLY);
    if (bytes[pos] !== 0xff) throw new Error(`the JPEG has data where a marker should be (byte ${pos})`);
    let marker = bytes[pos + 1]!;
    while (marker === 0xff && pos + 2 < bytes.length) marker = bytes[++pos + 1]!; // fill bytes
    pos += 2;
    if (marker === 0xd9) break; // end of image
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (pos + 2 > bytes.length) throw new Error(ENDS_EARLY);
    const length = u16(bytes, pos);
    if (length < 2) throw new Error(`a marker segment of the JPEG has an impossible length (${length})`);
    const end = pos + length;
    if (end > bytes.length) throw new Error(ENDS_EARLY);
    const data = bytes.subarray(pos + 2, end);
    pos = end;
    if (marker === 0xdb) readQuantTables(data, quantTables);
    else if (marker === 0xc4) readHuffmanTables(data, dcTables, acTables);
    else if (marker === 0xdd) restartInterval = data.length >= 2 ? u16(data, 0) : 0;
    else if (marker === 0xee) {
      const adobe = data.length >= 12 && String.fromCharCode(...data.subarray(0, 5)) === "Adobe";
      if (adobe) adobeTransform = data[11];
    } else if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      if (frame) throw new Error("the JPEG has more than one frame header (SOF)");
      frame = readFrame(data, marker === 0xc2, adobeTransform);
      if (frame === undefined) return undefined;
      frame.sink = rows(frame.width, frame.height);
    } else if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const kind = marker >= 0xc9 ? "arithmetic coding" : marker === 0xc3 ? "lossless coding" : "hierarchical coding";
      throw new ImageDecodeError(
        `unsupported JPEG: ${kind} (SOF${marker - 0xc0}); re-save it as an ordinary JPEG or as PNG`,
      );
    } else if (marker === 0xda) {
      if (!frame?.sink) throw new Error("the JPEG has image data (SOS) before its frame header (SOF)");
      const f = frame;
      const sink = frame.sink;
      const { planes, params } = readScan(data, f, dcTables, acTables, quantTables);
      if (streaming === undefined) {
        streaming = !f.progressive && planes.length === f.planes.length;
        for (const p of f.planes) {
          p.rowsHeld = streaming ? p.v : p.blocksPerColumn;
          p.coefficients = new Int16Array(p.blocksPerLine * p.rowsHeld * 64);
        }
      }
      const reader = new EntropyReader(bytes, pos);
      const show = streaming
        ? (mcuRow: number) => {
            showMcuRow(f, mcuRow);
            for (const p of f.planes) p.coefficients.fill(0);
          }
        : undefined;
      decodeScan(reader, planes, f, params, restartInterval, show);
      scans++;
      if (streaming) return sink.finish();
      pos = reader.end();
    }
    // other segments (APPn, COM, DNL, …) carry nothing the pixels need
  }
  if (!frame?.sink) throw new Error("the JPEG has no frame header (SOF)");
  if (scans === 0) throw new Error("the JPEG has no image data (no scan)");
  for (let mcuRow = 0; mcuRow < frame.mcuRows; mcuRow++) showMcuRow(frame, mcuRow);
  return frame.sink.finish();
}
