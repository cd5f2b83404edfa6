import { describe, expect, it } from 'vitest';
import { pathPredictions } from '../../../src-main/engine/evaluation/cv/cvPaths';
import { buildCvResults, cvRunStart, type CvSetup } from '../../../src-main/engine/evaluation/cv/cvResults';
import { trainBeforeLastTest } from '../../../src-main/engine/evaluation/cv/runCv';
import type { FeatureMatrix } from '../../../src-main/engine/modeling/featureMatrix';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  asStored,
  decodeArtifact,
  encodeArtifact,
  jobResultSchemas,
  type CvPathsArtifact,
  type OofRow,
} from '../../../src-main/shared/results';
import { innerHoldout } from '../../../src-workers/compute/boosting';
import type { CvFoldResult } from '../../../src-workers/compute/boosting/fitFolds';
import { combinatorialPurgedPlan, dayToIso, isoToDay } from '../../../src-workers/compute/cv';
import { modelMetrics, reliabilityCurve } from '../../../src-workers/compute/metrics';

/** 48 games, 2 a day over 24 consecutive days of 2016, priced on both sides, in date order (as the CV matrix is). */
function matrix(): FeatureMatrix {
  const n = 48;
  const day0 = isoToDay('2016-04-04');
  const fair = Float64Array.from({ length: n }, (_v, i) => 0.4 + ((i * 7) % 20) / 100);
  const nan = () => new Float64Array(n).fill(Number.NaN);
  return {
    setName: 'default',
    contentHash: 'c0ffee',
    materializationId: 'default@c0ffee:1',
    featureNames: ['a'],
    featureVersions: [{ name: 'a', version: 1 }],
    target: 'home_win',
    rows: n,
    cols: 1,
    gameIds: Array.from({ length: n }, (_v, i) => `G${i}`),
    dates: Array.from({ length: n }, (_v, i) => dayToIso(day0 + Math.floor(i / 2))),
    seasons: new Int32Array(n).fill(2016),
    features: Float64Array.from({ length: n }, (_v, i) => i % 5),
    label: Float64Array.from({ length: n }, (_v, i) => ((i * 13) % 10 < 5 ? 1 : 0)),
    odds: {
      homeClose: Float64Array.from(fair, (x) => 1 / (x * 1.02)),
      awayClose: Float64Array.from(fair, (x) => 1 / ((1 - x) * 1.02)),
      homeOpen: nan(),
      awayOpen: nan(),
      totalLine: nan(),
      overPrice: nan(),
      underPrice: nan(),
      runlineHome: nan(),
      runlineHomePrice: nan(),
      runlineAwayPrice: nan(),
    },
    synthetic: true,
  };
}

const setup: CvSetup = {
  target: 'home_win',
  features: 'default',
  params: { objective: 'binary' },
  numBoostRound: 50,
  earlyStoppingRounds: 5,
  seed: 1,
};

describe('cpcv results: one out-of-fold row per (game, split), paths.json, metrics over the paths', () => {
  const m = matrix();
  // N = 4 groups of 12 games (6 days), k = 2: 6 splits, φ = 3 paths; lookback 0 and no gap or embargo keep every fold non-empty.
  const plan = combinatorialPurgedPlan({ dates: m.dates, lookbackDays: 0 }, { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 0 });
  // Every split predicts differently, so a row taken from the wrong split shows.
  const results: CvFoldResult[] = plan.folds.map((f) => {
    const pred = Float64Array.from(f.test, (row) => 0.2 + 0.1 * f.index + ((row * 7) % 10) / 100);
    const y = Float64Array.from(f.test, (row) => m.label[row]);
    return {
      index: f.index,
      bestIteration: 3,
      trainRows: f.train.length,
      innerValidRows: 0,
      pred,
      metrics: modelMetrics(y, pred),
      reliability: reliabilityCurve(y, pred),
      importanceGain: Float64Array.of(1),
      importanceSplit: Float64Array.of(1),
      validCurve: new Float64Array(0),
    };
  });
  const { value, results: run } = buildCvResults(m, plan.folds, results, 'cpcv-x', { scheme: 'cpcv' }, setup, 5, plan);
  const artifact = <T>(name: string) => run.artifacts?.find((a) => a.name === name)?.value as T;
  const oof = artifact<OofRow[]>('oof.csv');
  const paths = artifact<CvPathsArtifact>('paths.json');

  it('writes each game once per split that tested its group, fold = split index + 1, with that split’s prediction', () => {
    expect(oof).toHaveLength(48 * 3);
    // G0 (days 0–5, games 0–11) is tested by s0 {0,1}, s1 {0,2}, s2 {0,3}; G3 (games 36–47) by s2, s4 {1,3}, s5 {2,3}.
    expect(oof.filter((r) => r.gameId === 'G5').map((r) => r.fold)).toEqual([1, 2, 3]);
    expect(oof.filter((r) => r.gameId === 'G40').map((r) => r.fold)).toEqual([3, 5, 6]);
    for (const r of oof) {
      const row = Number(r.gameId.slice(1));
      expect(r.p).toBeCloseTo(0.2 + 0.1 * (r.fold - 1) + ((row * 7) % 10) / 100, 12);
    }
    expect(paths).toEqual({
      groups: [
        { index: 0, start: '2016-04-04', end: '2016-04-09', games: 12 },
        { index: 1, start: '2016-04-10', end: '2016-04-15', games: 12 },
        { index: 2, start: '2016-04-16', end: '2016-04-21', games: 12 },
        { index: 3, start: '2016-04-22', end: '2016-04-27', games: 12 },
      ],
      testGroups: 2,
      splits: [
        { index: 0, testGroups: [0, 1] },
        { index: 1, testGroups: [0, 2] },
        { index: 2, testGroups: [0, 3] },
        { index: 3, testGroups: [1, 2] },
        { index: 4, testGroups: [1, 3] },
        { index: 5, testGroups: [2, 3] },
      ],
      paths: [
        [0, 0, 1, 2],
        [1, 3, 3, 4],
        [2, 4, 5, 5],
      ],
    });
    expect(value.folds[1]).toMatchObject({
      testGroups: [0, 2],
      testWindows: [
        { start: '2016-04-04', end: '2016-04-09' },
        { start: '2016-04-16', end: '2016-04-21' },
      ],
      testStart: '2016-04-04',
      testEnd: '2016-04-21',
    });
    for (const a of run.artifacts ?? []) expect(() => encodeArtifact(a.name, a.value as never), a.name).not.toThrow();
    expect(jobResultSchemas['ml.cv'].safeParse(asStored({ ...value, runId: 'r' })).success).toBe(true);
  });

  it('pathPredictions assembles every path from the stored text, and the headline metrics are the mean over those paths', () => {
    // Through the stored form, as the lead's validation reads it.
    const storedOof = decodeArtifact('oof.csv', encodeArtifact('oof.csv', oof).content);
    const storedPaths = decodeArtifact('paths.json', encodeArtifact('paths.json', paths).content);
    if (!storedOof.ok || !storedPaths.ok) throw new Error('stored artifacts must read back');
    const assembled = pathPredictions(storedOof.data, storedPaths.data);
    expect(assembled).toHaveLength(3);
    // Path 1 takes s1 for G0, s3 for G1 and G2, s4 for G3.
    const splitOf = (row: number) => [1, 3, 3, 4][Math.floor(row / 12)];
    for (let row = 0; row < 48; row++) {
      expect(assembled[1].get(`G${row}`)).toBeCloseTo(0.2 + 0.1 * splitOf(row) + ((row * 7) % 10) / 100, 12);
    }
    const y = m.label;
    const perPath = assembled.map((path) =>
      modelMetrics(
        y,
        Float64Array.from(m.gameIds, (id) => path.get(id)!),
      ),
    );
    const mean = (k: 'logLoss' | 'auc' | 'ece' | 'accuracy') => perPath.reduce((a, p) => a + p[k], 0) / perPath.length;
    expect(value.metricsOn).toBe('mean over paths');
    expect(value.metrics.games).toBe(48);
    expect(value.metrics.logLoss).toBeCloseTo(mean('logLoss'), 12);
    expect(value.metrics.auc).toBeCloseTo(mean('auc'), 12);
    expect(value.metrics.ece).toBeCloseTo(mean('ece'), 12);
    // For log loss the mean over paths is the log loss over every out-of-fold row (each row lies on one path).
    const pooled = modelMetrics(
      Float64Array.from(oof, (r) => r.label),
      Float64Array.from(oof, (r) => r.p),
    );
    expect(value.metrics.logLoss).toBeCloseTo(pooled.logLoss, 12);
    expect(value.metrics.accuracy).toBeCloseTo(pooled.accuracy, 12);
  });

  it('refuses oof rows and paths of different runs, and an incomplete oof.csv', () => {
    const fail = (rows: OofRow[]) => {
      try {
        pathPredictions(rows, paths);
      } catch (err) {
        expect(err).toBeInstanceOf(BullpenError);
        return err as BullpenError;
      }
      throw new Error('expected a refusal');
    };
    // Fold 4 (s3 {1,2}) never tested G0.
    const wrong = fail(oof.map((r) => (r.gameId === 'G0' && r.fold === 1 ? { ...r, fold: 4 } : r)));
    expect(wrong.code).toBe('CV_PATHS_MISMATCH');
    expect(wrong.message).toMatch(/game G0 \(2016-04-04, fold 4\).*split 4 does not test its group 1/);
    expect(fail(oof.map((r) => (r.gameId === 'G0' ? { ...r, date: '2016-03-01' } : r))).message).toMatch(/in no group/);
    expect(fail(oof.filter((r) => !(r.gameId === 'G47' && r.fold === 6))).message).toMatch(/path 3 predicts 47 of the 48/);
  });

  it('records N, k, the splits and the paths as run parameters (no day windows)', () => {
    const start = cvRunStart(
      m,
      setup,
      { scheme: 'cpcv', groups: 4, testGroups: 2, splits: 5, trainDays: 90, testDays: 30, gap: 0, embargo: 0 },
      'cpcv-x',
      'job',
      1,
    );
    expect(start.params).toMatchObject({ scheme: 'cpcv', groups: 4, testGroups: 2, splits: 6, paths: 3, gap: 0, embargo: 0 });
    expect(start.params).not.toHaveProperty('trainDays');
  });
});

describe('the inner early-stopping hold-out of a fold', () => {
  const train = Int32Array.from({ length: 20 }, (_v, i) => i * 2);

  it('is the latest training rows for the forward schemes (all training precedes the test window)', () => {
    const { fitRows, innerRows } = innerHoldout({ index: 0, train, test: Int32Array.of(41) }, 3);
    expect(Array.from(innerRows)).toEqual([34, 36, 38]);
    expect(Array.from(fitRows)).toEqual(Array.from(train.subarray(0, 17)));
  });

  it('is the training rows just before the last test group for cpcv, the rows after it still fitting', () => {
    // 12 training rows precede the last test group: the hold-out is rows 9–11 of train; 0–8 and 12–19 fit.
    const { fitRows, innerRows } = innerHoldout({ index: 0, train, test: Int32Array.of(25), trainBeforeLastTest: 12 }, 3);
    expect(Array.from(innerRows)).toEqual([18, 20, 22]);
    expect(Array.from(fitRows)).toEqual([...Array.from(train.subarray(0, 9)), ...Array.from(train.subarray(12))]);
  });

  it('is placed by the engine at the training rows before the last test group of each cpcv split', () => {
    const m = matrix();
    const { folds } = combinatorialPurgedPlan(
      { dates: m.dates, lookbackDays: 0 },
      { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 0 },
    );
    // Groups of 12 rows. s1 {0,2} trains on G1 (rows 12–23) and G3 (36–47): 12 precede G2. s0 {0,1}: none precede G1's
    // training rows (they all follow it). s5 {2,3}: all 24 (G0, G1) precede G3. s4 {1,3}: G0 and G2 precede G3.
    expect(folds.map((f) => trainBeforeLastTest(f, m.dates))).toEqual([0, 12, 24, 12, 24, 24]);
  });

  it('falls back to the latest training rows when too few precede any test group', () => {
    const { fitRows, innerRows } = innerHoldout({ index: 0, train, test: Int32Array.of(1), trainBeforeLastTest: 2 }, 3);
    expect(Array.from(innerRows)).toEqual([34, 36, 38]);
    expect(fitRows).toHaveLength(17);
  });
});
