// The binding against LightGBM's own command-line program built from the same source tree: with
// deterministic=true the trees and the predictions must be identical to the last bit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booster, Dataset, train, type Params } from '@bullpen/lightgbm';
import { needs } from '../../support/requirements';
import { cliPredict, cliTrain, lightgbmCli, treesSection, writeCsv } from './support/lightgbmCli';
import { hasRetrosheet, retrosheetFeatures, retrosheetDir } from './support/retrosheetFeatures';
import { sliceRows, syntheticData, type SyntheticData } from './support/syntheticData';

const dir = mkdtempSync(join(tmpdir(), 'bullpen-lgb-cli-'));
beforeAll(() => {
  lightgbmCli(); // links native/lightgbm/build-cli/bin/lightgbm from the addon's objects when absent
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return (
    a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

async function compare(
  name: string,
  trainData: SyntheticData,
  test: SyntheticData,
  params: Params,
  rounds: number,
  categorical: number[] = [],
  columnMajor = false,
) {
  const caseDir = mkdtempSync(join(dir, `${name}-`));
  const trainCsv = join(caseDir, 'train.csv');
  const testCsv = join(caseDir, 'test.csv');
  writeCsv(trainCsv, trainData);
  writeCsv(testCsv, { ...test, weight: undefined });
  const allParams: Params = categorical.length > 0 ? { ...params, categorical_feature: categorical } : params;
  const cli = cliTrain(caseDir, trainCsv, allParams, rounds);

  const ds = Dataset.fromMatrix(columnMajor ? transpose(trainData) : trainData.data, {
    rows: trainData.rows,
    cols: trainData.cols,
    rowMajor: !columnMajor,
    label: trainData.label,
    weight: trainData.weight,
    categoricalFeatures: categorical,
    params,
  });
  const booster = await train(allParams, ds, { numBoostRound: rounds });
  const model = booster.saveModelToString();
  const modelPath = join(caseDir, 'binding-model.txt');
  writeFileSync(modelPath, model);

  const types = ['normal', 'raw', 'leaf'] as const;
  const predictions = types.map((type) => ({
    type,
    binding: booster.predict(test.data, { rows: test.rows, cols: test.cols, type }),
    cli: cliPredict(caseDir, modelPath, testCsv, type).values,
  }));
  return { cliModel: cli.model, model, predictions, booster };
}

function transpose(set: SyntheticData): Float64Array {
  const out = new Float64Array(set.data.length);
  for (let r = 0; r < set.rows; r++) for (let c = 0; c < set.cols; c++) out[c * set.rows + r] = set.data[r * set.cols + c];
  return out;
}

const BASE: Params = {
  deterministic: true,
  seed: 42,
  num_leaves: 31,
  learning_rate: 0.1,
  min_data_in_leaf: 10,
  verbosity: -1,
  num_threads: 2,
};

describe('binding and LightGBM CLI from the same source', () => {
  it('grow identical trees and predict identical bits on synthetic data with missing values, categories and weights', async () => {
    const set = syntheticData({ rows: 3000, cols: 10, seed: 101, missingRate: 0.1, categorical: [2, 7], categories: 8, weights: true });
    const params: Params = {
      ...BASE,
      objective: 'binary',
      force_col_wise: true,
      bagging_fraction: 0.8,
      bagging_freq: 1,
      feature_fraction: 0.9,
      cat_smooth: 5,
      min_data_per_group: 20,
    };
    const r = await compare('binary', sliceRows(set, 0, 2500), sliceRows(set, 2500, 3000), params, 40, [2, 7]);
    expect(r.model).toMatch(/cat_threshold=/);
    expect(treesSection(r.model)).toBe(treesSection(r.cliModel));
    for (const p of r.predictions) expect(sameBits(p.binding, p.cli), `${p.type} predictions`).toBe(true);
  });

  it('grow identical trees for a multiclass objective with row-wise histograms', async () => {
    const set = syntheticData({ rows: 2400, cols: 6, seed: 202, missingRate: 0.05, target: 3 });
    const params: Params = { ...BASE, objective: 'multiclass', num_class: 3, force_row_wise: true };
    const r = await compare('multiclass', sliceRows(set, 0, 2000), sliceRows(set, 2000, 2400), params, 15);
    expect(r.booster.numTrees()).toBe(45);
    expect(treesSection(r.model)).toBe(treesSection(r.cliModel));
    for (const p of r.predictions) expect(sameBits(p.binding, p.cli), `${p.type} predictions`).toBe(true);
  });

  it('grow identical trees for regression on column-major input', async () => {
    const set = syntheticData({ rows: 1500, cols: 5, seed: 303, target: 'regression' });
    const params: Params = { ...BASE, objective: 'regression', force_col_wise: true };
    const r = await compare('regression', sliceRows(set, 0, 1200), sliceRows(set, 1200, 1500), params, 20, [], true);
    expect(treesSection(r.model)).toBe(treesSection(r.cliModel));
    for (const p of r.predictions) expect(sameBits(p.binding, p.cli), `${p.type} predictions`).toBe(true);
  });

  const ok = needs('Retrosheet game logs', hasRetrosheet(), `place the shared data at ${retrosheetDir()} or set BULLPEN_SHARED_DATA`);
  it.skipIf(!ok)('grow identical trees on real Retrosheet features (2015–2016 games)', async () => {
    const set = retrosheetFeatures([2015, 2016]);
    expect(set.rows).toBeGreaterThan(4500);
    const split = Math.floor(set.rows * 0.8);
    const params: Params = { ...BASE, objective: 'binary', force_col_wise: true, num_leaves: 15, min_data_in_leaf: 40 };
    const r = await compare('retrosheet', sliceRows(set, 0, split), sliceRows(set, split, set.rows), params, 50);
    expect(treesSection(r.model)).toBe(treesSection(r.cliModel));
    for (const p of r.predictions) expect(sameBits(p.binding, p.cli), `${p.type} predictions`).toBe(true);
    // And the CLI's model, loaded by the binding, predicts the same bits too.
    const cliBooster = Booster.fromModelString(r.cliModel);
    const test = sliceRows(set, split, set.rows);
    expect(sameBits(cliBooster.predict(test.data, { rows: test.rows, cols: test.cols }), r.predictions[0].binding)).toBe(true);
  });
});
