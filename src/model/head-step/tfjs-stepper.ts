import * as tf from "@tensorflow/tfjs";
import type { PendingStep } from "../../train/optimizer.js";
import type { CachedFeatures, HeadStepper, PreparedStep, StepContext, StepInput } from "./stepper.js";

/**
 * The step in tfjs, by autodiff: with the body frozen, the head alone on pooled features (cached, or the
 * body run as at inference on the batch's images); unfrozen, body and head on the batch's images, the
 * body's batchnorm training too. Then GroupAdam's step, computed but not taken (`GroupAdam.prepare`).
 */
export class TfjsHeadStepper implements HeadStepper {
  readonly inWasm = false;

  constructor(
    private readonly learner: StepContext,
    private readonly cachedFeatures: CachedFeatures,
  ) {}

  async prepare(indices: number[], { groups, batch, dropoutSeed }: StepInput): Promise<PreparedStep> {
    const { head, body, frozen, optimizer } = this.learner;
    const variables = groups.flatMap((g) => g.variables);
    const loader = this.learner.dls.train;
    const ys = loader.targets(indices);
    // a frozen body only gives features: the head trains on them pooled
    let pooled: tf.Tensor2D | null = null;
    let xs: tf.Tensor4D | null = null;
    if (this.learner.usesCachedFeatures) {
      const rows = this.cachedFeatures(indices);
      pooled = tf.tensor2d(rows, [indices.length, rows.length / indices.length]);
    }
    // a frozen first half's outputs: kept from an earlier pass, else computed outside the gradient (see Learner.frozenPart)
    let lower = pooled === null ? this.learner.keptFrozenPart(indices) : null;
    if (pooled === null && lower === null) {
      const batchData = loader.batchAt(indices, this.learner.epochsDone, batch);
      tf.dispose(batchData.ys);
      xs = batchData.xs;
      if (frozen) pooled = tf.tidy(() => head.pool(body.predict(xs!) as tf.Tensor4D));
      else lower = this.learner.frozenPart(xs);
    }
    // every weight this step can change as it was: the optimiser's changes wait for commit, but batchnorm
    // statistics move in the forward pass; a frozen body changes nothing, so only the head is copied
    const changed = frozen ? head.variables : this.learner.weights;
    const before = this.learner.snapshot(changed);
    const logits = () =>
      pooled !== null
        ? head.logitsFromPooled(pooled, dropoutSeed)
        : head.logits(this.learner.trainedPart(lower ?? xs!), dropoutSeed);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys, logits()) as tf.Scalar,
      variables,
    );
    let pending: PendingStep | null = null;
    const free = () => {
      pending?.discard(); // frees what a step not taken computed (a no-op after apply)
      before.dispose();
      tf.dispose([value, ys, ...Object.values(grads)]);
      tf.dispose([xs, pooled, lower].filter((t) => t !== null));
    };
    try {
      // one read checks the step: the loss, and a sum of every new weight and of the batchnorm statistics
      // the forward pass moved, which a NaN or infinity anywhere makes non-finite
      const step = (pending = optimizer.prepare(groups, grads));
      const trained = new Set(variables);
      const moved = changed.filter((w) => !trained.has(w));
      const check = tf.tidy(() =>
        tf.stack([value, tf.add(step.check, moved.length ? tf.concat(moved.map((w) => w.reshape([-1]))).sum() : 0)]),
      );
      step.check.dispose();
      const [loss, weightSum] = await check.data();
      check.dispose();
      return {
        loss: loss!,
        finite: Number.isFinite(loss) && Number.isFinite(weightSum),
        commit: () => {
          try {
            step.apply();
          } finally {
            free();
          }
        },
        discard: () => {
          before.restore();
          free();
        },
      };
    } catch (error) {
      free();
      throw error;
    }
  }

  dispose(): void {}
}
