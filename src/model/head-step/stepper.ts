import type * as tf from "@tensorflow/tfjs";
import type { DataLoaders } from "../../data/batches.js";
import type { GroupAdam, ParamGroup } from "../../train/optimizer.js";
import type { Head } from "../head.js";

/**
 * A learner's training step, behind one interface: the learner picks a stepper (the wasm one where
 * `learner.trainsHeadInWasm`, else the tfjs one), asks it for a step, checks the step and takes it or
 * drops it (`Learner.trainBatch`). Two implementations:
 *
 * - `WasmHeadStepper` (wasm-stepper.ts): a frozen body's head on cached features, its whole step
 *   (forward, backward, Adam) in WebAssembly SIMD (`HeadTrainer`, head-trainer.ts);
 * - `TfjsHeadStepper` (tfjs-stepper.ts): every other case, by tfjs's autodiff (the head alone on pooled
 *   features when the body is frozen, body and head otherwise).
 *
 * Both take the same steps up to float rounding (tests/model/learner.test.ts), with the same dropout masks.
 */
export interface HeadStepper {
  /** Whether this is the wasm stepper (which the learner uses exactly while `trainsHeadInWasm`). */
  readonly inWasm: boolean;
  /**
   * Computes one optimiser step on the training items `indices` without taking it: the weights and the
   * optimiser's state stay as they were until `commit()`; the batchnorm statistics and count may move,
   * and `discard()` puts them back. Throws (changing nothing it does not put back) on an invalid rate.
   */
  prepare(indices: number[], step: StepInput): Promise<PreparedStep>;
  /** Frees what the stepper holds (writing back any state it kept, see HeadTrainer). */
  dispose(): void;
}

/** What one step needs besides the items: the groups that train with their rates, where it is, its dropout seed. */
export interface StepInput {
  /** `learner.paramGroups(lrs)`: the head's group alone when the body is frozen. */
  groups: readonly ParamGroup[];
  /** The batch's index in its epoch (seeds a recomputed batch's augmentation). */
  batch: number;
  /** Seeds block i's dropout mask with `dropoutSeed + i`. */
  dropoutSeed: number;
}

/** A computed step: exactly one of `commit()` and `discard()` is called. */
export interface PreparedStep {
  loss: number;
  /** Whether the loss and every value the step would write (weights, batchnorm statistics) are finite. */
  finite: boolean;
  /** Takes the step (weights, optimiser state and step count) and frees what it computed. */
  commit(): void;
  /** Puts back what computing the step moved (batchnorm statistics and count) and frees what it computed. */
  discard(): void;
}

/** What a stepper reads from its learner, at every step (lrFind swaps the optimiser; freezing changes the rest). */
export interface StepContext {
  readonly head: Head;
  readonly body: tf.LayersModel;
  readonly dls: DataLoaders;
  readonly frozen: boolean;
  readonly usesCachedFeatures: boolean;
  readonly optimizer: GroupAdam;
  readonly epochsDone: number;
  /** Every weight of the model, batchnorm statistics included. */
  readonly weights: tf.Variable[];
  snapshot(variables: readonly tf.Variable[]): { restore(): void; dispose(): void };
  /**
   * The body's forward pass for an unfrozen step, in two parts: `frozenPart(xs)` runs before the gradient
   * is taken (null when nothing can: see Learner), `trainedPart` inside it, on `frozenPart`'s result or
   * on `xs`. The caller disposes `frozenPart`'s result.
   */
  frozenPart(xs: tf.Tensor4D): tf.Tensor4D | null;
  /** `frozenPart` of training items `indices` from outputs kept for them, or null (then `frozenPart` runs on the batch). */
  keptFrozenPart(indices: readonly number[]): tf.Tensor4D | null;
  trainedPart(x: tf.Tensor4D): tf.Tensor4D;
}

/** The cached pooled features [indices × d] (row-major host floats) of training items, for the body's current weights. */
export type CachedFeatures = (indices: readonly number[]) => Float32Array;
