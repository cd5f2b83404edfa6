import { Booster } from '@bullpen/lightgbm';

/** A stored model (LightGBM text) and the row-major matrix to score with it. */
export interface ModelScoring {
  modelText: string;
  x: Float64Array;
  rows: number;
  cols: number;
  numThreads: number;
}

/** Probabilities of a stored model for a matrix, loaded and freed within the call. */
export function predictProbabilities(p: ModelScoring): Float64Array {
  const booster = Booster.fromModelString(p.modelText);
  try {
    if (booster.numFeature() !== p.cols) {
      throw new Error(`the model has ${booster.numFeature()} features but the matrix has ${p.cols} columns`);
    }
    return booster.predict(p.x, { rows: p.rows, cols: p.cols, params: { num_threads: p.numThreads } });
  } finally {
    booster.free();
  }
}
