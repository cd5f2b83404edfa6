import { Dataset } from '@bullpen/lightgbm';
import { boost, type Curve } from './boost';
import type { BoostingOptions } from './options';
import type { Steps } from './steps';

/** A row-major matrix with its labels. */
export interface LabelledRows {
  x: Float64Array;
  y: Float64Array;
  rows: number;
}

export interface FitModelInput extends BoostingOptions {
  cols: number;
  featureNames: string[];
  train: LabelledRows;
  /** The early-stopping window; without it the model boosts numBoostRound iterations. */
  valid: LabelledRows | null;
}

export interface FittedModel {
  modelText: string;
  bestIteration: number;
  iterations: number;
  curves: Curve[];
  importanceGain: Float64Array;
  importanceSplit: Float64Array;
  /** Predictions at the best iteration for the validation rows (empty without a validation set). */
  validPred: Float64Array;
  trainPred: Float64Array;
}

/**
 * Trains one LightGBM model: early stopping on the validation window, progress every iteration,
 * cancellation between iterations. Returns the model text and what the engine stores with the run.
 */
export async function fitModel(p: FitModelInput, steps: Steps): Promise<FittedModel> {
  const datasetParams = { ...p.params, num_threads: p.numThreads };
  const trainSet = Dataset.fromMatrix(p.train.x, {
    rows: p.train.rows,
    cols: p.cols,
    label: p.train.y,
    featureNames: p.featureNames,
    params: datasetParams,
  });
  const validSet = p.valid
    ? Dataset.fromMatrix(p.valid.x, {
        rows: p.valid.rows,
        cols: p.cols,
        label: p.valid.y,
        featureNames: p.featureNames,
        params: datasetParams,
        reference: trainSet,
      })
    : null;
  try {
    const { booster, bestIteration, curves } = await boost(p, trainSet, validSet, steps, (it, total, loss) =>
      steps.progress(it / total, `iteration ${it}/${total}${loss === null ? '' : `: valid log loss ${loss.toFixed(5)}`}`),
    );
    try {
      const iterations = booster.currentIteration();
      const modelText = booster.saveModelToString();
      const importanceGain = booster.featureImportance('gain');
      const importanceSplit = booster.featureImportance('split');
      const trainPred = booster.predict(p.train.x, { rows: p.train.rows, cols: p.cols });
      const validPred = p.valid ? booster.predict(p.valid.x, { rows: p.valid.rows, cols: p.cols }) : new Float64Array(0);
      return { modelText, bestIteration, iterations, curves, importanceGain, importanceSplit, validPred, trainPred };
    } finally {
      booster.free();
    }
  } finally {
    validSet?.free();
    trainSet.free();
  }
}
