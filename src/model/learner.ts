import * as tf from "@tensorflow/tfjs";
import type { DataLoaders } from "../data/batches.js";
import { hashString } from "../random.js";
import { errorRate, type Metric } from "../train/metrics.js";
import { GroupAdam, noDecayWeights, type ParamGroup } from "../train/optimizer.js";
import { Recorder } from "../train/recorder.js";
import { checkAborted, TrainingDiverged, yieldToEventLoop } from "../train/events.js";
import {
  fineTune,
  fit,
  fitOneCycle,
  GROUPS,
  type FineTuneOptions,
  type FitOneCycleOptions,
  type FitOptions,
  type LearningRate,
} from "../train/fit.js";
import { lrFind, type LrFindOptions, type LrFindResult } from "../train/lr-find.js";
import type { EpochEvent } from "../train/recorder.js";
import type { TrainBatchStep } from "../train/trainable.js";
import { reseededTopology, type Base, type BaseInfo } from "./base.js";
import { exportModel, exportZip, type ExportDestination } from "../export/export.js";
import type { ImageInput } from "../export/input.js";
import { predictImages, type Prediction } from "../export/predict.js";
import { FeatureCache, type BodyHalves, type BodyVersions } from "./features.js";
import { Head } from "./head.js";
import { HeadTrainer } from "./head-step/head-trainer.js";
import type { HeadStepper } from "./head-step/stepper.js";
import { TfjsHeadStepper } from "./head-step/tfjs-stepper.js";
import { WasmHeadStepper } from "./head-step/wasm-stepper.js";
import { modelMetadata, type ModelMetadata } from "../export/metadata.js";
import { modelSummary, type ModelSummary } from "./summary.js";

export interface LearnerOptions {
  base: Base;
  /** Start from the base's weights (default) or from a random init of the same architecture. */
  pretrained?: boolean;
  /** Computed on the validation set after every epoch. Default [errorRate]. */
  metrics?: Metric[];
  /** Seeds the head's init and dropout. Default 42. */
  seed?: number;
  /** The head's first dropout rate (the second is twice it, as fastai's 0.25 and 0.5). Default 0.25. */
  dropout?: number;
  /** Units of the head's hidden layer (fastai's 512); 0 gives pooling → batchnorm → dropout → dense. Default 512. */
  hidden?: number;
  /**
   * Train a frozen body's head on features computed once, when the training set is not augmented. Default
   * true. "always" caches them even when it is: frozen epochs then see every image unaugmented, and
   * augmentation applies to unfrozen epochs only (fastai augments both) — on a 224 px base the frozen
   * epochs become nearly free.
   */
  cacheFeatures?: boolean | "always";
  /**
   * fastai's `wd_bn_bias`: whether weight decay also applies to batchnorm and bias weights. Default false,
   * as in fastai; `npm run pretrain` made the committed base with true (see README).
   */
  wdBnBias?: boolean;
  /**
   * Train a frozen head on cached features in WebAssembly (forward, backward and Adam in one place, see
   * HeadTrainer) where the engine has WebAssembly SIMD and the head is fastai's; false keeps the tfjs
   * path. The two take the same steps up to float rounding. Default true.
   */
  wasmHead?: boolean;
  /**
   * Where the body's second parameter group starts (fastai's `splitter`): "half" (default) at the middle
   * of its weighted layers; "last-stage" at its last spatial stage, the first weighted layer whose input
   * already has the body's output size (MobileNet v1 at 224 px: `conv_dw_12_bn`, 7×7). With the first
   * group frozen (`freezeTo(-2)`), a step then runs gradients through the last stage only.
   */
  split?: BodySplit;
  /**
   * How the body's batchnorm layers normalise while it trains. "batch" (default, fastai's): with each
   * batch's statistics, their moving statistics following them (momentum BN_MOMENTUM). "moving" (the
   * Keras advice for fine-tuning): with the moving statistics the base was pretrained with, which then
   * stay as they are, while each layer's scale and offset still learn; the body runs as at inference
   * (dropout in a body too). The features the frozen epochs trained the head on then stay what the
   * unfrozen body starts from: with "batch", a photo base's last stage normalised with the learner's
   * own photos' statistics shifts every feature the head knows at once.
   */
  bodyBatchnorm?: BodyBatchnorm;
}

/** See LearnerOptions.bodyBatchnorm. */
export type BodyBatchnorm = "batch" | "moving";

/** The body's batchnorm momentum in training, in tfjs terms: fastai's (PyTorch's 0.1), as the course base's. */
export const BN_MOMENTUM = 0.9;

/** See LearnerOptions.split. */
export type BodySplit = "half" | "last-stage";

/**
 * fastai's vision_learner: the base's body (cut before its pooling and classifier) + a new head for the
 * data's classes; frozen when pretrained. Owns every tensor it makes: `dispose()` frees them all.
 */
export async function visionLearner(dls: DataLoaders, options: LearnerOptions): Promise<Learner> {
  const { base, pretrained = true } = options;
  if (base?.artifacts === undefined)
    throw new Error(
      "visionLearner: no base; give base: await loadBase(...) (or baseArchitecture() with pretrained: false)",
    );
  const { bodyBatchnorm = "batch" } = options;
  if (bodyBatchnorm !== "batch" && bodyBatchnorm !== "moving")
    throw new Error(
      `invalid bodyBatchnorm: ${JSON.stringify(bodyBatchnorm)}; give "batch" (the default, fastai's: each batch's statistics) or "moving" (the base's own statistics, kept fixed)`,
    );
  const { inputSize, normalization } = base.info;
  if (dls.train.size !== inputSize)
    throw new Error(
      `the data's images are ${dls.train.size}×${dls.train.size} but the base takes ${inputSize}×${inputSize}; make the DataLoaders with size: ${inputSize}`,
    );
  const dataNorm = dls.train.options.normalization;
  if (pretrained && JSON.stringify(dataNorm) !== JSON.stringify(normalization)) {
    throw new Error(
      `the data is normalised with ${JSON.stringify(dataNorm)} but the base expects ${JSON.stringify(normalization)}; make the DataLoaders with normalization: base.info.normalization`,
    );
  }
  if (pretrained && base.artifacts.weightData === undefined)
    throw new Error(`the base "${base.info.name}" has no weights; use pretrained: false to train it from scratch`);
  const full = pretrained
    ? await tf.loadLayersModel(tf.io.fromMemory(base.artifacts))
    : await tf.models.modelFromJSON({
        modelTopology: reseededTopology(base.artifacts.modelTopology, options.seed ?? 42),
      } as tf.io.ModelJSON);
  return new Learner(dls, full, options);
}

export class Learner {
  readonly dls: DataLoaders;
  readonly classes: string[];
  readonly baseInfo: BaseInfo;
  readonly pretrained: boolean;
  readonly seed: number;
  metrics: Metric[];
  cacheFeatures: boolean | "always";
  wasmHead: boolean;
  bodyBatchnorm: BodyBatchnorm;
  /** image [N, size, size, 3] normalised → features [N, h, w, c]. */
  readonly body: tf.LayersModel;
  readonly head: Head;
  /** image [N, size, size, 3] normalised → probabilities [N, classes]: what gets exported. */
  readonly model: tf.LayersModel;
  readonly recorder = new Recorder();
  optimizer = new GroupAdam();
  /** Epochs trained so far (seeds each epoch's shuffle and augmentation). */
  epochsDone = 0;
  private steps = 0;
  /** The first parameter group that trains (0: everything; GROUPS − 1: the head only, the body frozen). */
  private firstTrained: number;
  private bodyVersion = 0;
  /** Changes with the first body group's weights only (see BodyVersions). */
  private lowerVersion = 0;
  private readonly trainCache: FeatureCache;
  private readonly validCache: FeatureCache;
  private readonly base: tf.LayersModel;
  private readonly bodyGroups: tf.Variable[][];
  /** Index in `body.layers` of the second group's first weighted layer. */
  private readonly splitIndex: number;
  /** The body cut before its second group, where one tensor crosses the cut (see frozenPart); else null. */
  private readonly halves: BodyHalves | null;
  /** Batchnorm and bias weights, which weight decay leaves alone (fastai's default). */
  private readonly noDecay: ReadonlySet<tf.Variable>;
  private disposed = false;
  /** Takes the training steps (see `stepper()`); made on the first step, again when another applies. */
  private headStepper: HeadStepper | null = null;

  constructor(
    dls: DataLoaders,
    base: tf.LayersModel,
    {
      base: { info },
      pretrained = true,
      metrics = [errorRate],
      seed = 42,
      dropout = 0.25,
      hidden = 512,
      cacheFeatures = true,
      wdBnBias = false,
      wasmHead = true,
      split = "half",
      bodyBatchnorm = "batch",
    }: LearnerOptions,
  ) {
    this.dls = dls;
    this.classes = dls.classes;
    this.baseInfo = info;
    this.pretrained = pretrained;
    this.seed = seed;
    this.metrics = metrics;
    this.cacheFeatures = cacheFeatures;
    this.wasmHead = wasmHead;
    this.bodyBatchnorm = bodyBatchnorm;
    this.base = base;
    const cut = base.getLayer(info.cut);
    this.body = tf.model({ inputs: base.inputs, outputs: cut.output as tf.SymbolicTensor, name: "body" });
    const featureShape = this.body.outputs[0]!.shape.slice(1) as number[];
    this.head = new Head(featureShape, dls.classes.length, {
      dropout,
      hidden,
      seed: hashString("head", seed) % 2 ** 31,
    });
    this.model = tf.model({ inputs: base.inputs, outputs: this.head.apply(this.body.outputs[0]!), name: "learner" });
    // a base saved with its layers frozen (Keras `trainable: false`, as transfer-learning exports often
    // are) would leave nothing to unfreeze: what trains is the parameter groups' business (freezeTo)
    for (const layer of this.body.layers) layer.trainable = true;
    // fastai's batchnorm momentum (PyTorch's 0.1): a Keras base carries 0.99, whose moving statistics
    // hardly move in a short fine-tune while the layer trains on each batch's, so the model drifts from
    // what it learned once it predicts (docs/photo-base.md has the runs)
    for (const layer of this.body.layers)
      if (layer.getClassName() === "BatchNormalization")
        (layer as unknown as { momentum: number }).momentum = BN_MOMENTUM;
    const bodyLayers = this.body.layers.filter((l) => l.trainableWeights.length > 0);
    const at = splitAt(this.body, bodyLayers, split);
    this.splitIndex = this.body.layers.indexOf(bodyLayers[at]!);
    this.bodyGroups = [bodyLayers.slice(0, at), bodyLayers.slice(at)].map((layers) =>
      layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)),
    );
    this.noDecay = new Set(wdBnBias ? [] : noDecayWeights([...bodyLayers, ...this.head.weightedLayers]));
    this.halves = splitBody(this.body, this.splitIndex);
    this.firstTrained = pretrained ? GROUPS - 1 : 0;
    const pool = (features: tf.Tensor4D) => this.head.pool(features);
    // the first half's outputs are kept while it is not training, for the images a step would see
    const keepLower = (augmented: boolean) => () =>
      this.firstTrained > 0 && (this.cacheFeatures === "always" || (this.cacheFeatures && !augmented));
    const halves = this.halves;
    this.trainCache = new FeatureCache(this.body, pool, {
      halves,
      keepLower: keepLower(dls.train.options.augment !== false),
    });
    this.validCache = new FeatureCache(this.body, pool, { halves, keepLower: keepLower(false) });
  }

  get frozen(): boolean {
    return this.firstTrained === GROUPS - 1;
  }

  /** The first parameter group that trains now: 0 unfrozen, 1 with the first body half frozen, 2 frozen. */
  get trainsFrom(): number {
    return this.firstTrained;
  }

  /** Trains only the head; the body runs as at inference (batchnorm statistics fixed too, so features can be cached). */
  freeze(): void {
    this.firstTrained = GROUPS - 1;
  }

  unfreeze(): void {
    this.firstTrained = 0;
  }

  /**
   * fastai's `freeze_to(n)`: the groups before `n` are frozen, the rest train (negative counts from the
   * end, as in Python): 0 is `unfreeze()`, -1 (or 2) is `freeze()`, -2 (or 1) trains the second body half
   * and the head. A frozen group needs no backward pass, which on a big base is most of a step's time.
   */
  freezeTo(n: number): void {
    if (!Number.isInteger(n) || n < -GROUPS || n >= GROUPS)
      throw new Error(
        `invalid freezeTo: ${n}; give the first of the ${GROUPS} parameter groups to train, from ${-GROUPS} to ${GROUPS - 1}: 0 trains everything, -2 the second body half and the head, -1 the head only`,
      );
    this.firstTrained = n < 0 ? GROUPS + n : n;
  }

  /** The parameter group of body layer `layer`: 0 before the split (see LearnerOptions.split), else 1. */
  bodyGroupOf(layer: tf.layers.Layer): 0 | 1 {
    return this.body.layers.indexOf(layer) < this.splitIndex ? 0 : 1;
  }

  /** fastai's `learn.summary()`: each layer's output shape and parameters, body or head, and whether it trains now. */
  summary(): ModelSummary {
    return modelSummary(this);
  }

  /** The parameter groups that train now, with `lrs[i]` for group i (first body half, second body half, head). */
  paramGroups(lrs: readonly number[]): ParamGroup[] {
    if (lrs.length !== GROUPS) throw new Error(`expected ${GROUPS} learning rates (one per group), got ${lrs.length}`);
    const noDecay = this.noDecay;
    const head = { variables: this.head.trainableVariables, lr: lrs[2]!, noDecay };
    return [
      { variables: this.bodyGroups[0]!, lr: lrs[0]!, noDecay },
      { variables: this.bodyGroups[1]!, lr: lrs[1]!, noDecay },
      head,
    ].slice(this.firstTrained);
  }

  /** fastai's fit: constant rate(s). Resolves with the epoch events; rejects on abort or divergence. */
  fit(epochs: number, lr?: LearningRate, options?: FitOptions): Promise<EpochEvent[]> {
    return fit(this, epochs, lr, options);
  }

  /** fastai's fit_one_cycle. */
  fitOneCycle(epochs: number, lrMax?: LearningRate, options?: FitOneCycleOptions): Promise<EpochEvent[]> {
    return fitOneCycle(this, epochs, lrMax, options);
  }

  /** fastai's fine_tune: frozen head epochs, then everything with discriminative rates. */
  fineTune(epochs: number, options?: FineTuneOptions): Promise<EpochEvent[]> {
    return fineTune(this, epochs, options);
  }

  /** fastai's lr_find; the weights are put back afterwards. */
  lrFind(options?: LrFindOptions): Promise<LrFindResult> {
    return lrFind(this, options);
  }

  /** Whether frozen training batches use cached body features. */
  get usesCachedFeatures(): boolean {
    const unaugmented = this.dls.train.options.augment === false;
    return this.frozen && (this.cacheFeatures === "always" || (this.cacheFeatures && unaugmented));
  }

  /** Whether frozen training batches run the head's step in WebAssembly (see HeadTrainer). */
  get trainsHeadInWasm(): boolean {
    return this.usesCachedFeatures && this.wasmHead && HeadTrainer.supports(this.head.blocks());
  }

  /**
   * One optimiser step on the training items `indices` (batch `batch` of `epoch`). Returns the loss.
   * A non-finite loss, gradient or new weight leaves the weights as they were (batchnorm statistics and
   * the optimiser's state too) and throws TrainingDiverged.
   */
  async trainBatch(indices: number[], { epoch, batch, lrs, mom, phase = "fit" }: TrainBatchStep): Promise<number> {
    this.assertUsable();
    const groups = this.paramGroups(lrs);
    if (mom !== undefined) this.optimizer.mom = mom;
    const dropoutSeed = hashString(`dropout:${this.steps}`, this.seed) % 2 ** 31;
    const step = await this.stepper().prepare(indices, { groups, batch, dropoutSeed });
    // the step is computed, checked (the loss, and every new weight and batchnorm statistic), and only then taken
    const cause = !Number.isFinite(step.loss)
      ? `the loss became ${step.loss}`
      : step.finite
        ? null
        : "a gradient or a weight became non-finite";
    if (cause !== null) {
      step.discard();
      throw new TrainingDiverged({ phase, epoch, batch, lr: Math.max(...groups.map((g) => g.lr)), cause });
    }
    step.commit();
    this.steps++;
    if (this.firstTrained === 0) this.bodyChanged();
    else if (!this.frozen) this.bodyVersion++;
    await yieldToEventLoop();
    return step.loss;
  }

  /**
   * The stepper for the next training step: the wasm one while `trainsHeadInWasm`, else the tfjs one
   * (see HeadStepper). Kept from step to step; made anew when the other applies (freeze, unfreeze, a
   * changed option), the old one disposed first (which writes back what it kept).
   */
  private stepper(): HeadStepper {
    const wasm = this.trainsHeadInWasm;
    if (this.headStepper?.inWasm !== wasm) {
      this.headStepper?.dispose();
      this.headStepper = null;
      const features = (indices: readonly number[]) => this.trainCache.hostRows(this.dls.train, indices, this.versions);
      this.headStepper = wasm ? new WasmHeadStepper(this, features) : new TfjsHeadStepper(this, features);
    }
    return this.headStepper;
  }

  /** Loss and metrics on the validation set (body features computed once per weights). */
  async validate(signal?: AbortSignal): Promise<{ validLoss: number; metrics: Record<string, number> }> {
    const { probs, targets, loss } = await this.predictions(this.dls.valid, signal);
    try {
      const metrics = Object.fromEntries(this.metrics.map((m) => [m.name, m.compute(probs, targets)]));
      return { validLoss: loss, metrics };
    } finally {
      tf.dispose([probs, targets]);
    }
  }

  /**
   * Probabilities [items, classes] and one-hot targets [items, classes] for every item of the
   * validation loader (or the training items, unaugmented, in item order), and the mean loss. The caller
   * disposes both tensors.
   */
  async predictions(
    loader = this.dls.valid,
    signal?: AbortSignal,
  ): Promise<{ probs: tf.Tensor2D; targets: tf.Tensor2D; loss: number }> {
    this.assertUsable();
    const features = loader === this.dls.valid ? await this.validCache.all(loader, this.versions, signal) : null;
    const all = loader.items.map((_, i) => i);
    const chunks: tf.Tensor2D[] = [];
    try {
      for (let start = 0; start < all.length; start += 64) {
        checkAborted(signal);
        const indices = all.slice(start, start + 64);
        chunks.push(
          tf.tidy(() => {
            if (features) return this.head.logitsFromPooled(features.slice(start, indices.length));
            return this.head.logits(
              this.body.predict(loader.batchAt(indices, 0, 0, { augment: false }).xs) as tf.Tensor4D,
            );
          }),
        );
        if (!features) await yieldToEventLoop();
      }
      const targets = loader.targets(all);
      const logits = tf.concat(chunks);
      const loss = tf.tidy(() => tf.losses.softmaxCrossEntropy(targets, logits).dataSync()[0]!);
      const probs = tf.tidy(() => tf.softmax(logits) as tf.Tensor2D);
      logits.dispose();
      return { probs, targets, loss };
    } finally {
      tf.dispose(chunks);
    }
  }

  /**
   * fastai's predict: `{label, index, probs}` for one image (decoded pixels, a [h, w, 3] tensor of
   * 0–255, or in a browser a file, URL or page image), prepared exactly as the validation images are.
   */
  async predict(image: ImageInput): Promise<Prediction> {
    return (await this.predictBatch([image]))[0]!;
  }

  /** `predict` for many images, batched. Leaves no tensor behind. */
  predictBatch(images: readonly ImageInput[]): Promise<Prediction[]> {
    this.assertUsable();
    return predictImages(this.model, modelMetadata(this), images);
  }

  /**
   * fastai's export: the model with what predicting needs (classes, input size, resize, normalisation,
   * a training summary; see ModelMetadata) to indexeddb://name (browser), a folder or .zip path (Node),
   * or a tfjs IO handler. `loadLearner` reads it back. Resolves to the metadata written.
   */
  export(dest: ExportDestination): Promise<ModelMetadata> {
    this.assertUsable();
    return exportModel(this.model, modelMetadata(this), dest);
  }

  /** The exported model as one .zip's bytes (model.json + weights.bin): what a browser downloads. */
  exportZip(): Promise<Uint8Array<ArrayBuffer>> {
    this.assertUsable();
    return exportZip(this.model, modelMetadata(this));
  }

  /**
   * With the first body group frozen (`freezeTo(1)`, fineTune's `unfreezeTo: -2`) and a body that is a
   * chain of layers (MobileNet v1, the course base): that half's output [N, h, w, c] for images `xs`
   * [N, size, size, 3], computed as at inference (its batchnorm statistics fixed, as a frozen body's
   * are) and outside any gradient, so a step neither records nor differentiates it. Null otherwise (the
   * whole body then runs in `trainedPart`). The caller disposes the result.
   */
  frozenPart(xs: tf.Tensor4D): tf.Tensor4D | null {
    if (this.firstTrained !== 1 || this.halves === null) return null;
    const { lower } = this.halves;
    return lower.predict(xs) as tf.Tensor4D;
  }

  /**
   * `frozenPart` of training items `indices`, unaugmented, from outputs kept for every training item
   * (computed once, with the frozen epochs' features when there were some): while the first group is
   * frozen and `cacheFeatures` is "always" (or true with an unaugmented training set), and they fit
   * (see FeatureCache). Null otherwise. The caller disposes the result.
   */
  keptFrozenPart(indices: readonly number[]): tf.Tensor4D | null {
    if (this.firstTrained !== 1) return null;
    return this.trainCache.lowerBatch(this.dls.train, indices, this.versions);
  }

  /**
   * The rest of the body's forward pass for a training step: on `frozenPart`'s output when it gave one,
   * else the whole body on images; its batchnorm as `bodyBatchnorm` says (with "moving", as at inference).
   */
  trainedPart(x: tf.Tensor4D): tf.Tensor4D {
    const training = this.bodyBatchnorm === "batch";
    const part = this.firstTrained !== 1 || this.halves === null ? this.body : this.halves.upper;
    return part.apply(x, { training }) as tf.Tensor4D;
  }

  /** Marks the body's weights as changed (cached features are stale). */
  bodyChanged(): void {
    this.bodyVersion++;
    this.lowerVersion++;
  }

  private get versions(): BodyVersions {
    return { body: this.bodyVersion, lower: this.lowerVersion };
  }

  /**
   * A copy of `variables` (default: every weight) and of the head's batchnorm count, to put back after a
   * diverging step or an lrFind sweep: `restore()` assigns them back; `dispose()` frees the copies.
   */
  snapshot(variables: readonly tf.Variable[] = this.weights): { restore(): void; dispose(): void } {
    const copies = variables.map((w) => tf.clone(w));
    const bnUpdates = this.head.bnUpdates;
    return {
      restore: () => {
        variables.forEach((w, i) => w.assign(copies[i]!));
        this.head.bnUpdates = bnUpdates;
      },
      dispose: () => tf.dispose(copies),
    };
  }

  /** Every weight of the model (batchnorm statistics included), in `model.weights` order. */
  get weights(): tf.Variable[] {
    return this.model.weights.map((w) => w.read() as tf.Variable);
  }

  /** Frees every tensor the learner made: weights, optimizer state, caches. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    this.headStepper?.dispose();
    this.trainCache.dispose();
    this.validCache.dispose();
    const variables = new Set([...this.base.weights, ...this.model.weights].map((w) => w.read()));
    tf.dispose([...variables]);
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error("this learner has been disposed; make a new one with visionLearner(...)");
  }
}

/**
 * Which of `weighted` (the body's layers with trainable weights, in order) starts the second parameter
 * group for `split`: the middle one, or the first whose input has the body output's height and width
 * (the middle one when no such layer leaves the first group something).
 */
function splitAt(body: tf.LayersModel, weighted: tf.layers.Layer[], split: BodySplit): number {
  const half = Math.ceil(weighted.length / 2);
  if (split === "half") return half;
  if (split !== "last-stage")
    throw new Error(`invalid split: ${JSON.stringify(split)}; give "half" (the default) or "last-stage"`);
  const [, h, w] = body.outputs[0]!.shape;
  const first = weighted.findIndex((layer) => {
    const input = layer.input;
    if (Array.isArray(input)) return false;
    const [, ih, iw] = input.shape;
    return ih === h && iw === w;
  });
  return first > 0 ? first : half;
}

/** What tfjs keeps of a layer's call in a graph (not in its public types). */
interface GraphNode {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

/**
 * `body` cut before its layer `index` (the first weighted layer of its second group) when exactly one
 * tensor crosses the cut (a chain there, as MobileNet v1 everywhere, or MobileNet v2 between its
 * residual blocks): the first part as a model from the images to that tensor, the rest rebuilt as a
 * model from it, on the same layers and weights. Null for a cut that residual connections cross, a
 * layer called more than once, or a cut at the very start.
 */
function splitBody(body: tf.LayersModel, index: number): BodyHalves | null {
  if (index < 2) return null;
  const nodes = (layer: tf.layers.Layer) => (layer as unknown as { inboundNodes: GraphNode[] }).inboundNodes;
  const upperLayers = body.layers.slice(index);
  if (upperLayers.some((layer) => nodes(layer).length !== 1)) return null;
  const produced = new Set(upperLayers.flatMap((layer) => nodes(layer)[0]!.outputTensors));
  const crossing = [...new Set(upperLayers.flatMap((layer) => nodes(layer)[0]!.inputTensors))].filter(
    (t) => !produced.has(t),
  );
  if (crossing.length !== 1) return null;
  const [cut] = crossing as [tf.SymbolicTensor];
  const lower = tf.model({ inputs: body.inputs, outputs: cut, name: "body_frozen_part" });
  // the second part on a new input: each layer called again on what its inputs became (a second node
  // of the same layer, sharing its weights), in body.layers' order, which puts a layer after its inputs
  const input = tf.input({ shape: cut.shape.slice(1) as number[], name: "body_trained_part_input" });
  const made = new Map<tf.SymbolicTensor, tf.SymbolicTensor>([[cut, input]]);
  for (const layer of upperLayers) {
    const node = nodes(layer)[0]!;
    const inputs = node.inputTensors.map((t) => made.get(t)!);
    const outputs = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor | tf.SymbolicTensor[];
    const list = Array.isArray(outputs) ? outputs : [outputs];
    node.outputTensors.forEach((t, k) => made.set(t, list[k]!));
  }
  const upper = tf.model({ inputs: input, outputs: made.get(body.outputs[0]!)!, name: "body_trained_part" });
  return { lower, upper };
}
