/**
 * Child process of decode-memory.test.ts:
 * `node --single-threaded --import tsx tests/node/decode-peak.ts WARMUP FILE X,Y…`.
 * Decodes WARMUP (a small image of FILE's format, so the decoder's code is loaded and compiled before
 * measuring), reads FILE, notes the process's RSS, decodes FILE as the dataset loader does
 * (`decodeImage`, maxSize 256), and prints one JSON line: the result's size, the pixels at the X,Y
 * arguments, `baseline` (RSS in bytes just before decoding) and `peak` (the highest RSS in bytes while
 * decoding). On Linux the peak is /proc's VmHWM, reset to the baseline first; getrusage's maxRSS would
 * not do: Linux carries it over from the parent process through fork and exec.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { decodeImage } from "../../src/node/decode.js";

const [warmup, file, ...points] = process.argv.slice(2);
if (warmup === undefined || file === undefined) throw new Error("usage: decode-peak.ts WARMUP FILE [X,Y…]");
decodeImage(new Uint8Array(readFileSync(warmup)), warmup);
const bytes = new Uint8Array(readFileSync(file));
/** The process's highest RSS in bytes: VmHWM where /proc has it, else getrusage's (an overestimate). */
function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

try {
  writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the RSS now (Linux ≥ 4.0)
} catch {
  // then the peak may include an earlier one: an overestimate
}
const baseline = process.memoryUsage.rss();
const image = decodeImage(bytes, file);
const peak = peakRss();
const pixels = points.map((point) => {
  const [x, y] = point.split(",").map(Number) as [number, number];
  return Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
});
process.stdout.write(`${JSON.stringify({ width: image.width, height: image.height, pixels, baseline, peak })}\n`);
