import * as tf from "@tensorflow/tfjs";

/** Variables that share a learning rate (fastai's parameter group: body layers, head…). */
export interface ParamGroup {
  variables: tf.Variable[];
  lr: number;
}

export interface AdamOptions {
  /** Adam's beta1; one-cycle moves it (0.95 → 0.85 → 0.95). Default 0.9. */
  mom?: number;
  /** Adam's beta2. Default 0.99 (fastai's sqr_mom). */
  sqrMom?: number;
  /** Default 1e-5 (fastai). */
  eps?: number;
  /** Decoupled weight decay: p ← p · (1 − lr · wd) before the step. Default 0.01 (fastai). */
  wd?: number;
}

/**
 * fastai's Adam (decoupled weight decay, debiased averages) with one learning rate per parameter group
 * and hyper-parameters that can change every step (one-cycle). Keeps two state tensors per variable;
 * `dispose()` frees them. Gradients passed to `step` stay the caller's to dispose.
 */
export class GroupAdam {
  private readonly state = new Map<tf.Variable, { gradAvg: tf.Variable; sqrAvg: tf.Variable }>();
  private steps = 0;
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
    this.steps++;
    const { mom, sqrMom, eps, wd } = this;
    const debias1 = 1 - mom ** this.steps;
    const debias2 = 1 - sqrMom ** this.steps;
    for (const { variables, lr } of groups) {
      if (!(lr >= 0 && Number.isFinite(lr))) throw new Error(`invalid lr: ${lr}; use a non-negative learning rate, e.g. 2e-3`);
      for (const variable of variables) {
        const grad = grads[variable.name];
        if (grad === undefined) continue;
        const { gradAvg, sqrAvg } = this.stateOf(variable);
        tf.tidy(() => {
          const g = grad as tf.Tensor;
          gradAvg.assign(gradAvg.mul(mom).add(g.mul(1 - mom)));
          sqrAvg.assign(sqrAvg.mul(sqrMom).add(g.square().mul(1 - sqrMom)));
          const decayed = wd === 0 ? variable : variable.mul(1 - lr * wd);
          const update = gradAvg.div(sqrAvg.div(debias2).sqrt().add(eps)).mul(lr / debias1);
          variable.assign(decayed.sub(update));
        });
      }
    }
  }

  private stateOf(variable: tf.Variable): { gradAvg: tf.Variable; sqrAvg: tf.Variable } {
    let state = this.state.get(variable);
    if (state === undefined) {
      // tidy disposes the zero tensors the variables were made from; variables outlive it
      state = tf.tidy(() => ({ gradAvg: tf.variable(tf.zerosLike(variable), false), sqrAvg: tf.variable(tf.zerosLike(variable), false) }));
      this.state.set(variable, state);
    }
    return state;
  }

  /** Frees the optimizer's state (the variables it updated are not touched). */
  dispose(): void {
    for (const { gradAvg, sqrAvg } of this.state.values()) tf.dispose([gradAvg, sqrAvg]);
    this.state.clear();
    this.steps = 0;
  }
}
