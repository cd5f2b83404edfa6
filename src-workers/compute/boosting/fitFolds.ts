import { z } from 'zod';
import { Dataset } from '@bullpen/lightgbm';
import { modelMetrics, type ModelMetrics, reliabilityCurve, type ReliabilityBin } from '../metrics';
import { boost } from './boost';
import type { BoostingOptions } from './options';
import { pickRows, pickValues } from './pickRows';
import type { Steps } from './steps';

export const foldFitOptionsSchema = z.object({
  /**
   * With early stopping, this share of each fold's training rows (the latest ones) is held out to pick
   * the iteration, so the test window never chooses its own model.
   */
  innerValidFraction: z.number().gt(0).lt(1).default(0.1),
  /**
   * 'subset': bin the matrix once and cut folds with Dataset.subset (the fast way).
   * 'rebuild': build a new Dataset for every fold (the naive baseline bench/cv.ts compares against).
   */
  datasetMode: z.enum(['subset', 'rebuild']).default('subset'),
});
export type FoldFitOptions = z.output<typeof foldFitOptionsSchema>;

/** One fold as row indices into the whole matrix; training rows in date order. */
export interface FoldRows {
  index: number;
  train: Int32Array;
  test: Int32Array;
  /**
   * How many of `train`'s rows (a prefix, in date order) precede the fold's last test window; the inner
   * hold-out is taken from the end of that prefix (see innerHoldout). Omitted: all of them (forward schemes).
   */
  trainBeforeLastTest?: number;
}

/**
 * Splits a fold's training rows into the rows that fit and the inner hold-out that picks the iteration.
 * The hold-out is the latest `size` training rows that precede a test window: for the forward schemes the
 * end of the training window, as before; for CPCV, whose training rows lie on both sides of its test
 * groups, the training rows just before the last test group. Those are followed only by purged, gap or
 * test days and so have fitting rows on one side only, as in walk-forward; a hold-out taken between test
 * groups elsewhere, or between fitting rows, would be scored by a model fitted on the days right after
 * it (whose features read its games), making early stopping optimistic. When fewer than `size` rows precede
 * any test group (the test groups open the data), the latest training rows are used: they too have fitting
 * rows on one side only. Every candidate was purged and embargoed against the test groups already, so no
 * choice here lets the test games pick their own model.
 */
export function innerHoldout(fold: FoldRows, size: number): { fitRows: Int32Array; innerRows: Int32Array } {
  const n = fold.train.length;
  const before = fold.trainBeforeLastTest ?? n;
  const end = before >= size ? before : n;
  const innerRows = fold.train.subarray(end - size, end);
  if (end === n) return { fitRows: fold.train.subarray(0, n - size), innerRows };
  const fitRows = new Int32Array(n - size);
  fitRows.set(fold.train.subarray(0, end - size), 0);
  fitRows.set(fold.train.subarray(end), end - size);
  return { fitRows, innerRows };
}

export interface FitFoldsInput extends BoostingOptions, FoldFitOptions {
  /** The whole CV matrix, row-major, in date order; folds index into it. */
  x: Float64Array;
  y: Float64Array;
  rows: number;
  cols: number;
  featureNames: string[];
  folds: FoldRows[];
}

export interface CvFoldResult {
  index: number;
  bestIteration: number;
  trainRows: number;
  innerValidRows: number;
  /** Out-of-fold predictions, aligned with the fold's test rows. */
  pred: Float64Array;
  metrics: ModelMetrics;
  reliability: ReliabilityBin[];
  importanceGain: Float64Array;
  importanceSplit: Float64Array;
  /** Validation (inner) log loss per iteration; empty without early stopping. */
  validCurve: Float64Array;
}

/**
 * Trains and scores a group of CV folds. LightGBM's Dataset is a native handle that cannot cross
 * threads, so the matrix is binned once per call and every fold is cut with Dataset.subset (no
 * re-binning); the engine gives each worker one such group so folds run in parallel.
 */
export async function fitFolds(p: FitFoldsInput, steps: Steps): Promise<CvFoldResult[]> {
  const datasetParams = { ...p.params, num_threads: p.numThreads };
  const whole =
    p.datasetMode === 'subset'
      ? Dataset.fromMatrix(p.x, { rows: p.rows, cols: p.cols, label: p.y, featureNames: p.featureNames, params: datasetParams })
      : null;
  const out: CvFoldResult[] = [];
  try {
    for (const [k, fold] of p.folds.entries()) {
      steps.throwIfCancelled();
      const holdout = p.earlyStoppingRounds ? Math.max(1, Math.floor(fold.train.length * p.innerValidFraction)) : 0;
      const { fitRows, innerRows } = innerHoldout(fold, holdout);
      const build = (rows: Int32Array, reference: Dataset | null): Dataset =>
        whole
          ? whole.subset(rows)
          : Dataset.fromMatrix(pickRows(p.x, p.cols, rows), {
              rows: rows.length,
              cols: p.cols,
              label: pickValues(p.y, rows),
              featureNames: p.featureNames,
              params: datasetParams,
              ...(reference ? { reference } : {}),
            });
      const trainSet = build(fitRows, null);
      const validSet = holdout > 0 ? build(innerRows, trainSet) : null;
      try {
        const { booster, bestIteration, curves } = await boost(p, trainSet, validSet, steps, (it, total) =>
          steps.progress((k + it / total) / p.folds.length, `fold ${fold.index + 1}: iteration ${it}/${total}`),
        );
        try {
          const pred = booster.predict(pickRows(p.x, p.cols, fold.test), { rows: fold.test.length, cols: p.cols });
          const yTest = pickValues(p.y, fold.test);
          out.push({
            index: fold.index,
            bestIteration,
            trainRows: fitRows.length,
            innerValidRows: innerRows.length,
            pred,
            metrics: modelMetrics(yTest, pred),
            reliability: reliabilityCurve(yTest, pred),
            importanceGain: booster.featureImportance('gain'),
            importanceSplit: booster.featureImportance('split'),
            validCurve: curves.find((c) => c.name.startsWith('valid.'))?.values ?? new Float64Array(0),
          });
        } finally {
          booster.free();
        }
      } finally {
        validSet?.free();
        trainSet.free();
      }
    }
  } finally {
    whole?.free();
  }
  return out;
}
