export {
  TRAINING_KERNELS,
  backendOrder,
  detectEnvironment,
  initBackend,
  isSoftwareRenderer,
  missingKernels,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type BackendOptions,
  type Environment,
  type Task,
  type WasmPaths,
} from "./backend/backend.js";
export { describeBackend, type BackendSummary } from "./backend/describe.js";
export { measureMatMul, type MatMulSpeed } from "./backend/speed.js";
export { watchContextLoss, WebGLContextLost, type ContextLossWords } from "./backend/context-loss.js";
export { describeThreads, wasmThreadsFor, type Isolation } from "./backend/threads.js";
export { splitRandom, type Split, type SplitOptions } from "./data/split.js";
export { resizeImage, RESIZE_MODES, type ResizeMode, type ResizeOptions } from "./data/resize.js";
export { augmentBatch, drawAugmentation, type AugmentDraw, type AugmentOptions } from "./data/augment.js";
export { channelStats, normalizeTensor, pretrainStats, type Normalization } from "./data/normalize.js";
export {
  DataLoader,
  dataLoaders,
  trainSubset,
  type Batch,
  type DataLoaderOptions,
  type DataLoaders,
} from "./data/batches.js";
export { batchImages } from "./data/batch-images.js";
export { DataError, type Dataset, type ImageItem, type SkippedFile } from "./data/dataset.js";
export { createImage, rgbaToRgb, sideBySide, type RgbImage } from "./data/image.js";
export { fingerprint } from "./data/fingerprint.js";
export { classCounts, splitTable } from "./data/summary.js";
export { manifestEntry, manifestOf, type ManifestEntry } from "./data/manifest.js";
export { getImageFiles, isHiddenFile, isImageFile, parentLabel, IMAGE_EXTENSIONS } from "./data/files.js";
export { datasetFromEntries, type Decoder, type FileEntry, type LoadOptions } from "./data/load.js";
export { datasetFromZip, zipEntries } from "./data/zip.js";
export { datasetFromUrls } from "./data/urls.js";
export {
  asDataset,
  generateDataset,
  generatedDataset,
  generateItems,
  type GenerateOptions,
  type GeneratedItem,
  type ImageSet,
} from "./draw/generate.js";
export { drawPet, PET_CLASSES, type PetClass, type PetOptions } from "./draw/pets.js";
export { seededRandom, shuffled, type Random } from "./random.js";
export { combineScheds, evenMults, oneCycle, schedCos, type OneCycleOptions, type Schedule } from "./train/schedule.js";
export { accuracy, errorRate, type Metric } from "./train/metrics.js";
export { GroupAdam, type AdamOptions, type ParamGroup, type PendingStep } from "./train/optimizer.js";
export { Recorder, SmoothLoss, type BatchEvent, type EpochEvent, type TrainingEvent } from "./train/recorder.js";
export type { Trainable, TrainBatchStep } from "./train/trainable.js";
export {
  baseArchitecture,
  createBody,
  BASE_BLOCKS,
  BODY_OUTPUT,
  type Base,
  type BaseArchitecture,
  type BaseInfo,
} from "./model/base.js";
export {
  baseFromArtifacts,
  BaseSettingMissing,
  loadBase,
  type BaseOverrides,
  type BaseSetting,
  type MemorySource,
  type UrlSource,
} from "./model/load-base.js";
export { describeRecognized, MINUS_ONE_TO_ONE, recognizeBase, type Recognized } from "./model/recognize.js";
export { IMAGENET_CLASSES, shortName } from "./model/imagenet-classes.js";
export { kerasMobileNetV1, type KerasMobileNetOptions } from "./model/keras-mobilenet.js";
export {
  BaseDownloadFailed,
  downloadBase,
  type DownloadFault,
  type DownloadOptions,
  type DownloadProgress,
} from "./model/download-base.js";
export { fineTuneDefaults, PHOTO_SIZE, type FineTuneDefaults } from "./model/fine-tune-defaults.js";
export { classifyWithBase, type BaseGuess } from "./model/base-classify.js";
export { Head, type HeadBlock, type HeadOptions } from "./model/head.js";
export { HeadTrainer, type HeadTrainerStep, type PreparedHeadStep } from "./model/head-step/head-trainer.js";
export { Learner, visionLearner, type BodyBatchnorm, type BodySplit, type LearnerOptions } from "./model/learner.js";
export { modelSummary, type LayerRow, type ModelSummary } from "./model/summary.js";
export { overfittingStart, type TurningPoint } from "./train/overfit.js";
export { fineTuneSeconds, measureStepCosts, type FineTunePlan, type StepCosts } from "./model/estimate.js";
export {
  METADATA_KEY,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  modelMetadata,
  readModelMetadata,
  type EpochSummary,
  type MetadataSource,
  type ModelMetadata,
} from "./export/metadata.js";
export { pretrainBase, type PretrainOptions, type Pretrained } from "./model/pretrain.js";
export {
  fineTune,
  fit,
  fitOneCycle,
  groupRates,
  GROUPS,
  type FineTuneOptions,
  type FitOneCycleOptions,
  type FitOptions,
  type LearningRate,
} from "./train/fit.js";
export { lrFind, valley, type LrFindOptions, type LrFindResult } from "./train/lr-find.js";
export { trainingEvents, TrainingDiverged, type TrainingControl } from "./train/events.js";
export { trainingSession, type SessionOptions, type TrainingState } from "./train/session.js";
export { disposeAfter, trainOrDispose, type Disposable } from "./train/disposal.js";
export {
  confusionMatrix,
  interpret,
  mostConfused,
  scoreItem,
  topLosses,
  type InterpretSplit,
  type Interpretation,
  type ItemResult,
} from "./interpret/interpret.js";
export {
  applyCleaning,
  editCounts,
  editsFromJson,
  editsToJson,
  type Edit,
  type Edits,
  type SavedEdits,
} from "./interpret/cleaner.js";
export { interpretModel } from "./interpret/model.js";
export { exportModel, exportZip, type ExportDestination } from "./export/export.js";
export { learnerFromArtifacts, loadLearner, LoadedLearner, type LearnerSource } from "./export/load.js";
export { ModelNotFound } from "./export/artifacts.js";
export { savedModelInfo, type SavedModelInfo } from "./export/indexeddb.js";
export { predictImages, preprocess, type Prediction } from "./export/predict.js";
export { registerBlobDecoder, toRgbImage, type BlobDecoder, type ImageInput } from "./export/input.js";
export { artifactsFromFiles, artifactsFromUrl } from "./export/sources.js";
export { artifactsFromZip, modelZip } from "./export/zip.js";
export {
  artifactsFromModelJson,
  checkWeightBytes,
  modelJsonText,
  MODEL_JSON,
  WEIGHTS_BIN,
} from "./export/artifacts.js";
export {
  largestStableLr,
  leastSquares,
  mse,
  mseGradient,
  noisyLine,
  predictLine,
  sgdStep,
  type NoisyLineOptions,
  type Point,
  type Weights,
} from "./teach/linear.js";
export { cellCentre, geometricLevels, sampleGrid, type Grid } from "./teach/grid.js";
export { descendLine, LeftBounds, type DescendOptions, type LineStep } from "./teach/descend.js";
export {
  createMlp,
  curvePoints,
  CURVES,
  fitCurve,
  mlpPredict,
  type Activation,
  type CurveName,
  type CurveStep,
  type FitCurveOptions,
  type Mlp,
} from "./teach/curve-fit.js";
export { crossEntropy, LANDMARKS, lossCurve, twoClasses } from "./teach/loss.js";
