import * as tf from "@tensorflow/tfjs";

/** Variables that share a learning rate (fastai's parameter group: body layers, head…). */
export interface ParamGroup {
  variables: tf.Variable[];
  lr: number;
  /** Variables of the group that weight decay leaves alone (fastai's `wd_bn_bias=False`: batchnorm and bias parameters). */
  noDecay?: ReadonlySet<tf.Variable>;
}

export interface AdamOptions {
  /** Adam's beta1; one-cycle moves it (0.95 → 0.85 → 0.95). Default 0.9. */
  mom?: number;
  /** Adam's beta2. Default 0.99 (fastai's sqr_mom). */
  sqrMom?: number;
  /** Default 1e-5 (fastai). */
  eps?: number;
  /** Decoupled weight decay: p ← p · (1 − lr · wd) before the step, except a group's `noDecay`. Default 0.01 (fastai). */
  wd?: number;
}

/** An optimiser step computed but not yet taken; see GroupAdam.prepare. */
export interface PendingStep {
  check: tf.Scalar;
  apply(): void;
  discard(): void;
}

/**
 * fastai's Adam (decoupled weight decay, debiased averages) with one learning rate per parameter group
 * and hyper-parameters that can change every step (one-cycle). A group's small variables step together,
 * as one flat vector (see `chunks`): a dozen kernels for all of them instead of a dozen each, which on
 * wasm and WebGL is much of a head step's cost. Keeps two flat state tensors for each set of variables
 * that stepped together; `dispose()` frees them. Gradients passed to `step` stay the
 * caller's to dispose.
 */
export class GroupAdam {
  private readonly state = new Map<string, AdamState>();
  /** Decay masks of vectors that mix decayed and undecayed variables. */
  private readonly masks = new Map<string, tf.Tensor1D>();
  private steps = 0;
  /** Who holds newer values of some state than its tensors (see `lend`). */
  private borrower: StateBorrower | null = null;
  mom: number;
  sqrMom: number;
  eps: number;
  wd: number;

  constructor({ mom = 0.9, sqrMom = 0.99, eps = 1e-5, wd = 0.01 }: AdamOptions = {}) {
    this.mom = mom;
    this.sqrMom = sqrMom;
    this.eps = eps;
    this.wd = wd;
  }

  /** Updates every variable of `groups` that has a gradient in `grads` (keyed by variable name). */
  step(groups: readonly ParamGroup[], grads: tf.NamedTensorMap): void {
    const pending = this.prepare(groups, grads);
    pending.check.dispose();
    pending.apply();
  }

  /**
   * Computes the step `step` would take without taking it: `check` is a scalar that is finite exactly when
   * every new weight is (a non-finite gradient makes them non-finite too), for the caller to read before it
   * calls `apply()` (assigns the weights and the state, counts the step) or `discard()`. Either frees the
   * new values; `check` is the caller's to dispose.
   */
  prepare(groups: readonly ParamGroup[], grads: tf.NamedTensorMap): PendingStep {
    for (const { lr } of groups)
      if (!(lr >= 0 && Number.isFinite(lr)))
        throw new Error(`invalid lr: ${lr}; use a non-negative learning rate, e.g. 2e-3`);
    const steps = this.steps + 1;
    const { mom, sqrMom, eps, wd } = this;
    const debias1 = 1 - mom ** steps;
    const debias2 = 1 - sqrMom ** steps;
    const updates: {
      active: tf.Variable[];
      state: AdamState;
      gradAvg: tf.Tensor1D;
      sqrAvg: tf.Tensor1D;
      next: tf.Tensor1D;
    }[] = [];
    const check = tf.tidy(() => {
      const sums: tf.Scalar[] = [];
      for (const { variables, lr, noDecay } of groups) {
        for (const active of chunks(variables.filter((v) => grads[v.name] !== undefined))) {
          const state = this.stateFor(active);
          const decay = wd === 0 ? "none" : this.decayOf(active, noDecay);
          const g = flatten(active.map((v) => grads[v.name]!));
          const gradAvg = state.gradAvg.mul(mom).add(g.mul(1 - mom)) as tf.Tensor1D;
          const sqrAvg = state.sqrAvg.mul(sqrMom).add(g.square().mul(1 - sqrMom)) as tf.Tensor1D;
          const p = flatten(active);
          const decayed =
            decay === "none" ? p : decay === "all" ? p.mul(1 - lr * wd) : p.mul(decay.mul(-lr * wd).add(1));
          const next = decayed.sub(gradAvg.div(sqrAvg.div(debias2).sqrt().add(eps)).mul(lr / debias1)) as tf.Tensor1D;
          updates.push({ active, state, gradAvg: tf.keep(gradAvg), sqrAvg: tf.keep(sqrAvg), next: tf.keep(next) });
          sums.push(next.sum());
        }
      }
      return sums.length === 0 ? tf.scalar(0) : sums.length === 1 ? sums[0]! : (tf.addN(sums) as tf.Scalar);
    });
    const free = () => tf.dispose(updates.flatMap(({ gradAvg, sqrAvg, next }) => [gradAvg, sqrAvg, next]));
    return {
      check,
      apply: () => {
        tf.tidy(() => {
          for (const { active, state, gradAvg, sqrAvg, next } of updates) {
            state.gradAvg.assign(gradAvg);
            state.sqrAvg.assign(sqrAvg);
            const parts =
              active.length === 1
                ? [next]
                : tf.split(
                    next,
                    active.map((v) => v.size),
                  );
            active.forEach((v, i) => v.assign(parts[i]!.reshape(v.shape)));
          }
        });
        this.steps = steps;
        free();
      },
      discard: free,
    };
  }

  /** Steps taken (Adam's debiasing counts them). */
  get stepCount(): number {
    return this.steps;
  }

  /** Counts a step taken outside `prepare` (the wasm head trainer's, which updates the state itself). */
  countStep(): void {
    this.steps++;
  }

  /**
   * Adam's running averages for `variables` stepped as one vector (a chunk, see `chunks`), made as zeros
   * the first time. The optimizer owns them.
   */
  stateFor(variables: readonly tf.Variable[], { settle = true }: { settle?: boolean } = {}): AdamState {
    if (settle) this.settle();
    const key = variables.map((v) => v.name).join("\n");
    let state = this.state.get(key);
    if (state === undefined) {
      const size = variables.reduce((n, v) => n + v.size, 0);
      // tidy disposes the zero tensors the variables were made from; variables outlive it
      state = tf.tidy(() => ({
        gradAvg: tf.variable(tf.zeros([size]), false),
        sqrAvg: tf.variable(tf.zeros([size]), false),
      }));
      this.state.set(key, state);
    }
    return state;
  }

  /**
   * Lets `borrower` keep newer values of some state than the optimizer's tensors hold: whoever reads the
   * state through `stateFor` or `prepare` first has the borrower write them back. The one borrower is the
   * wasm head step, which keeps its hidden kernel's Adam state between steps; HeadTrainer
   * (src/model/head-step/head-trainer.ts) describes the protocol.
   */
  lend(borrower: StateBorrower): void {
    if (this.borrower !== borrower) this.settle();
    this.borrower = borrower;
  }

  /** Has the borrower, if any, write its state back. */
  settle(): void {
    const borrower = this.borrower;
    this.borrower = null;
    borrower?.giveBack(this);
  }

  /** Which elements of `variables` (stepped as one vector) weight decay applies to: all, none, or where the mask is 1. */
  private decayOf(
    variables: readonly tf.Variable[],
    noDecay: ReadonlySet<tf.Variable> | undefined,
  ): "all" | "none" | tf.Tensor1D {
    if (noDecay === undefined || noDecay.size === 0) return "all";
    const exempt = variables.filter((v) => noDecay.has(v)).length;
    if (exempt === 0) return "all";
    if (exempt === variables.length) return "none";
    const key = variables.map((v) => `${v.name}${noDecay.has(v) ? " (no decay)" : ""}`).join("\n");
    let mask = this.masks.get(key);
    if (mask === undefined) {
      // kept from the caller's tidy (prepare's)
      mask = tf.keep(
        tf.tidy(() => tf.concat(variables.map((v) => tf.fill([v.size], noDecay.has(v) ? 0 : 1))) as tf.Tensor1D),
      );
      this.masks.set(key, mask);
    }
    return mask;
  }

  /** Frees the optimizer's state (the variables it updated are not touched). */
  dispose(): void {
    for (const { gradAvg, sqrAvg } of this.state.values()) tf.dispose([gradAvg, sqrAvg]);
    this.borrower = null;
    tf.dispose([...this.masks.values()]);
    this.masks.clear();
    this.state.clear();
    this.steps = 0;
  }
}

/** Holds some of an optimizer's state for a while; see GroupAdam.lend. */
export interface StateBorrower {
  /** Writes the state it holds into `optimizer.stateFor(..., {settle: false})`. */
  giveBack(optimizer: GroupAdam): void;
}

/** Adam's running averages for variables that step together, end to end. */
export interface AdamState {
  gradAvg: tf.Variable;
  sqrAvg: tf.Variable;
}

/**
 * Variables that step as one vector: each large one alone, all the small ones (biases, batchnorm scales
 * and offsets) together. Splitting a vector back costs a copy of all of it per part on wasm (its slice
 * reads the whole input), so only small variables share one.
 */
export function chunks(variables: readonly tf.Variable[]): tf.Variable[][] {
  const small = variables.filter((v) => v.size < SMALL);
  return [...variables.filter((v) => v.size >= SMALL).map((v) => [v]), ...(small.length > 0 ? [small] : [])];
}

/** Variables of at least this many elements step alone. */
export const SMALL = 4096;

/** The tensors' values end to end, as one vector. */
function flatten(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  const flat = tensors.map((t) => t.reshape([-1]) as tf.Tensor1D);
  return flat.length === 1 ? flat[0]! : tf.concat(flat);
}

/**
 * The weights of `layers` that fastai's optimiser does not decay by default (`wd_bn_bias=False`): every
 * batchnorm layer's scale and offset, and every layer's bias.
 */
export function noDecayWeights(layers: readonly tf.layers.Layer[]): tf.Variable[] {
  return layers
    .flatMap((layer) =>
      layer.getClassName() === "BatchNormalization"
        ? layer.trainableWeights
        : layer.trainableWeights.filter((w) => w.originalName.endsWith("/bias")),
    )
    .map((w) => w.read() as tf.Variable);
}
