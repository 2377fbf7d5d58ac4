import * as tf from "@tensorflow/tfjs";
import { registerTrainingKernels, unregisterTrainingKernels } from "../src/kernels/register.js";
import { initNodeBackend } from "../src/node/backend.js";
import { forwardFlops, mobileNet } from "./models.js";
import type { BenchRow } from "./table.js";
import { time } from "./table.js";

const SIZE = 64;
/** One 2.6 GHz core, 8-wide AVX2 FMA = 16 flops/cycle × 2 units; wasm SIMD is 4 wide (128 bit). */
const PEAK_ONE_CORE_WASM_SIMD = 2.6e9 * 4 * 2 * 2;

/** Images per second of `model.trainOnBatch` with batch `batch`, after one warm-up step. */
async function trainSpeed(
  backend: "cpu" | "wasm",
  batch: number,
  repeats: number,
  stock: boolean,
): Promise<{ speed: number; flops: number }> {
  if (stock) unregisterTrainingKernels();
  else registerTrainingKernels();
  const choice = await initNodeBackend({ order: [backend], trainingKernels: !stock });
  if (choice.backend !== backend) throw new Error(`bench: wanted ${backend}, got ${choice.backend}`);
  const model = mobileNet({ size: SIZE });
  const x = tf.randomNormal([batch, SIZE, SIZE, 3], 0, 1, "float32", 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 2),
      "int32",
    ),
    2,
  );
  const seconds = await time(() => model.trainOnBatch(x, y), { repeats, warmup: true });
  const flops = forwardFlops(model);
  tf.dispose([x, y]);
  model.dispose();
  return { speed: batch / seconds, flops };
}

export async function trainBenchmarks(): Promise<BenchRow[]> {
  const stock = await trainSpeed("cpu", 4, 1, true);
  const cpu = await trainSpeed("cpu", 32, 2, false);
  const wasm = await trainSpeed("wasm", 32, 3, false);
  registerTrainingKernels();
  const gflops = (speed: number) => (3 * wasm.flops * speed) / 1e9;
  return [
    {
      name: `train step, base-like CNN ${SIZE}px: stock tfjs cpu (batch 4)`,
      value: stock.speed,
      unit: "img/s",
      note: `${gflops(stock.speed).toFixed(2)} GFLOP/s`,
    },
    {
      name: "train step: cpu + our kernels (batch 32)",
      value: cpu.speed,
      unit: "img/s",
      note: `${gflops(cpu.speed).toFixed(2)} GFLOP/s`,
    },
    {
      name: "train step: wasm + our kernels (batch 32)",
      value: wasm.speed,
      unit: "img/s",
      note: `${gflops(wasm.speed).toFixed(2)} GFLOP/s of ~${(PEAK_ONE_CORE_WASM_SIMD / 1e9).toFixed(0)} peak (1 core, 128-bit SIMD FMA)`,
    },
    { name: "wasm + kernels ÷ stock cpu", value: wasm.speed / stock.speed, unit: "×", note: "goal ≥ 50×" },
    { name: "cpu + kernels ÷ stock cpu", value: cpu.speed / stock.speed, unit: "×" },
    { name: "forward pass", value: wasm.flops / 1e6, unit: "MFLOP/img", note: "a training step ≈ 3× this" },
  ];
}
