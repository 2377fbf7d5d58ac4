import * as tf from "@tensorflow/tfjs";
import { headKernels, wasmSimdSupported, type HeadKernels } from "../kernels/wasm/kernels.js";
import { chunks, SMALL, type GroupAdam, type StateBorrower } from "../train/optimizer.js";
import type { HeadBlock } from "./head-step.js";
import { backwardBatchnorm, batchnorm, columnSums, dropoutMask, softmaxCrossEntropy } from "./head-math.js";

/** What one cached step needs besides the features: the rates and the optimiser (its hyper-parameters, state and step count). */
export interface HeadTrainerStep {
  /** The head group's learning rate. */
  lr: number;
  optimizer: GroupAdam;
  /** Variables the optimiser does not decay. */
  noDecay: ReadonlySet<tf.Variable>;
  dropoutSeed: number;
  /** Batchnorm momentum this step (tfjs convention). */
  momentum: number;
  epsilon: number;
}

/** A computed step: the loss, whether it and every new weight are finite, and `commit()` to take it. */
export interface PreparedHeadStep {
  loss: number;
  finite: boolean;
  commit(): void;
}

/**
 * fastai's two-block head (batchnorm → dropout → dense → relu → batchnorm → dropout → dense) trained on
 * pooled features in WebAssembly instead of tfjs: the frozen, cached epoch's whole step — forward,
 * backward and Adam — where tfjs on wasm spends most of a step on kernel calls and on repacking the hidden
 * layer's weights. It computes what `headGrads` + `GroupAdam` compute (tests/model/head-trainer.test.ts
 * checks the two agree) with the same dropout masks (tfjs's `randomUniform`, same seeds).
 *
 * The tfjs variables stay the truth: a step loads any head weight or optimiser state whose tensor changed
 * since the trainer last wrote it (a restore, lrFind, a new optimiser), and a committed step writes every
 * one of them back, so nothing else in the learner knows this path exists. Owns a WebAssembly memory
 * (no tensors between steps).
 */
export class HeadTrainer implements StateBorrower {
  private readonly kernels: HeadKernels;
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  /** Which tensor (dataId) each variable held when this trainer last read or wrote it. */
  private readonly seen = new Map<tf.Variable, object>();
  /** Host copies of every head variable but the hidden kernel, and of the optimiser state of its chunks. */
  private readonly host = new Map<tf.Variable, Float32Array>();
  /** Double-buffered hidden kernel and its Adam state in wasm memory (bytes); `bank` is the current one. */
  private layout: { kernel: number[]; gradAvg: number[]; sqrAvg: number[]; grad: number; scratch: number } | null = null;
  private bank = 0;
  /** The optimizer whose hidden-kernel Adam state is newer here than in its tensors. */
  private lentBy: GroupAdam | null = null;

  /**
   * Whether the trainer can run `blocks` here: WebAssembly SIMD, two blocks, a hidden width divisible by 4
   * and a hidden kernel big enough to step alone in GroupAdam (it keeps that one's Adam state in wasm).
   */
  static supports(blocks: readonly HeadBlock[]): boolean {
    const kernel = blocks[0]?.kernel;
    return blocks.length === 2 && kernel !== undefined && kernel.shape[1]! % 4 === 0 && kernel.size >= SMALL && wasmSimdSupported();
  }

  constructor(private readonly blocks: readonly HeadBlock[]) {
    if (!HeadTrainer.supports(blocks)) throw new Error("the wasm head trainer needs WebAssembly SIMD and fastai's two-block head with a hidden width divisible by 4 and at least 4,096 hidden weights; train the head with tfjs");
    this.kernels = headKernels(this.memory);
  }

  /**
   * Computes one step on pooled [n, d] (row-major) with class indices `labels` [n], without taking it.
   * Nothing changes until `commit()`.
   */
  prepare(pooled: Float32Array, labels: readonly number[], { lr, optimizer, noDecay, dropoutSeed, momentum, epsilon }: HeadTrainerStep): PreparedHeadStep {
    if (!(lr >= 0 && Number.isFinite(lr))) throw new Error(`invalid lr: ${lr}; use a non-negative learning rate, e.g. 2e-3`);
    const [first, second] = this.blocks as [HeadBlock, HeadBlock];
    const n = labels.length;
    const [d, hidden] = first.kernel.shape as [number, number];
    const classes = second.kernel.shape[1]!;
    const nPad = Math.ceil(n / 4) * 4;
    const { kernel, gradAvg, sqrAvg, grad, scratch } = this.ensureLayout(d, hidden, n, nPad);
    const trained = [first.gamma, first.beta, first.kernel, first.bias, second.gamma, second.beta, second.kernel, second.bias];
    const groups = chunks(trained);
    this.load([...trained, first.movingMean, first.movingVariance, second.movingMean, second.movingVariance], groups, optimizer);
    const [cur, next] = [this.bank, 1 - this.bank];
    const f32 = new Float32Array(this.memory.buffer);
    const at = (bytes: number, length: number) => f32.subarray(bytes / 4, bytes / 4 + length);
    const [a1At, zAt, dzAt, dzTAt, da1TAt] = [scratch, scratch + 4 * n * d, scratch + 4 * n * (d + hidden), scratch + 4 * n * (d + 2 * hidden), scratch + 4 * (n * (d + 2 * hidden) + hidden * nPad)];
    const h = (v: tf.Variable) => this.host.get(v)!;

    // forward: batchnorm → dropout → dense + bias → relu, on the features
    const masks = [0, 1].map((i) => dropoutMask([n, i === 0 ? d : hidden], this.blocks[i]!.rate, dropoutSeed + i));
    const bn1 = batchnorm(pooled, n, d, h(first.gamma), h(first.beta), h(first.movingMean), h(first.movingVariance), momentum, epsilon);
    const a1 = at(a1At, n * d);
    for (let x = 0; x < n * d; x++) a1[x] = bn1.normed[x]! * masks[0]![x]!;
    this.kernels.gemm(a1At, kernel[cur]!, zAt, n, d, hidden, d, 1);
    const z = at(zAt, n * hidden);
    const b1 = h(first.bias);
    for (let r = 0; r < n; r++) for (let c = 0; c < hidden; c++) z[r * hidden + c] = Math.max(0, z[r * hidden + c]! + b1[c]!);
    // the second block on the host: batchnorm → dropout → dense to the classes
    const bn2 = batchnorm(z, n, hidden, h(second.gamma), h(second.beta), h(second.movingMean), h(second.movingVariance), momentum, epsilon);
    const a2 = bn2.normed.map((v, x) => v * masks[1]![x]!);
    const w2 = h(second.kernel);
    const logits = new Float32Array(n * classes);
    for (let r = 0; r < n; r++) for (let k = 0; k < classes; k++) {
      let s = h(second.bias)[k]!;
      for (let c = 0; c < hidden; c++) s += a2[r * hidden + c]! * w2[c * classes + k]!;
      logits[r * classes + k] = s;
    }
    const { loss, dLogits } = softmaxCrossEntropy(logits, labels, classes);

    // backward
    const grads = new Map<tf.Variable, Float32Array>();
    const dW2 = new Float32Array(hidden * classes);
    const dA2 = new Float32Array(n * hidden);
    for (let r = 0; r < n; r++) for (let c = 0; c < hidden; c++) {
      let s = 0;
      for (let k = 0; k < classes; k++) {
        const g = dLogits[r * classes + k]!;
        dW2[c * classes + k] += a2[r * hidden + c]! * g;
        s += g * w2[c * classes + k]!;
      }
      dA2[r * hidden + c] = s * masks[1]![r * hidden + c]!;
    }
    grads.set(second.kernel, dW2).set(second.bias, columnSums(dLogits, n, classes));
    const back2 = backwardBatchnorm(dA2, bn2, n, hidden, h(second.gamma));
    grads.set(second.gamma, back2.dGamma).set(second.beta, back2.dBeta);
    const dz = at(dzAt, n * hidden);
    const dzT = at(dzTAt, hidden * nPad).fill(0);
    for (let r = 0; r < n; r++) for (let c = 0; c < hidden; c++) {
      const g = z[r * hidden + c]! > 0 ? back2.dx![r * hidden + c]! : 0;
      dz[r * hidden + c] = g;
      dzT[c * nPad + r] = g;
    }
    this.kernels.gemm(a1At, dzAt, grad, d, n, hidden, 1, d); // a1ᵀ·dz
    grads.set(first.bias, columnSums(dz, n, hidden));
    this.kernels.gemm(kernel[cur]!, dzTAt, da1TAt, d, hidden, nPad, hidden, 1); // (W·dzᵀ) = (dz·Wᵀ)ᵀ
    const da1T = at(da1TAt, d * nPad);
    const dA1 = new Float32Array(n * d);
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) dA1[r * d + c] = da1T[c * nPad + r]! * masks[0]![r * d + c]!;
    const back1 = backwardBatchnorm(dA1, bn1, n, d, h(first.gamma), false);
    grads.set(first.gamma, back1.dGamma).set(first.beta, back1.dBeta);

    // Adam, as GroupAdam: the hidden kernel in wasm, the other chunks on the host
    const steps = optimizer.stepCount + 1;
    const { mom, sqrMom, eps, wd } = optimizer;
    const debias1 = 1 - mom ** steps;
    const debias2 = 1 - sqrMom ** steps;
    const decayOf = (v: tf.Variable) => (wd === 0 || noDecay.has(v) ? 1 : 1 - lr * wd);
    let sum = this.kernels.adam(kernel[cur]!, grad, gradAvg[cur]!, sqrAvg[cur]!, kernel[next]!, gradAvg[next]!, sqrAvg[next]!, d * hidden, decayOf(first.kernel), mom, sqrMom, debias2, eps, lr / debias1);
    const updates: { variable: tf.Variable; value: Float32Array }[] = [];
    const stateUpdates: { state: tf.Variable; value: Float32Array }[] = [];
    for (const chunk of groups.filter((c) => c[0] !== first.kernel)) {
      const state = optimizer.stateFor(chunk, { settle: false });
      const [m, v] = [h(state.gradAvg), h(state.sqrAvg)];
      const [m2, v2] = [new Float32Array(m.length), new Float32Array(v.length)];
      let offset = 0;
      for (const variable of chunk) {
        const [p, g, decay] = [h(variable), grads.get(variable)!, decayOf(variable)];
        const value = new Float32Array(p.length);
        for (let x = 0; x < p.length; x++, offset++) {
          m2[offset] = m[offset]! * mom + g[x]! * (1 - mom);
          v2[offset] = v[offset]! * sqrMom + g[x]! * g[x]! * (1 - sqrMom);
          value[x] = p[x]! * decay - (m2[offset]! / (Math.sqrt(v2[offset]! / debias2) + eps)) * (lr / debias1);
          sum += value[x]!;
        }
        updates.push({ variable, value });
      }
      stateUpdates.push({ state: state.gradAvg, value: m2 }, { state: state.sqrAvg, value: v2 });
    }
    for (const stats of [bn1, bn2]) for (const x of [...stats.movingMean, ...stats.movingVariance]) sum += x;
    return {
      loss,
      finite: Number.isFinite(loss) && Number.isFinite(sum),
      commit: () => {
        this.bank = next;
        updates.push(
          { variable: first.movingMean, value: bn1.movingMean }, { variable: first.movingVariance, value: bn1.movingVariance },
          { variable: second.movingMean, value: bn2.movingMean }, { variable: second.movingVariance, value: bn2.movingVariance },
        );
        for (const { variable, value } of [...updates, ...stateUpdates.map(({ state, value }) => ({ variable: state, value }))]) {
          this.host.set(variable, value);
          this.write(variable, value);
        }
        this.write(first.kernel, new Float32Array(this.memory.buffer, kernel[next]!, d * hidden));
        // the hidden kernel's Adam state (2 × its size) stays here until someone reads it
        optimizer.lend(this);
        this.lentBy = optimizer;
        optimizer.countStep();
      },
    };
  }

  /** Writes the hidden kernel's Adam state into `optimizer`'s tensors (GroupAdam.settle calls this). */
  giveBack(optimizer: GroupAdam): void {
    if (this.layout === null || this.lentBy !== optimizer) return;
    const { kernel } = this.blocks[0]!;
    const state = optimizer.stateFor([kernel], { settle: false });
    this.write(state.gradAvg, new Float32Array(this.memory.buffer, this.layout.gradAvg[this.bank]!, kernel.size));
    this.write(state.sqrAvg, new Float32Array(this.memory.buffer, this.layout.sqrAvg[this.bank]!, kernel.size));
    this.lentBy = null;
  }

  /** Writes back what it holds, then forgets what it had read. */
  dispose(): void {
    this.lentBy?.settle();
    this.seen.clear();
    this.host.clear();
    this.layout = null;
  }

  /** Reads every variable (and chunk state) whose tensor changed since this trainer last saw it. */
  private load(variables: readonly tf.Variable[], groups: readonly tf.Variable[][], optimizer: GroupAdam): void {
    if (this.lentBy !== null && this.lentBy !== optimizer) this.lentBy.settle();
    const [kernel] = [this.blocks[0]!.kernel];
    const kernelState = optimizer.stateFor([kernel], { settle: false });
    const states = groups.filter((c) => c[0] !== kernel).flatMap((c) => Object.values(optimizer.stateFor(c, { settle: false })));
    const layout = this.layout!;
    const toWasm = new Map<tf.Variable, number>([[kernel, layout.kernel[this.bank]!], [kernelState.gradAvg, layout.gradAvg[this.bank]!], [kernelState.sqrAvg, layout.sqrAvg[this.bank]!]]);
    for (const v of [...variables, ...states, kernelState.gradAvg, kernelState.sqrAvg]) {
      if (this.seen.get(v) === v.dataId) continue;
      const data = v.dataSync() as Float32Array;
      const bytes = toWasm.get(v);
      if (bytes === undefined) this.host.set(v, Float32Array.from(data));
      else new Float32Array(this.memory.buffer, bytes, data.length).set(data);
      this.seen.set(v, v.dataId);
    }
  }

  /** Puts a copy of `value` into `variable`, and remembers the tensor as what the trainer wrote. */
  private write(variable: tf.Variable, value: Float32Array): void {
    // the cpu backend keeps the array it is given; the others copy it
    const t = tf.tensor(tf.getBackend() === "cpu" ? value.slice() : value, variable.shape);
    variable.assign(t);
    t.dispose();
    this.seen.set(variable, variable.dataId);
  }

  /** Byte offsets for the hidden kernel's banks and a batch of n rows; grows the memory when they need more. */
  private ensureLayout(d: number, hidden: number, n: number, nPad: number): NonNullable<HeadTrainer["layout"]> {
    const size = 4 * d * hidden;
    const banks = (first: number) => [first, first + size];
    const layout = { kernel: banks(0), gradAvg: banks(2 * size), sqrAvg: banks(4 * size), grad: 6 * size, scratch: 7 * size };
    const bytes = layout.scratch + 4 * (n * (d + 2 * hidden) + hidden * nPad + d * nPad);
    const pages = Math.ceil(bytes / 65536) - this.memory.buffer.byteLength / 65536;
    if (pages > 0) this.memory.grow(pages);
    if (this.layout === null) this.seen.clear(); // nothing of the variables is in memory yet
    this.layout = layout;
    return layout;
  }
}
