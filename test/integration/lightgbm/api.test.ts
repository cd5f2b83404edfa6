// Every public function of @bullpen/lightgbm against the real addon, on small synthetic data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Booster,
  Dataset,
  checkDatasetParams,
  getMaxThreads,
  renderParams,
  setMaxThreads,
  train,
  trainWithResult,
} from '@bullpen/lightgbm';
import { sliceRows, syntheticData } from './support/syntheticData';

const QUIET = { verbosity: -1 } as const;
const BINARY = {
  objective: 'binary',
  metric: 'binary_logloss',
  num_leaves: 15,
  learning_rate: 0.1,
  seed: 7,
  deterministic: true,
  force_row_wise: true,
  ...QUIET,
};
const all = syntheticData({ rows: 3000, cols: 8, seed: 11, missingRate: 0.05 });
const trainPart = sliceRows(all, 0, 2000);
const validPart = sliceRows(all, 2000, 3000);
const dir = mkdtempSync(join(tmpdir(), 'bullpen-lgb-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trainSet(params: Record<string, number | string | boolean> = QUIET): Dataset {
  return Dataset.fromMatrix(trainPart.data, { rows: trainPart.rows, cols: trainPart.cols, label: trainPart.label, params });
}

describe('Dataset', () => {
  it('reports rows, features, names and fields it was built with', () => {
    const names = Array.from({ length: 8 }, (_, i) => `f${i}`);
    const ds = Dataset.fromMatrix(trainPart.data, {
      rows: trainPart.rows,
      cols: 8,
      label: trainPart.label,
      weight: new Float64Array(2000).fill(2),
      initScore: new Float64Array(2000).fill(0.25),
      featureNames: names,
      params: QUIET,
    });
    expect(ds.numData()).toBe(2000);
    expect(ds.numFeature()).toBe(8);
    expect(ds.featureNames()).toEqual(names);
    expect(Array.from(ds.getField('label')!.slice(0, 5))).toEqual(Array.from(trainPart.label.slice(0, 5)));
    expect(ds.getField('weight')![10]).toBe(2);
    expect(ds.getField('init_score')![3]).toBe(0.25);
    expect(ds.getField('group')).toBeNull();
    expect(ds.featureNumBin(0)).toBeGreaterThan(10);
    ds.free();
  });

  it('reads column-major and Float32Array data into the same bins as row-major Float64Array', () => {
    const colMajor = new Float64Array(trainPart.data.length);
    for (let r = 0; r < trainPart.rows; r++) for (let c = 0; c < 8; c++) colMajor[c * trainPart.rows + r] = trainPart.data[r * 8 + c];
    const a = trainSet();
    const b = Dataset.fromMatrix(colMajor, { rows: 2000, cols: 8, rowMajor: false, label: trainPart.label, params: QUIET });
    const c = Dataset.fromMatrix(Float32Array.from(trainPart.data), { rows: 2000, cols: 8, label: trainPart.label, params: QUIET });
    const modelOf = (ds: Dataset) => {
      const booster = new Booster(BINARY, ds);
      for (let i = 0; i < 5; i++) booster.updateOneIter();
      return booster.saveModelToString().split('parameters:')[0];
    };
    expect(modelOf(b)).toBe(modelOf(a));
    expect(modelOf(c)).toContain('Tree=4');
  });

  it('subsets rows without re-binning and validates the indices', () => {
    const ds = trainSet();
    const sub = ds.subset(Array.from({ length: 500 }, (_, i) => i * 2));
    expect(sub.numData()).toBe(500);
    expect(sub.numFeature()).toBe(8);
    expect(sub.getField('label')![1]).toBe(trainPart.label[2]);
    expect(() => ds.subset([5, 3])).toThrow(/strictly increasing/);
    expect(() => ds.subset([0, 99999])).toThrow(/outside/);
    const booster = new Booster(BINARY, sub);
    expect(booster.updateOneIter()).toBe(false);
  });

  it('marks categorical features by index or name', () => {
    const cat = syntheticData({ rows: 1000, cols: 4, seed: 3, categorical: [1], categories: 5 });
    const ds = Dataset.fromMatrix(cat.data, {
      rows: 1000,
      cols: 4,
      label: cat.label,
      featureNames: ['a', 'b', 'c', 'd'],
      categoricalFeatures: ['b'],
      params: QUIET,
    });
    expect(ds.params.categorical_feature).toEqual([1]);
    const booster = new Booster({ ...BINARY, min_data_per_group: 5, cat_smooth: 1 }, ds);
    for (let i = 0; i < 10; i++) booster.updateOneIter();
    expect(booster.saveModelToString()).toMatch(/cat_threshold=/);
    expect(() => Dataset.fromMatrix(cat.data, { rows: 1000, cols: 4, label: cat.label, categoricalFeatures: ['zz'] })).toThrow(
      /not a column/,
    );
  });
});

describe('wrong shapes and types', () => {
  it('rejects data whose length is not rows × cols', () => {
    expect(() => Dataset.fromMatrix(new Float64Array(10), { rows: 3, cols: 3, label: [0, 1, 0] })).toThrow(RangeError);
  });
  it('rejects data that is not a float typed array', () => {
    expect(() => Dataset.fromMatrix(new Int32Array(9) as unknown as Float64Array, { rows: 3, cols: 3, label: [0, 1, 0] })).toThrow(
      TypeError,
    );
    expect(() => Dataset.fromMatrix([1, 2, 3] as unknown as Float64Array, { rows: 1, cols: 3, label: [0] })).toThrow(TypeError);
  });
  it('rejects labels, weights, names and init scores of the wrong length', () => {
    const data = new Float64Array(9);
    expect(() => Dataset.fromMatrix(data, { rows: 3, cols: 3, label: [0, 1] })).toThrow(/label has 2 values, expected 3/);
    expect(() => Dataset.fromMatrix(data, { rows: 3, cols: 3, label: [0, 1, 1], weight: [1] })).toThrow(/weight/);
    expect(() => Dataset.fromMatrix(data, { rows: 3, cols: 3, label: [0, 1, 1], featureNames: ['a'] })).toThrow(/featureNames/);
    expect(() => Dataset.fromMatrix(data, { rows: 3, cols: 3, label: [0, 1, 1], initScore: [1, 2] })).toThrow(/initScore/);
  });
  it('rejects predictions with a different number of columns than the model', () => {
    const booster = new Booster(BINARY, trainSet());
    booster.updateOneIter();
    expect(() => booster.predict(new Float64Array(14), { rows: 2, cols: 7 })).toThrow(/8 features but data has 7 columns/);
    expect(() => booster.predict(new Float64Array(16), { rows: 2, cols: 8, type: 'bogus' as 'raw' })).toThrow(/unknown prediction type/);
  });
  it('turns LightGBM errors into Errors carrying its message', () => {
    expect(() => new Booster({ objective: 'no_such_objective', ...QUIET }, trainSet())).toThrow(
      /LightGBM: Unknown objective type name: no_such_objective/,
    );
    expect(() => Booster.fromModelString('not a model')).toThrow(/LightGBM: /);
    expect(() => Booster.fromModelFile(join(dir, 'missing.txt'))).toThrow(/LightGBM: /);
    expect(() => renderParams({ objective: 'a b' })).toThrow(/whitespace/);
    expect(() => renderParams({ 'bad key': 1 })).toThrow(/invalid LightGBM parameter name/);
    expect(() => renderParams({ learning_rate: Number.NaN })).toThrow(/finite/);
  });
  it('passes on the refusal by LightGBM of labels outside [0, 1] for cross_entropy', () => {
    const ds = Dataset.fromMatrix(trainPart.data, {
      rows: 2000,
      cols: 8,
      label: Float64Array.from(trainPart.label, (v) => v * 3),
      params: QUIET,
    });
    expect(() => new Booster({ ...BINARY, objective: 'cross_entropy' }, ds)).toThrow(/LightGBM: \[cross_entropy\]: does not tolerate/);
  });
});

describe('NaN and Infinity', () => {
  it('treats NaN as missing and keeps Infinity finite in predictions', () => {
    const data = Float64Array.from(trainPart.data);
    for (let i = 0; i < data.length; i += 7) data[i] = Number.POSITIVE_INFINITY;
    for (let i = 3; i < data.length; i += 11) data[i] = Number.NEGATIVE_INFINITY;
    const ds = Dataset.fromMatrix(data, { rows: 2000, cols: 8, label: trainPart.label, params: QUIET });
    const booster = new Booster(BINARY, ds);
    for (let i = 0; i < 10; i++) booster.updateOneIter();
    const probe = new Float64Array(16).fill(Number.NaN);
    probe.fill(Number.POSITIVE_INFINITY, 8);
    const p = booster.predict(probe, { rows: 2, cols: 8 });
    expect(p.every((v) => Number.isFinite(v) && v > 0 && v < 1)).toBe(true);
    expect(JSON.stringify(booster.dumpModel())).toMatch(/"missing_type":"NaN"/);
  });
  it('rejects NaN or infinite labels and weights, which LightGBM would silently accept', () => {
    const label = Float64Array.from(trainPart.label);
    label[5] = Number.NaN;
    expect(() => Dataset.fromMatrix(trainPart.data, { rows: 2000, cols: 8, label, params: QUIET })).toThrow(/label\[5\] is NaN/);
    const weight = new Float64Array(2000).fill(1);
    weight[9] = Number.POSITIVE_INFINITY;
    expect(() => Dataset.fromMatrix(trainPart.data, { rows: 2000, cols: 8, label: trainPart.label, weight, params: QUIET })).toThrow(
      /weight\[9\] is Infinity/,
    );
  });
});

describe('Booster', () => {
  it('trains, evaluates, rolls back and resets parameters iteration by iteration', () => {
    const ds = trainSet();
    const valid = Dataset.fromMatrix(validPart.data, { rows: 1000, cols: 8, label: validPart.label, reference: ds });
    const booster = new Booster({ ...BINARY, metric: ['binary_logloss', 'auc'] }, ds);
    expect(booster.addValidData(valid, 'valid')).toBe(1);
    expect(booster.evalNames()).toEqual(['binary_logloss', 'auc']);
    expect(booster.dataSetNames()).toEqual(['training', 'valid']);
    for (let i = 0; i < 5; i++) expect(booster.updateOneIter()).toBe(false);
    expect(booster.currentIteration()).toBe(5);
    const before = booster.eval(1);
    expect(before[1]).toBeGreaterThan(0.6);
    booster.updateOneIter();
    booster.rollbackOneIter();
    expect(booster.currentIteration()).toBe(5);
    // Rolling back subtracts the tree's scores again, so metrics match up to rounding.
    booster.eval(1).forEach((v, i) => expect(v).toBeCloseTo(before[i], 3));
    expect(booster.evalAll().map((e) => `${e.dataName}:${e.metric}:${e.higherBetter}`)).toEqual([
      'training:binary_logloss:false',
      'training:auc:true',
      'valid:binary_logloss:false',
      'valid:auc:true',
    ]);
    booster.resetParameter({ learning_rate: 0.5 });
    booster.updateOneIter();
    expect(booster.saveModelToString()).toMatch(/\[learning_rate: 0.5\]/);
    expect(() => booster.eval(2)).toThrow(/dataIndex 2/);
    expect(booster.numFeature()).toBe(8);
    expect(booster.numClasses()).toBe(1);
    expect(booster.featureNames()).toHaveLength(8);
  });

  it('predicts normal, raw, leaf and contrib outputs of the documented shapes', () => {
    const booster = new Booster(BINARY, trainSet());
    for (let i = 0; i < 8; i++) booster.updateOneIter();
    const rows = 20;
    const x = validPart.data.slice(0, rows * 8);
    const normal = booster.predict(x, { rows, cols: 8 });
    const raw = booster.predict(x, { rows, cols: 8, type: 'raw' });
    const leaf = booster.predict(x, { rows, cols: 8, type: 'leaf' });
    const contrib = booster.predict(x, { rows, cols: 8, type: 'contrib' });
    expect(normal).toHaveLength(rows);
    expect(normal[0]).toBeCloseTo(1 / (1 + Math.exp(-raw[0])), 14);
    expect(leaf).toHaveLength(rows * 8);
    expect(leaf.every((v) => Number.isInteger(v) && v >= 0 && v < 15)).toBe(true);
    expect(contrib).toHaveLength(rows * 9);
    const sum = contrib.slice(0, 9).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(raw[0], 10);
    const firstThree = booster.predict(x, { rows, cols: 8, type: 'raw', numIteration: 3 });
    const rest = booster.predict(x, { rows, cols: 8, type: 'raw', startIteration: 3 });
    expect(firstThree[0] + rest[0]).toBeCloseTo(raw[0], 12);
  });

  it('predicts multiclass probabilities row by row', () => {
    const multi = syntheticData({ rows: 1500, cols: 6, seed: 5, target: 3 });
    const ds = Dataset.fromMatrix(multi.data, { rows: 1500, cols: 6, label: multi.label, params: QUIET });
    const booster = new Booster({ objective: 'multiclass', num_class: 3, ...QUIET }, ds);
    for (let i = 0; i < 5; i++) booster.updateOneIter();
    expect(booster.numClasses()).toBe(3);
    expect(booster.numModelPerIteration()).toBe(3);
    expect(booster.numTrees()).toBe(15);
    const p = booster.predict(multi.data.slice(0, 12), { rows: 2, cols: 6 });
    expect(p).toHaveLength(6);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
  });

  it('reports split and gain importance per feature', () => {
    const booster = new Booster(BINARY, trainSet());
    for (let i = 0; i < 10; i++) booster.updateOneIter();
    const split = booster.featureImportance('split');
    const gain = booster.featureImportance('gain');
    expect(split).toHaveLength(8);
    expect(split.reduce((a, b) => a + b, 0)).toBe(10 * 14);
    expect(gain.every((g) => g >= 0)).toBe(true);
    expect(booster.featureImportance('split', 1).reduce((a, b) => a + b, 0)).toBe(14);
  });

  it('round-trips a model through a string and a file with identical text and predictions', () => {
    const booster = new Booster(BINARY, trainSet());
    for (let i = 0; i < 10; i++) booster.updateOneIter();
    const text = booster.saveModelToString();
    const fromString = Booster.fromModelString(text);
    expect(fromString.saveModelToString()).toBe(text);
    const path = join(dir, 'model.txt');
    booster.saveModel(path);
    expect(readFileSync(path, 'utf8')).toBe(text);
    const fromFile = Booster.fromModelFile(path);
    const x = validPart.data;
    const expected = booster.predict(x, { rows: 1000, cols: 8 });
    expect(fromString.predict(x, { rows: 1000, cols: 8 })).toEqual(expected);
    expect(fromFile.predict(x, { rows: 1000, cols: 8 })).toEqual(expected);
    expect(fromFile.currentIteration()).toBe(10);
    expect(fromFile.loadedParams()).toMatchObject({ objective: 'binary', num_leaves: 15 });
    expect(() => fromFile.updateOneIter()).toThrow(/no training data/);
    const partial = booster.saveModelToString({ numIteration: 4 });
    expect(Booster.fromModelString(partial).currentIteration()).toBe(4);
    const dump = booster.dumpModel() as { tree_info: unknown[]; feature_names: string[] };
    expect(dump.tree_info).toHaveLength(10);
    expect(dump.feature_names).toHaveLength(8);
  });
});

describe('train', () => {
  it('reports every iteration to callbacks and stops early keeping the best iteration', async () => {
    const ds = trainSet({ ...QUIET, min_data_in_leaf: 2 });
    const valid = Dataset.fromMatrix(validPart.data, { rows: 1000, cols: 8, label: validPart.label, reference: ds });
    const seen: number[] = [];
    // A high learning rate overfits fast, so validation loss turns up well before 300 rounds.
    const result = await trainWithResult({ ...BINARY, learning_rate: 0.8, num_leaves: 63, min_data_in_leaf: 2 }, ds, {
      numBoostRound: 300,
      validSets: [ds, valid],
      validNames: ['train', 'valid'],
      earlyStoppingRounds: 5,
      callbacks: [
        ({ iteration, evaluations }) => {
          seen.push(iteration);
          expect(evaluations.map((e) => e.dataName)).toEqual(['train', 'valid']);
        },
      ],
    });
    const { booster, bestIteration } = result;
    expect(seen[0]).toBe(1);
    expect(booster.currentIteration()).toBe(bestIteration + 5);
    expect(booster.bestIteration).toBe(bestIteration);
    expect(result.bestScore.find((e) => e.dataName === 'valid')!.value).toBeLessThan(0.69);
    const x = validPart.data;
    expect(booster.predict(x, { rows: 1000, cols: 8 })).toEqual(booster.predict(x, { rows: 1000, cols: 8, numIteration: bestIteration }));
    expect(Booster.fromModelString(booster.saveModelToString()).currentIteration()).toBe(bestIteration);
  });

  it('stops when a callback says stop', async () => {
    const booster = await train(BINARY, trainSet(), {
      numBoostRound: 50,
      callbacks: [({ iteration }) => (iteration === 7 ? 'stop' : undefined)],
    });
    expect(booster.currentIteration()).toBe(7);
  });

  it('is cancelled mid-way by an AbortSignal and frees its booster', async () => {
    const controller = new AbortController();
    let captured: Booster | undefined;
    const run = train(BINARY, trainSet(), {
      numBoostRound: 1000,
      signal: controller.signal,
      callbacks: [
        ({ iteration, booster }) => {
          captured = booster;
          if (iteration === 3) controller.abort(new Error('user cancelled'));
        },
      ],
    });
    await expect(run).rejects.toThrow('user cancelled');
    expect(captured!.freed).toBe(true);
    await expect(train(BINARY, trainSet(), { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('keeps the training set out of early stopping whatever it is named, also at the last round', async () => {
    const ds = trainSet({ ...QUIET, min_data_in_leaf: 2 });
    const valid = Dataset.fromMatrix(validPart.data, { rows: 1000, cols: 8, label: validPart.label, reference: ds });
    const validLoss: number[] = [];
    // Patience longer than the run: training ends at round 40 and the best iteration must be the
    // validation set's, not the always-improving training loss listed first.
    const result = await trainWithResult({ ...BINARY, learning_rate: 0.8, num_leaves: 63, min_data_in_leaf: 2 }, ds, {
      numBoostRound: 40,
      validSets: [ds, valid],
      validNames: ['train', 'valid'],
      earlyStoppingRounds: 1000,
      callbacks: [
        ({ evaluations }) => {
          validLoss.push(evaluations.find((e) => e.dataName === 'valid')!.value);
        },
      ],
    });
    const best = validLoss.indexOf(Math.min(...validLoss)) + 1;
    expect(best).toBeLessThan(40);
    expect(result.bestIteration).toBe(best);
    expect(result.booster.bestIteration).toBe(best);
  });

  it('refuses options of the wrong type before training', async () => {
    const valid = trainSet();
    await expect(train(BINARY, trainSet(), { validSets: [valid], validNames: [3 as unknown as string] })).rejects.toThrow(TypeError);
    await expect(train(BINARY, trainSet(), { callbacks: [5 as unknown as () => void] })).rejects.toThrow(/callbacks must be functions/);
    await expect(train(BINARY, trainSet(), { signal: 'stop' as unknown as AbortSignal })).rejects.toThrow(/signal must be an AbortSignal/);
  });

  it('validates its options', async () => {
    await expect(train(BINARY, trainSet(), { numBoostRound: 0 })).rejects.toThrow(/numBoostRound/);
    await expect(train(BINARY, trainSet(), { validSets: [trainSet()], validNames: [] })).rejects.toThrow(/validNames/);
    await expect(train(BINARY, trainSet(), { earlyStoppingRounds: 3 })).rejects.toThrow(/validation set/);
  });
});

describe('arguments of the wrong type', () => {
  it('get a clear TypeError or RangeError instead of a JavaScript internals message', () => {
    const ds = trainSet();
    const x = trainPart.data;
    expect(() => Dataset.fromMatrix(x, undefined as unknown as { rows: number; cols: number; label: number[] })).toThrow(/needs options/);
    expect(() => Dataset.fromMatrix(x, { rows: 2000, cols: 8, label: trainPart.label, reference: {} as Dataset })).toThrow(
      /reference must be a Dataset/,
    );
    expect(() =>
      Dataset.fromMatrix(x, { rows: 2000, cols: 8, label: trainPart.label, params: 'max_bin=63' as unknown as Record<string, number> }),
    ).toThrow(/parameters must be an object/);
    // A fractional row index would silently select another row.
    expect(() => ds.subset([0.5, 2])).toThrow(/rowIndices\[0\] is 0.5/);
    const booster = new Booster(null as unknown as Record<string, string>, ds);
    expect(booster.numFeature()).toBe(8);
    expect(() => booster.addValidData(ds, undefined as unknown as string)).toThrow(/needs a name/);
    expect(() => booster.predict(x, undefined as unknown as { rows: number; cols: number })).toThrow(/predict needs options/);
    booster.free();
  });
});

describe('use after free', () => {
  it('throws instead of crashing for freed datasets and boosters', () => {
    const ds = trainSet();
    const booster = new Booster(BINARY, ds);
    ds.free();
    expect(ds.freed).toBe(true);
    expect(() => ds.numData()).toThrow(/Dataset has been freed/);
    expect(() => new Booster(BINARY, ds)).toThrow(/Dataset has been freed/);
    // The booster keeps the native dataset alive until it is freed itself.
    expect(booster.updateOneIter()).toBe(false);
    booster.free();
    booster.free();
    expect(() => booster.updateOneIter()).toThrow(/Booster has been freed/);
    expect(() => booster.predict(new Float64Array(8), { rows: 1, cols: 8 })).toThrow(/Booster has been freed/);
    expect(() => booster.saveModelToString()).toThrow(/Booster has been freed/);
  });
});

describe('parameters and threads', () => {
  it('renders objects to key=value strings with arrays as lists', () => {
    expect(
      renderParams({ objective: 'binary', metric: ['auc', 'binary_logloss'], deterministic: true, max_bin: 63, skip: undefined }),
    ).toBe('objective=binary metric=auc,binary_logloss deterministic=true max_bin=63');
  });

  it('caps num_threads process-wide with setMaxThreads', () => {
    const before = getMaxThreads();
    try {
      setMaxThreads(1);
      expect(getMaxThreads()).toBe(1);
      expect(renderParams({ objective: 'binary' })).toBe('objective=binary num_threads=1');
      expect(renderParams({ nthread: 4 })).toBe('num_threads=1');
      setMaxThreads(0);
      expect(renderParams({ n_jobs: 4 })).toBe('num_threads=4');
      expect(() => setMaxThreads(-1)).toThrow(RangeError);
    } finally {
      setMaxThreads(before);
    }
  });

  it('refuses to train with dataset parameters other than those the bins were built with', () => {
    const ds = trainSet({ ...QUIET, max_bin: 255 });
    expect(() => new Booster({ ...BINARY, max_bin: 63 }, ds)).toThrow(/LightGBM: .*max_bin/);
    expect(new Booster({ ...BINARY, max_bin: 255 }, ds).updateOneIter()).toBe(false);
  });

  it('tells when a constructed dataset can be reused with new parameters', () => {
    expect(checkDatasetParams({ max_bin: 255, objective: 'binary' }, { max_bin: 255, learning_rate: 0.3 })).toEqual({ compatible: true });
    const changed = checkDatasetParams({ max_bin: 255 }, { max_bin: 63 });
    expect(changed.compatible).toBe(false);
    expect(changed.compatible ? '' : changed.reason).toMatch(/max_bin/);
  });
});

describe('memory', () => {
  it('stays stable over 1,000 dataset and booster create/free cycles', () => {
    const small = sliceRows(all, 0, 200);
    const cycle = () => {
      const ds = Dataset.fromMatrix(small.data, { rows: 200, cols: 8, label: small.label, params: QUIET });
      const booster = new Booster({ ...BINARY, num_threads: 1 }, ds);
      booster.updateOneIter();
      booster.predict(small.data, { rows: 200, cols: 8 });
      booster.free();
      ds.free();
    };
    for (let i = 0; i < 100; i++) cycle();
    const baseline = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) cycle();
    const growth = process.memoryUsage().rss - baseline;
    // A leak of one dataset per cycle would be ≥ 1,000 × ~20 kB; allow allocator noise.
    expect(growth).toBeLessThan(16 * 1024 * 1024);
  });

  it('releases the native memory of collected objects that were never freed', () => {
    // A child with --expose-gc drops 600 unfreed boosters (each holds histogram buffers of a few
    // hundred kB natively); without finalizers its memory would grow by well over 100 MB.
    const script = `
      const { Dataset, Booster } = require('@bullpen/lightgbm');
      const rows = 200, cols = 8;
      const data = new Float64Array(rows * cols).map((_, i) => ((i * 7919) % 997) / 997);
      const label = Array.from({ length: rows }, (_, r) => (data[r * cols] > 0.5 ? 1 : 0));
      const params = { objective: 'binary', verbosity: -1, num_threads: 1, num_leaves: 63, max_bin: 255 };
      const cycle = () => { const ds = Dataset.fromMatrix(data, { rows, cols, label, params }); new Booster(params, ds).updateOneIter(); };
      const settle = async () => { for (let i = 0; i < 3; i++) { global.gc(); await new Promise((r) => setImmediate(r)); } };
      (async () => {
        for (let i = 0; i < 100; i++) cycle();
        await settle();
        const before = process.memoryUsage().rss;
        for (let i = 0; i < 600; i++) { cycle(); if (i % 50 === 49) await settle(); }
        await settle();
        process.stdout.write(String(process.memoryUsage().rss - before));
      })();`;
    const growth = Number(
      execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') }),
    );
    expect(growth).toBeLessThan(48 * 1024 * 1024);
  });
});
