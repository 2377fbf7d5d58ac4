export * from "../index.js";
export { webglInfo, type WebGLInfo } from "./webgl.js";
