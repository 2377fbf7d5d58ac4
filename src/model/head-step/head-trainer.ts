import * as tf from "@tensorflow/tfjs";
import { headKernels, wasmSimdSupported, type HeadKernels } from "../../kernels/wasm/kernels.js";
import { chunks, SMALL, type GroupAdam, type StateBorrower } from "../../train/optimizer.js";
import type { HeadBlock } from "../head.js";
import { adamOnHost, columnSums, dropoutMask, softmaxCrossEntropy } from "./head-math.js";
import { headLayout, type HeadLayout } from "./head-layout.js";

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
 * layer's weights (the learner's WasmHeadStepper). It computes what tfjs's autodiff + `GroupAdam` compute,
 * with the same dropout masks (tfjs's `randomUniform`, same seeds): tests/model/head-step/ check it against
 * a hand-written tfjs reference of the same backward pass, and the learner's tests against the tfjs stepper.
 *
 * The tfjs variables stay the truth: a step loads any head weight or optimiser state whose tensor changed
 * since the trainer last wrote it (a restore, lrFind, a new optimiser), and a committed step writes every
 * one of them back, so nothing else in the learner knows this path exists — but for one thing. The hidden
 * kernel's Adam state (two of its size: megabytes for fastai's head) stays in wasm memory after a step
 * instead of being copied back every step: the optimizer lends it (`GroupAdam.lend`), and whoever reads the
 * optimizer's state through `stateFor` or `prepare` first has the trainer write it back (`GroupAdam.settle`
 * calls `giveBack`): the tfjs stepper after unfreezing, a test. So do a step with another optimizer (lrFind
 * swaps in its own) and `dispose()`, which the learner calls when it stops stepping in wasm. This is the
 * whole of that protocol; GroupAdam only keeps the borrower. Owns a WebAssembly memory (no tensors
 * between steps).
 */
export class HeadTrainer implements StateBorrower {
  private readonly kernels: HeadKernels;
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  /** Which tensor (dataId) each variable held when this trainer last read or wrote it. */
  private readonly seen = new Map<tf.Variable, object>();
  /** Host copies of every head variable but the hidden kernel, and of the optimiser state of its chunks. */
  private readonly host = new Map<tf.Variable, Float32Array>();
  /** Double-buffered hidden kernel and its Adam state in wasm memory (bytes); `bank` is the current one. */
  private layout: HeadLayout | null = null;
  private bank = 0;
  /** The optimizer whose hidden-kernel Adam state is newer here than in its tensors. */
  private lentBy: GroupAdam | null = null;
  /** The optimizer whose hidden-kernel Adam state is in wasm memory (another's must be read, not kept). */
  private stateOf: GroupAdam | null = null;

  /**
   * Whether the trainer can run `blocks` here: WebAssembly SIMD, two blocks, a hidden width divisible by 4
   * and a hidden kernel big enough to step alone in GroupAdam (it keeps that one's Adam state in wasm).
   */
  static supports(blocks: readonly HeadBlock[]): boolean {
    const kernel = blocks[0]?.kernel;
    return (
      blocks.length === 2 &&
      kernel !== undefined &&
      kernel.shape[1]! % 4 === 0 &&
      kernel.size >= SMALL &&
      wasmSimdSupported()
    );
  }

  constructor(private readonly blocks: readonly HeadBlock[]) {
    if (!HeadTrainer.supports(blocks))
      throw new Error(
        "the wasm head trainer needs WebAssembly SIMD and fastai's two-block head with a hidden width divisible by 4 and at least 4,096 hidden weights; train the head with tfjs",
      );
    this.kernels = headKernels(this.memory);
  }

  /**
   * Computes one step on pooled [n, d] (row-major) with class indices `labels` [n], without taking it.
   * Nothing changes until `commit()`.
   */
  prepare(
    pooled: Float32Array,
    labels: readonly number[],
    { lr, optimizer, noDecay, dropoutSeed, momentum, epsilon }: HeadTrainerStep,
  ): PreparedHeadStep {
    if (!(lr >= 0 && Number.isFinite(lr)))
      throw new Error(`invalid lr: ${lr}; use a non-negative learning rate, e.g. 2e-3`);
    const [first, second] = this.blocks as [HeadBlock, HeadBlock];
    const n = labels.length;
    const [d, hidden] = first.kernel.shape as [number, number];
    const classes = second.kernel.shape[1]!;
    const nPad = Math.ceil(n / 4) * 4;
    const { kernel, gradAvg, sqrAvg, grad, buffers: o } = this.ensureLayout(d, hidden, classes, n, nPad);
    const trained = [
      first.gamma,
      first.beta,
      first.kernel,
      first.bias,
      second.gamma,
      second.beta,
      second.kernel,
      second.bias,
    ];
    const groups = chunks(trained);
    this.load(
      [...trained, first.movingMean, first.movingVariance, second.movingMean, second.movingVariance],
      groups,
      optimizer,
    );
    const [cur, next] = [this.bank, 1 - this.bank];
    const f32 = new Float32Array(this.memory.buffer);
    const at = (bytes: number, length: number) => f32.subarray(bytes / 4, bytes / 4 + length);
    const h = (v: tf.Variable) => this.host.get(v)!;
    const k = this.kernels;
    at(o.x, n * d).set(pooled);
    for (const [v, bytes] of [
      [first.gamma, o.gamma1],
      [first.beta, o.beta1],
      [first.bias, o.bias1],
      [second.gamma, o.gamma2],
      [second.beta, o.beta2],
    ] as const)
      at(bytes, v.size).set(h(v));
    at(o.mask1, n * d).set(dropoutMask([n, d], first.rate, dropoutSeed));
    at(o.mask2, n * hidden).set(dropoutMask([n, hidden], second.rate, dropoutSeed + 1));

    // forward: batchnorm → dropout → dense + bias → relu → batchnorm → dropout (wasm), dense to the classes (host)
    k.bnForward(o.x, o.xhat1, o.a1, o.mask1, o.gamma1, o.beta1, o.stats1, n, d, 1 / n, epsilon);
    k.gemm(o.a1, kernel[cur]!, o.z, n, d, hidden, d, 1);
    k.biasRelu(o.z, o.bias1, n, hidden);
    k.bnForward(o.z, o.xhat2, o.a2, o.mask2, o.gamma2, o.beta2, o.stats2, n, hidden, 1 / n, epsilon);
    // the output layer with its columns padded to a multiple of 4 (zeros), so the wasm product takes it
    const cPad = Math.ceil(classes / 4) * 4;
    const [w2, b2] = [h(second.kernel), h(second.bias)];
    const [w2Pad, w2TPad] = [at(o.w2Pad, hidden * cPad).fill(0), at(o.w2TPad, cPad * hidden).fill(0)];
    for (let j = 0; j < hidden; j++)
      for (let c = 0; c < classes; c++) w2Pad[j * cPad + c] = w2TPad[c * hidden + j] = w2[j * classes + c]!;
    k.gemm(o.a2, o.w2Pad, o.logits, n, hidden, cPad, hidden, 1);
    const logitsPad = at(o.logits, n * cPad);
    const logits = new Float32Array(n * classes);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < classes; c++) logits[r * classes + c] = logitsPad[r * cPad + c]! + b2[c]!;
    const { loss, dLogits } = softmaxCrossEntropy(logits, labels, classes);

    // backward
    const grads = new Map<tf.Variable, Float32Array>();
    const dLogitsPad = at(o.dLogits, n * cPad).fill(0);
    for (let r = 0; r < n; r++) for (let c = 0; c < classes; c++) dLogitsPad[r * cPad + c] = dLogits[r * classes + c]!;
    k.gemm(o.a2, o.dLogits, o.dW2Pad, hidden, n, cPad, 1, hidden); // a2ᵀ·dLogits
    k.gemm(o.dLogits, o.w2TPad, o.dA2, n, cPad, hidden, cPad, 1); // dLogits·W2ᵀ
    const dW2Pad = at(o.dW2Pad, hidden * cPad);
    const dW2 = new Float32Array(hidden * classes);
    for (let j = 0; j < hidden; j++) for (let c = 0; c < classes; c++) dW2[j * classes + c] = dW2Pad[j * cPad + c]!;
    grads.set(second.kernel, dW2).set(second.bias, columnSums(dLogits, n, classes));
    k.bnBackward(o.dA2, o.mask2, o.xhat2, o.stats2, o.gamma2, o.dx2, o.dGamma2, o.dBeta2, n, hidden, 1 / n, 1);
    grads.set(second.gamma, at(o.dGamma2, hidden).slice()).set(second.beta, at(o.dBeta2, hidden).slice());
    at(o.dzT, hidden * nPad).fill(0);
    k.reluBackward(o.dx2, o.z, o.dz, o.dzT, n, hidden, nPad);
    k.gemm(o.a1, o.dz, grad, d, n, hidden, 1, d); // a1ᵀ·dz
    grads.set(first.bias, columnSums(at(o.dz, n * hidden), n, hidden));
    k.gemm(kernel[cur]!, o.dzT, o.da1T, d, hidden, nPad, hidden, 1); // (W·dzᵀ) = (dz·Wᵀ)ᵀ
    k.transpose(o.da1T, o.dA1, d, n, nPad, d);
    k.bnBackward(o.dA1, o.mask1, o.xhat1, o.stats1, o.gamma1, 0, o.dGamma1, o.dBeta1, n, d, 1 / n, 0);
    grads.set(first.gamma, at(o.dGamma1, d).slice()).set(first.beta, at(o.dBeta1, d).slice());
    // the moving statistics, from the batch's mean and variance
    const moved = (block: HeadBlock, stats: number, w: number) =>
      [block.movingMean, block.movingVariance].map((v, i) => {
        const [old, batch] = [h(v), at(stats + 4 * i * w, w)];
        return old.map((m, c) => m - (m - batch[c]!) * (1 - momentum));
      });
    const bn1 = moved(first, o.stats1, d);
    const bn2 = moved(second, o.stats2, hidden);

    // Adam, as GroupAdam: the hidden kernel in wasm, the other chunks on the host
    const steps = optimizer.stepCount + 1;
    const { mom, sqrMom, eps, wd } = optimizer;
    const debias1 = 1 - mom ** steps;
    const debias2 = 1 - sqrMom ** steps;
    const decayOf = (v: tf.Variable) => (wd === 0 || noDecay.has(v) ? 1 : 1 - lr * wd);
    let sum = this.kernels.adam(
      kernel[cur]!,
      grad,
      gradAvg[cur]!,
      sqrAvg[cur]!,
      kernel[next]!,
      gradAvg[next]!,
      sqrAvg[next]!,
      d * hidden,
      decayOf(first.kernel),
      mom,
      sqrMom,
      debias2,
      eps,
      lr / debias1,
      1 - mom,
      1 - sqrMom,
    );
    const updates: { variable: tf.Variable; value: Float32Array }[] = [];
    for (const chunk of groups.filter((c) => c[0] !== first.kernel)) {
      const state = optimizer.stateFor(chunk, { settle: false });
      const stepped = adamOnHost(
        chunk.map((v) => ({ value: h(v), grad: grads.get(v)!, decay: decayOf(v) })),
        h(state.gradAvg),
        h(state.sqrAvg),
        { lr, mom, sqrMom, eps, debias1, debias2 },
      );
      sum += stepped.sum;
      chunk.forEach((variable, i) => updates.push({ variable, value: stepped.values[i]! }));
      updates.push(
        { variable: state.gradAvg, value: stepped.gradAvg },
        { variable: state.sqrAvg, value: stepped.sqrAvg },
      );
    }
    for (const stats of [...bn1, ...bn2]) for (const x of stats) sum += x;
    return {
      loss,
      finite: Number.isFinite(loss) && Number.isFinite(sum),
      commit: () => {
        this.bank = next;
        updates.push(
          { variable: first.movingMean, value: bn1[0]! },
          { variable: first.movingVariance, value: bn1[1]! },
          { variable: second.movingMean, value: bn2[0]! },
          { variable: second.movingVariance, value: bn2[1]! },
        );
        for (const { variable, value } of updates) {
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
    this.lentBy = null;
    this.stateOf = null;
    this.seen.clear();
    this.host.clear();
    this.layout = null;
  }

  /** Reads every variable (and chunk state) whose tensor changed since this trainer last saw it. */
  private load(variables: readonly tf.Variable[], groups: readonly tf.Variable[][], optimizer: GroupAdam): void {
    if (this.lentBy !== null && this.lentBy !== optimizer) this.lentBy.settle();
    const [kernel] = [this.blocks[0]!.kernel];
    const kernelState = optimizer.stateFor([kernel], { settle: false });
    if (this.stateOf !== optimizer) {
      // the memory holds another optimizer's state (lrFind's, say): its tensors unchanged since this
      // trainer wrote them back does not make what is in memory theirs
      this.seen.delete(kernelState.gradAvg);
      this.seen.delete(kernelState.sqrAvg);
      this.stateOf = optimizer;
    }
    const states = groups
      .filter((c) => c[0] !== kernel)
      .flatMap((c) => Object.values(optimizer.stateFor(c, { settle: false })));
    const layout = this.layout!;
    const toWasm = new Map<tf.Variable, number>([
      [kernel, layout.kernel[this.bank]!],
      [kernelState.gradAvg, layout.gradAvg[this.bank]!],
      [kernelState.sqrAvg, layout.sqrAvg[this.bank]!],
    ]);
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

  /** The layout for a batch of n rows (see headLayout); grows the memory when it needs more. */
  private ensureLayout(d: number, hidden: number, classes: number, n: number, nPad: number): HeadLayout {
    const { layout, bytes } = headLayout(d, hidden, classes, n, nPad);
    const pages = Math.ceil(bytes / 65536) - this.memory.buffer.byteLength / 65536;
    if (pages > 0) this.memory.grow(pages);
    if (this.layout === null) this.seen.clear(); // nothing of the variables is in memory yet
    this.layout = layout;
    return layout;
  }
}
