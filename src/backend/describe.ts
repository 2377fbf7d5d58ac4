import { isSoftwareRenderer, missingKernels, type BackendChoice } from "./backend.js";

/** What a learner is told about the backend their machine got. */
export interface BackendSummary {
  backend: string;
  /** One sentence: what runs the maths. */
  headline: string;
  /** Whether this backend can also train (has every gradient kernel the course's models need). */
  canTrain: boolean;
  /** A plain-words warning when WebGL is missing (or otherwise worth knowing); undefined when all is well. */
  banner?: string;
}

const NAMES = {
  webgl: "WebGL (your graphics chip)",
  wasm: "WebAssembly (your CPU)",
  cpu: "plain JavaScript (your CPU)",
};

/**
 * Plain-words summary of `choice` for the "your machine" cell and `dlcourse backend`.
 * `renderer` is the WebGL renderer string when known (software renderers get a note).
 */
export function describeBackend(choice: BackendChoice, { renderer }: { renderer?: string } = {}): BackendSummary {
  const { backend, environment, attempts } = choice;
  const canTrain = missingKernels(backend, "train").length === 0;
  const software = backend === "webgl" && renderer !== undefined && isSoftwareRenderer(renderer);
  const where = software ? "WebGL (drawn in software on your CPU)" : NAMES[backend];
  const headline = `TensorFlow.js runs on ${where}: the "${backend}" backend.`;
  const webglFailed = attempts.find((a) => a.backend === "webgl" && !a.ok);
  let banner: string | undefined;
  if (choice.softwareWebGL !== undefined && backend !== "webgl") {
    banner =
      `WebGL here is drawn in software (${choice.softwareWebGL}), not by a graphics chip, and that is slower than ` +
      `WebAssembly on your CPU, so the course uses ${NAMES[backend]}. ` +
      `Turn on hardware acceleration in your browser's settings to train on your graphics chip.`;
  } else if (environment === "browser" && webglFailed) {
    banner =
      `WebGL is not available in this browser, so the course runs on ${NAMES[backend]}. ` +
      `Everything still works, but training is slower than on a graphics chip. ` +
      `To use WebGL, turn on hardware acceleration in your browser's settings or try another browser.`;
  } else if (software) {
    banner =
      `WebGL here is drawn in software (${renderer}), not by a graphics chip, so it is slow. ` +
      `Turn on hardware acceleration in your browser's settings for faster training.`;
  }
  if (!canTrain) {
    const note = `The ${backend} backend cannot train yet (it lacks gradient kernels); training cells will fall back to the next backend that can.`;
    banner = banner === undefined ? note : `${banner} ${note}`;
  }
  return { backend, headline, canTrain, banner };
}
