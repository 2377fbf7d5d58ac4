// The `predict` suite: single-image predict latency after warm-up — decode-free (pixels in hand),
// resize, normalise, forward, read back — on Node wasm and cpu, plus batch throughput, export and load.
// The model is lesson 1's (course base, 64 px, fastai's head), exported and loaded back as a user would.
import { lessonPets } from "./pets.js";
import { loadLearner } from "../src/export/load.js";
import { visionLearner } from "../src/model/learner.js";
import { initNodeBackend } from "../src/node/backend.js";
import { loadBaseFrom } from "../src/node/base.js";
import type { BenchRow } from "./table.js";
import { latencies, time } from "./table.js";

export async function predictBenchmarks(): Promise<BenchRow[]> {
  const dls = lessonPets({ augment: false });
  const images = dls.valid.items.map((item) => item.image);
  const rows: BenchRow[] = [];
  for (const [backend, runs] of [
    ["wasm", 300],
    ["cpu", 60],
  ] as const) {
    const choice = await initNodeBackend({ task: "infer", order: [backend] });
    if (choice.backend !== backend) throw new Error(`bench: wanted ${backend}, got ${choice.backend}`);
    const learn = await visionLearner(dls, { base: await loadBaseFrom() });
    let zip: Uint8Array<ArrayBuffer> | undefined;
    const exportSeconds = await time(async () => (zip = await learn.exportZip()));
    learn.dispose();
    let loaded: Awaited<ReturnType<typeof loadLearner>> | undefined;
    const loadSeconds = await time(async () => (loaded = await loadLearner(new Blob([zip!]))));
    const { p50, p95 } = await latencies((i) => loaded!.predict(images[i % images.length]!), { runs });
    const batchSeconds = await time(() => loaded!.predictBatch(images), { warmup: true });
    loaded!.dispose();
    const size = `${images[0]!.width} px image → ${dls.valid.size} px`;
    rows.push(
      {
        name: `predict one image, Node ${backend}: p50`,
        value: p50,
        unit: "ms",
        note: `${size}; ${runs} runs after 20 warm-up${backend === "wasm" ? "; goal < 15 ms" : ""}`,
      },
      { name: `predict one image, Node ${backend}: p95`, value: p95, unit: "ms" },
      { name: `predictBatch(${images.length}), Node ${backend}`, value: images.length / batchSeconds, unit: "img/s" },
      {
        name: `exportZip / loadLearner(zip), Node ${backend}`,
        value: exportSeconds * 1000,
        unit: "ms",
        note: `load ${(loadSeconds * 1000).toFixed(0)} ms; zip ${(zip!.byteLength / 1e6).toFixed(2)} MB`,
      },
    );
  }
  return rows;
}
