import { describe, expect, it } from "vitest";
import { headLayout } from "../../../src/model/head-step/head-layout.js";

describe("headLayout(d, hidden, classes, n, nPad)", () => {
  it("gives every buffer its own 16-byte-aligned range after the kernel's banks, and the bytes it needs", () => {
    const [d, hidden, classes, n, nPad] = [512, 512, 3, 30, 32];
    const { layout, bytes } = headLayout(d, hidden, classes, n, nPad);
    const size = 4 * d * hidden;
    expect([...layout.kernel, ...layout.gradAvg, ...layout.sqrAvg, layout.grad]).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => i * size),
    );
    const starts = Object.values(layout.buffers).sort((a, b) => a - b);
    expect(starts[0]).toBe(7 * size);
    starts.forEach((s) => expect(s % 16).toBe(0));
    // sizes: the gap to the next buffer (or the end) covers each buffer's floats
    const floats: Record<string, number> = {
      x: n * d,
      dzT: hidden * nPad,
      da1T: d * nPad,
      logits: n * 4,
      stats1: 3 * d,
    };
    for (const [name, count] of Object.entries(floats)) {
      const start = layout.buffers[name]!;
      const next = Math.min(bytes, ...starts.filter((s) => s > start));
      expect(next - start).toBeGreaterThanOrEqual(4 * count);
    }
  });
});
