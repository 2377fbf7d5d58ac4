export * from "../index.js";
export { initNodeBackend } from "./backend.js";
export { nodeWasmPaths } from "./wasm-paths.js";
export { decodeImage } from "./decode.js";
export { encodePng } from "./encode.js";
export { datasetFromFolder, listFiles } from "./folder.js";
export { datasetZip, writeDataset } from "./write-dataset.js";
export { modelFileIO, readModelDir, saveModelDir } from "./model-files.js"; // importing it registers folder and .zip paths with tfjs
