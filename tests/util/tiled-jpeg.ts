// Big JPEGs for memory tests, made in no time by repeating a small one's coded units (used by
// tests/node/decode-memory.test.ts and the browser's memory test).

/**
 * A `width`×`height` JPEG whose every 16×16 tile is the image of `tile`: a one-MCU 16×16 4:2:0 JPEG,
 * baseline or progressive, with a restart marker after every MCU (so every MCU's, or in a one-component
 * scan every block's, coded data stands alone). Each scan's data is cut at its restart markers into one
 * piece per unit of the tile and the pieces repeated over the big image's units, restart markers
 * between; the tile's other segments are kept, its frame header given the new size. Written in two
 * passes (count, then copy) into one buffer.
 */
export function tiledJpeg(tile: Uint8Array, width: number, height: number): Uint8Array {
  let out: Uint8Array | undefined;
  let size = 0;
  const write = (bytes: ArrayLike<number>) => {
    if (out) out.set(bytes, size);
    size += bytes.length;
  };
  const u16 = (at: number) => (tile[at]! << 8) | tile[at + 1]!;
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1) out = new Uint8Array(size);
    size = 0;
    write([0xff, 0xd8]);
    let components: { id: number; h: number; v: number }[] = [];
    let pos = 2;
    while (tile[pos + 1] !== 0xd9) {
      const marker = tile[pos + 1]!;
      const end = pos + 2 + u16(pos + 2);
      const segment = tile.slice(pos, end);
      if (marker === 0xc0 || marker === 0xc2) {
        segment.set([height >> 8, height & 255, width >> 8, width & 255], 5);
        components = Array.from({ length: segment[9]! }, (_, i) => ({
          id: segment[10 + i * 3]!,
          h: segment[11 + i * 3]! >> 4,
          v: segment[11 + i * 3]! & 15,
        }));
      }
      write(segment);
      pos = end;
      if (marker !== 0xda) continue;
      // the scan's pieces, one per unit of the tile, up to the next marker other than RSTn
      const pieces: Uint8Array[] = [];
      let start = pos;
      for (; ; pos++) {
        if (tile[pos] !== 0xff || tile[pos + 1] === 0) continue;
        pieces.push(tile.subarray(start, pos));
        if (tile[pos + 1]! < 0xd0 || tile[pos + 1]! > 0xd7) break;
        start = pos + 2;
        pos++;
      }
      const hMax = Math.max(...components.map((c) => c.h));
      const vMax = Math.max(...components.map((c) => c.v));
      const units = (w: number, h: number): [number, number] => {
        if (segment[4] !== 1) return [Math.ceil(w / (8 * hMax)), Math.ceil(h / (8 * vMax))];
        const c = components.find((c) => c.id === segment[5])!;
        return [Math.ceil(Math.ceil((w * c.h) / hMax) / 8), Math.ceil(Math.ceil((h * c.v) / vMax) / 8)];
      };
      const [tileColumns, tileRows] = units(16, 16);
      if (pieces.length !== tileColumns * tileRows)
        throw new Error(
          `tiledJpeg: the tile's scan has ${pieces.length} pieces, not ${tileColumns * tileRows}: give a tile with a restart marker after every unit`,
        );
      const [columns, rows] = units(width, height);
      for (let n = 0; n < columns * rows; n++) {
        if (n > 0) write([0xff, 0xd0 + ((n - 1) & 7)]);
        write(pieces[(Math.floor(n / columns) % tileRows) * tileColumns + ((n % columns) % tileColumns)]!);
      }
    }
    write([0xff, 0xd9]);
  }
  return out!;
}
