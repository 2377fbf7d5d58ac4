/** What the browser says about its WebGL: whether a WebGL2 context can be made, and by which renderer. */
export interface WebGLInfo {
  available: boolean;
  renderer?: string;
}

/** Browser only: probes WebGL2 on a throwaway canvas (the context is released before returning). */
export function webglInfo(): WebGLInfo {
  const canvas = document.createElement("canvas");
  const gl = canvas.getContext("webgl2");
  if (gl === null) return { available: false };
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return { available: true, renderer };
}
