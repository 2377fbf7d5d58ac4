import { BN_EPSILON } from "../head.js";
import { HeadTrainer } from "./head-trainer.js";
import type { CachedFeatures, HeadStepper, PreparedStep, StepContext, StepInput } from "./stepper.js";

/**
 * The step of a frozen body's head on cached features in WebAssembly SIMD (see HeadTrainer): what the
 * tfjs stepper computes there, in a fraction of the time. The learner uses it while `trainsHeadInWasm`
 * (a frozen body, cached features, `wasmHead`, fastai's two-block head and an engine with SIMD), and
 * disposes it when that stops being so, which writes back the Adam state it keeps (see HeadTrainer).
 */
export class WasmHeadStepper implements HeadStepper {
  readonly inWasm = true;
  private readonly trainer: HeadTrainer;

  constructor(
    private readonly learner: StepContext,
    private readonly cachedFeatures: CachedFeatures,
  ) {
    this.trainer = new HeadTrainer(learner.head.blocks());
  }

  async prepare(indices: number[], { groups, dropoutSeed }: StepInput): Promise<PreparedStep> {
    const { head, optimizer } = this.learner;
    // the body is frozen: the head's group is the only one
    const { lr, noDecay = new Set() } = groups[0]!;
    const pooled = this.cachedFeatures(indices);
    const bnUpdates = head.bnUpdates;
    const step = this.trainer.prepare(pooled, this.learner.dls.train.labels(indices), {
      lr,
      optimizer,
      noDecay,
      dropoutSeed,
      momentum: head.nextMomentum(),
      epsilon: BN_EPSILON,
    });
    return {
      loss: step.loss,
      finite: step.finite,
      commit: () => step.commit(),
      discard: () => {
        head.bnUpdates = bnUpdates;
      },
    };
  }

  dispose(): void {
    this.trainer.dispose();
  }
}
