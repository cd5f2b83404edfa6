/**
 * The feature matrix and CV folds Bullpen's sweep trains on, written for the Python side of
 * bench/sweeps.ts: the matrix as the engine's own loadFeatureMatrix returns it, to Parquet through DuckDB
 * (NaN kept as NaN, which LightGBM reads as missing, as the binding does), and the folds from the engine's
 * cvPlan with each fold's inner early-stopping hold-out already cut by the worker's own innerHoldout, as
 * JSON row indices. A checksum over the values lets the Python side prove it read the same numbers.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { cvPlan, trainBeforeLastTest } from '../../src-main/engine/evaluation/cv/runCv';
import type { FeatureMatrix } from '../../src-main/engine/modeling/featureMatrix';
import { innerHoldout } from '../../src-workers/compute/boosting';

/** The ml.optimize defaults (5-split walk-forward, 90/30/1/1). */
export const SWEEP_CV = { scheme: 'walk-forward', splits: 5, trainDays: 90, testDays: 30, gap: 1, embargo: 1 } as const;
/** fitFolds' and the sweep session's share of a fold's training rows held out for early stopping. */
export const INNER_VALID_FRACTION = 0.1;

export interface ExportedFold {
  index: number;
  /** Rows the booster fits on. */
  fit: number[];
  /** The inner hold-out that early stopping watches (the latest training rows before the last test window). */
  inner: number[];
  test: number[];
  testStart: string;
  testEnd: string;
}

export interface MatrixExport {
  parquet: string;
  foldsJson: string;
  rows: number;
  cols: number;
  featureNames: string[];
  /** sha256 of features then labels as little-endian float64, row-major, every NaN as the canonical quiet NaN. */
  checksum: string;
  folds: ExportedFold[];
}

const CANONICAL_NAN = Buffer.from([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);

/** The checksum the Python runner recomputes from what it read (see matrix_checksum in optuna_sweep.py). */
export function matrixChecksum(features: Float64Array, label: Float64Array): string {
  const h = createHash('sha256');
  for (const arr of [features, label]) {
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    const copy = Buffer.from(bytes);
    for (let i = 0; i < arr.length; i++) if (Number.isNaN(arr[i])) CANONICAL_NAN.copy(copy, i * 8);
    h.update(copy);
  }
  return h.digest('hex');
}

/** The folds exactly as a sweep trial trains them: fit rows, inner hold-out, test rows. */
export function exportedFolds(m: FeatureMatrix): ExportedFold[] {
  const { folds } = cvPlan(m, SWEEP_CV);
  return folds.map((f) => {
    const rows = { index: f.index, train: f.train, test: f.test, trainBeforeLastTest: trainBeforeLastTest(f, m.dates) };
    const size = Math.max(1, Math.floor(f.train.length * INNER_VALID_FRACTION));
    const { fitRows, innerRows } = innerHoldout(rows, size);
    return {
      index: f.index,
      fit: [...fitRows],
      inner: [...innerRows],
      test: [...f.test],
      testStart: f.boundaries.testStart,
      testEnd: f.boundaries.testEnd,
    };
  });
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Writes `<base>.parquet` (row, game_id, date, season, label, one DOUBLE per feature) and `<base>.folds.json`. */
export async function exportMatrix(m: FeatureMatrix, base: string): Promise<MatrixExport> {
  const parquet = `${base}.parquet`;
  const foldsJson = `${base}.folds.json`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const cols = m.featureNames.map((n) => `${quote(n)} DOUBLE`).join(', ');
    await connection.run(`CREATE TABLE matrix ("row" INTEGER, game_id VARCHAR, "date" VARCHAR, season INTEGER, label DOUBLE, ${cols})`);
    const appender = await connection.createAppender('matrix');
    try {
      for (let r = 0; r < m.rows; r++) {
        appender.appendInteger(r);
        appender.appendVarchar(m.gameIds[r]);
        appender.appendVarchar(m.dates[r]);
        appender.appendInteger(m.seasons[r]);
        appender.appendDouble(m.label[r]);
        for (let c = 0; c < m.cols; c++) appender.appendDouble(m.features[r * m.cols + c]);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await connection.run(`COPY (SELECT * FROM matrix ORDER BY "row") TO '${parquet.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const folds = exportedFolds(m);
  const checksum = matrixChecksum(m.features, m.label);
  writeFileSync(foldsJson, JSON.stringify({ rows: m.rows, cols: m.cols, featureNames: m.featureNames, checksum, folds }));
  return { parquet, foldsJson, rows: m.rows, cols: m.cols, featureNames: m.featureNames, checksum, folds };
}
