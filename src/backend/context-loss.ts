/**
 * When the browser takes away the WebGL context tfjs computes on (a graphics driver reset, the GPU out
 * of memory, too many contexts, or the WEBGL_lose_context extension), every tensor on it is gone and
 * tfjs's next read-back waits forever: a training run neither ends nor throws. This turns the
 * context's `webglcontextlost` event into an aborted signal, so a session can stop with a message.
 */
import * as tf from "@tensorflow/tfjs";

/** What lesson 1's training keeps when WebGL goes: it saves the model after every epoch. */
const SAVED_AFTER_EPOCH = "The model saved after the last completed epoch is kept in this browser";

/** What a {@link WebGLContextLost} says stopped, and what is kept. */
export interface ContextLossWords {
  /** What stopped, e.g. "lrFind" (default "training"). */
  stopped?: string;
  /**
   * A sentence on what survives (default: the model saved after the last completed epoch, as lesson 1's
   * training saves one); "" for a run that keeps nothing, which then says nothing of it.
   */
  kept?: string;
}

/** The reason of the signal {@link watchContextLoss} aborts: what happened and what to do. */
export class WebGLContextLost extends Error {
  override name = "WebGLContextLost";
  constructor({ stopped = "training", kept = SAVED_AFTER_EPOCH }: ContextLossWords = {}) {
    const fix = "switch to WebAssembly (?backend=wasm in the page's address) to train again";
    super(
      "WebGL stopped working: the browser took away the graphics context TensorFlow.js computes on " +
        `(the graphics driver was reset, or the graphics chip ran out of memory), so ${stopped} stopped. ` +
        (kept ? `${kept}; ${fix}` : fix[0]!.toUpperCase() + fix.slice(1)),
    );
  }
}

/** What the webgl backend holds: its GPGPU context's WebGL context (typed loosely: tfjs does not export it). */
interface WithGl {
  gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
}

/**
 * A signal that aborts with a {@link WebGLContextLost} when the active backend's WebGL context is lost
 * (at once if it is lost already); on another backend it never aborts. `stop` (e.g. Framework's
 * `invalidation`) removes the listener; `words` say what stopped and what is kept.
 */
export function watchContextLoss(stop?: Promise<unknown>, words?: ContextLossWords): AbortSignal {
  const controller = new AbortController();
  if (tf.getBackend() !== "webgl") return controller.signal;
  const gl = (tf.backend() as WithGl).gpgpu?.gl;
  const canvas = gl?.canvas as (EventTarget & (HTMLCanvasElement | OffscreenCanvas)) | undefined;
  if (gl === undefined || canvas === undefined) return controller.signal;
  const lost = () => controller.abort(new WebGLContextLost(words));
  if (gl.isContextLost()) lost();
  else {
    canvas.addEventListener("webglcontextlost", lost, { once: true });
    void stop?.then(() => canvas.removeEventListener("webglcontextlost", lost));
  }
  return controller.signal;
}
