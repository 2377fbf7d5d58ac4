export * from "../index.js";
export { webglInfo, type WebGLInfo } from "./webgl.js";
export { browserCores, pageIsolation } from "./isolation.js";
export { decodeImageBlob } from "./decode.js";
export { entriesFromDataTransfer, entriesFromFileList } from "./files.js";
export * from "./datasets.js";
export { downloadBlob } from "./download.js";
export { downloadLearner } from "./export.js";
export { openEditsStore, type EditsStore } from "./edits-store.js";
export {
  baseFromFiles,
  baseKey,
  forgetBase,
  isBaseKept,
  loadBaseKept,
  PHOTO_BASE_URL,
  PHOTO_BASE_V2_URL,
  HOSTED_BASES,
  type BaseOrigin,
  type StoredBase,
} from "./base-store.js";
export { cameraSet, cameraSetZip, checkClassName, type CameraSet, type CameraSetOptions } from "./camera-set.js";
