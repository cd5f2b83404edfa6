// Interoperability with Python's lightgbm (what MLflow users run): models written by the binding load
// and predict the same values there, and Python trains the same trees on the same data.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset, train, type Params } from '@bullpen/lightgbm';
import { needs } from '../../support/requirements';
import { pythonLightgbmVersion, readF64, runPython, writeF64 } from './support/python';
import { treesSection } from './support/lightgbmCli';
import { hasRetrosheet, retrosheetDir, retrosheetFeatures } from './support/retrosheetFeatures';
import { sliceRows, syntheticData, type SyntheticData } from './support/syntheticData';

const version = pythonLightgbmVersion();
const ok = needs(
  'Python lightgbm 4.1.x with numpy',
  version?.startsWith('4.1.') ?? false,
  'python3 -m pip install -r test/python-requirements.txt',
);
const dir = mkdtempSync(join(tmpdir(), 'bullpen-lgb-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loads the binding's model and predicts; optionally trains the same data in Python.
const SCRIPT = `
import json, sys
import numpy as np
import lightgbm as lgb
job = json.load(open(sys.argv[1]))
X = np.fromfile(job["test"], dtype=np.float64).reshape(job["test_rows"], job["cols"])
booster = lgb.Booster(model_file=job["model"])
booster.predict(X).astype(np.float64).tofile(job["pred"])
booster.predict(X, raw_score=True).astype(np.float64).tofile(job["raw"])
if "train" in job:
    t = job["train"]
    Xt = np.fromfile(t["x"], dtype=np.float64).reshape(t["rows"], job["cols"])
    y = np.fromfile(t["y"], dtype=np.float64)
    w = np.fromfile(t["w"], dtype=np.float64) if "w" in t else None
    ds = lgb.Dataset(Xt, label=y, weight=w, categorical_feature=t["categorical"] or "auto", params=t["params"], free_raw_data=False)
    trained = lgb.train(t["params"], ds, num_boost_round=t["rounds"])
    open(t["model_out"], "w").write(trained.model_to_string())
`;

interface PythonRun {
  predictions: Float64Array;
  raw: Float64Array;
  pythonModel?: string;
}

function viaPython(
  name: string,
  modelText: string,
  test: SyntheticData,
  trainData?: SyntheticData,
  params?: Params,
  rounds?: number,
  categorical: number[] = [],
): PythonRun {
  const p = (file: string) => join(dir, `${name}-${file}`);
  writeFileSync(p('model.txt'), modelText);
  writeF64(p('test.f64'), test.data);
  const job: Record<string, unknown> = {
    test: p('test.f64'),
    test_rows: test.rows,
    cols: test.cols,
    model: p('model.txt'),
    pred: p('pred.f64'),
    raw: p('raw.f64'),
  };
  if (trainData && params && rounds) {
    writeF64(p('x.f64'), trainData.data);
    writeF64(p('y.f64'), trainData.label);
    if (trainData.weight) writeF64(p('w.f64'), trainData.weight);
    job.train = {
      x: p('x.f64'),
      y: p('y.f64'),
      ...(trainData.weight ? { w: p('w.f64') } : {}),
      rows: trainData.rows,
      params,
      rounds,
      categorical,
      model_out: p('py-model.txt'),
    };
  }
  writeFileSync(p('job.json'), JSON.stringify(job));
  runPython(SCRIPT, [p('job.json')]);
  return {
    predictions: readF64(p('pred.f64')),
    raw: readF64(p('raw.f64')),
    pythonModel: job.train ? readFileSync(p('py-model.txt'), 'utf8') : undefined,
  };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const BASE: Params = {
  deterministic: true,
  force_col_wise: true,
  seed: 42,
  num_leaves: 31,
  learning_rate: 0.1,
  min_data_in_leaf: 10,
  verbosity: -1,
  num_threads: 2,
};

async function trainBinding(set: SyntheticData, params: Params, rounds: number, categorical: number[] = []) {
  const ds = Dataset.fromMatrix(set.data, {
    rows: set.rows,
    cols: set.cols,
    label: set.label,
    weight: set.weight,
    categoricalFeatures: categorical,
    params,
  });
  return train(categorical.length ? { ...params, categorical_feature: categorical } : params, ds, { numBoostRound: rounds });
}

describe.skipIf(!ok)(`Python lightgbm ${version ?? ''}`, () => {
  it('loads a binding model with missing values, categories and weights, predicts within 1e-12 and trains the same trees', async () => {
    const set = syntheticData({ rows: 3000, cols: 10, seed: 7, missingRate: 0.1, categorical: [3], categories: 7, weights: true });
    const trainData = sliceRows(set, 0, 2500);
    const test = sliceRows(set, 2500, 3000);
    const params: Params = { ...BASE, objective: 'binary', cat_smooth: 5, min_data_per_group: 20 };
    const booster = await trainBinding(trainData, params, 30, [3]);
    const model = booster.saveModelToString();
    const py = viaPython('binary', model, test, trainData, params, 30, [3]);
    expect(maxAbsDiff(py.predictions, booster.predict(test.data, { rows: test.rows, cols: test.cols }))).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(py.raw, booster.predict(test.data, { rows: test.rows, cols: test.cols, type: 'raw' }))).toBeLessThanOrEqual(1e-12);
    expect(treesSection(py.pythonModel!)).toBe(treesSection(model));
  });

  it('loads a multiclass binding model and predicts within 1e-12', async () => {
    const set = syntheticData({ rows: 2000, cols: 6, seed: 8, missingRate: 0.05, target: 4 });
    const trainData = sliceRows(set, 0, 1600);
    const test = sliceRows(set, 1600, 2000);
    const params: Params = { ...BASE, objective: 'multiclass', num_class: 4 };
    const booster = await trainBinding(trainData, params, 10);
    const py = viaPython('multiclass', booster.saveModelToString(), test, trainData, params, 10);
    expect(maxAbsDiff(py.predictions, booster.predict(test.data, { rows: test.rows, cols: test.cols }))).toBeLessThanOrEqual(1e-12);
    expect(treesSection(py.pythonModel!)).toBe(treesSection(booster.saveModelToString()));
  });

  const real = needs('Retrosheet game logs', hasRetrosheet(), `place the shared data at ${retrosheetDir()} or set BULLPEN_SHARED_DATA`);
  it.skipIf(!real)('agrees with the binding on real Retrosheet features', async () => {
    const set = retrosheetFeatures([2016]);
    const split = Math.floor(set.rows * 0.8);
    const trainData = sliceRows(set, 0, split);
    const test = sliceRows(set, split, set.rows);
    const params: Params = { ...BASE, objective: 'binary', num_leaves: 15, min_data_in_leaf: 40 };
    const booster = await trainBinding(trainData, params, 40);
    const py = viaPython('retrosheet', booster.saveModelToString(), test, trainData, params, 40);
    expect(maxAbsDiff(py.predictions, booster.predict(test.data, { rows: test.rows, cols: test.cols }))).toBeLessThanOrEqual(1e-12);
    expect(treesSection(py.pythonModel!)).toBe(treesSection(booster.saveModelToString()));
  });
});
