/** Anything that holds tensors until told to let them go: a Learner, a LoadedLearner, a tfjs model. */
export interface Disposable {
  dispose(): void;
}

/**
 * Trains a learner and keeps it: resolves to `learner` (or what it resolves to) once `train(learn)`
 * has resolved; if creating it or `train` fails (or is aborted), the learner is disposed and the
 * error thrown on. For a cell whose value is the trained learner (its session disposes it later).
 */
export async function trainOrDispose<L extends Disposable>(
  learner: L | Promise<L>,
  train: (learn: L) => Promise<unknown>,
): Promise<L> {
  const learn = await learner;
  try {
    await train(learn);
    return learn;
  } catch (error) {
    learn.dispose();
    throw error;
  }
}

/**
 * Trains a learner for what it measures and lets it go: resolves to what `use(learn)` resolves to,
 * and disposes the learner either way. For a cell whose value is a number or a curve, not the model.
 */
export async function disposeAfter<L extends Disposable, T>(
  learner: L | Promise<L>,
  use: (learn: L) => Promise<T>,
): Promise<T> {
  const learn = await learner;
  try {
    return await use(learn);
  } finally {
    learn.dispose();
  }
}
