// The Optuna journal export read back by Python's optuna 5.0 (test/python/optuna_load_check.py): the same
// trial numbers, states, parameters (categorical, log, step, int, conditional), distributions, values and
// intermediate values; Optuna's own FrozenTrial validation accepts every trial, and TPE continues the study.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSearchSpace } from '../../../src-main/engine/sweeps/spaceFile';
import { optunaJournal } from '../../../src-main/engine/sweeps/optunaJournal';
import type { StoredTrial, SweepRecord } from '../../../src-main/engine/sweeps/sweepStorage';
import type { SweepConfig, SweepStatus } from '../../../src-main/shared/results/sweep';
import type { ObjectiveName } from '../../../src-main/shared/sweep/trials';
import { needs } from '../../support/requirements';

const PYTHON = process.env.PYTHON ?? 'python3';
const CHECK = join(__dirname, '../../python/optuna_load_check.py');

function optunaVersion(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const ok = needs(
  'Python optuna 5.0.x',
  optunaVersion()?.startsWith('5.0.') ?? false,
  'python3 -m pip install -r test/python-requirements.txt',
);
const dir = mkdtempSync(join(tmpdir(), 'bullpen-optuna-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LoadedTrial {
  number: number;
  state: string;
  params: Record<string, unknown>;
  distributions: Record<string, { name: string; attributes: Record<string, unknown> }>;
  values: (number | string)[] | null;
  intermediate_values: Record<string, number | string>;
  user_attrs: Record<string, unknown>;
  datetime_start: string | null;
  datetime_complete: string | null;
}
interface Loaded {
  optunaVersion: string;
  studyName: string;
  directions: string[];
  metricNames: string[] | null;
  userAttrs: Record<string, unknown>;
  trials: LoadedTrial[];
  best: number[];
  continued: { number: number; params: Record<string, unknown> };
}

function load(name: string, journal: string): Loaded {
  const path = join(dir, `${name}.log`);
  writeFileSync(path, journal);
  const r = spawnSync(PYTHON, [CHECK, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`optuna_load_check.py failed (${r.status}): ${r.stderr.slice(-3000)}`);
  // The export is left as written (the script continues the study on a copy).
  expect(readFileSync(path, 'utf8')).toBe(journal);
  return JSON.parse(r.stdout) as Loaded;
}

const SPACE = parseSearchSpace(
  `
num_leaves: {type: int, low: 10, high: 300}
learning_rate: {type: float, low: 0.01, high: 0.3, log: true}
bagging_freq: {type: int, low: 1, high: 7, step: 2}
feature_fraction: {type: float, low: 0.4, high: 1.0, step: 0.1}
boosting: {type: categorical, choices: [gbdt, dart]}
drop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}
extra_trees: {type: categorical, choices: [true, false]}
max_bin: {type: categorical, choices: [63, 255]}
`,
  'test space',
);

function sweep(status: SweepStatus, objectives: ObjectiveName[]): SweepRecord {
  const config: SweepConfig = {
    target: 'home_win',
    features: 'default',
    seasons: null,
    cv: { scheme: 'walk-forward', splits: 5, trainDays: 90, testDays: 30, gap: 1, embargo: 1 },
    sampler: 'tpe',
    objectives,
    trials: 50,
    workers: 2,
    threadsPerTrial: 1,
    timeoutSeconds: null,
    maxTrialSeconds: 30,
    space: SPACE,
    fixed: {},
    seed: 7,
    pruner: { type: 'median', startupTrials: 5, warmupSteps: 50, intervalSteps: 10, on: 'fold' },
    numBoostRound: 1000,
    earlyStoppingRounds: 50,
    lag: 1,
    before: null,
    enqueued: [],
  };
  return {
    id: 'sw_0123456789',
    name: `sweep-${status}-${objectives.join('-')}`,
    status,
    config,
    jobId: null,
    runId: null,
    summary: null,
    error: null,
    baseline: null,
    heartbeatAt: '2024-05-01T12:30:00.000Z',
    createdAt: '2024-05-01T11:59:00.000Z',
    finishedAt: status === 'running' ? null : '2024-05-01T12:31:00.000Z',
  };
}

/** A stored trial; times are minutes after noon UTC. */
function trial(
  number: number,
  fields: Partial<StoredTrial> & Pick<StoredTrial, 'state' | 'params'>,
  minutes: [number, number | null],
): StoredTrial {
  const at = (m: number): string => new Date(Date.UTC(2024, 4, 1, 12, m, 0, 250)).toISOString();
  return {
    number,
    values: null,
    intermediate: [],
    durationMs: minutes[1] === null ? null : (minutes[1] - minutes[0]) * 60_000,
    prunedAt: null,
    reason: null,
    attempt: 1,
    runId: `run_${number}`,
    startedAt: at(minutes[0]),
    heartbeatAt: at(minutes[1] ?? minutes[0] + 1),
    finishedAt: minutes[1] === null ? null : at(minutes[1]),
    foldValues: null,
    dailyReturns: null,
    ...fields,
  };
}

const base = { num_leaves: 31, learning_rate: 0.05, bagging_freq: 3, feature_fraction: 0.7, extra_trees: false, max_bin: 255 };

function singleObjectiveTrials(): StoredTrial[] {
  return [
    trial(
      0,
      {
        state: 'complete',
        params: { ...base, boosting: 'gbdt' },
        values: [0.6812],
        intermediate: [
          { step: 1, value: 0.693 },
          { step: 2, value: 0.69 },
          { step: 9999, value: 0.685 },
          { step: 19_999, value: 0.6812 },
        ],
        foldValues: [[0.685], [0.6774]],
      },
      [0, 3],
    ),
    trial(
      1,
      {
        state: 'pruned',
        params: { ...base, num_leaves: 250, learning_rate: 0.28, boosting: 'dart', drop_rate: 0.3, extra_trees: true, max_bin: 63 },
        intermediate: [
          { step: 1, value: 0.694 },
          { step: 9999, value: 0.702 },
        ],
        prunedAt: 9999,
        reason: 'median pruner: 0.702 above the median 0.685 at fold 0',
      },
      [1, 2],
    ),
    trial(
      2,
      { state: 'fail', params: { ...base, bagging_freq: 7, feature_fraction: 1, boosting: 'gbdt' }, reason: 'LightGBM: out of memory' },
      [2, 2],
    ),
    trial(
      3,
      {
        state: 'complete',
        params: { ...base, num_leaves: 10, learning_rate: 0.01, bagging_freq: 1, feature_fraction: 0.4, boosting: 'dart', drop_rate: 0.05 },
        values: [0.6755],
        // A diverging iteration reports a non-finite loss; Optuna keeps NaN intermediate values.
        intermediate: [
          { step: 1, value: Number.NaN },
          { step: 2, value: Number.POSITIVE_INFINITY },
          { step: 9999, value: 0.6755 },
        ],
        attempt: 2,
      },
      [3, 7],
    ),
    trial(4, { state: 'running', params: { ...base, boosting: 'gbdt' }, intermediate: [{ step: 1, value: 0.692 }] }, [5, null]),
  ];
}

describe.skipIf(!ok)('Optuna journal export read by Python optuna 5.0', () => {
  it('gives Optuna the same trials, numbers, states, parameters, distributions, values and intermediate values', () => {
    const record = sweep('running', ['logLoss']);
    const trials = singleObjectiveTrials();
    const loaded = load('single', optunaJournal(record, [...trials].reverse()));

    expect(loaded.optunaVersion.startsWith('5.0.')).toBe(true);
    expect(loaded.studyName).toBe(record.name);
    expect(loaded.directions).toEqual(['MINIMIZE']);
    expect(loaded.metricNames).toEqual(['logLoss']);
    expect(loaded.userAttrs['bullpen:sweep_id']).toBe('sw_0123456789');
    expect(loaded.userAttrs['bullpen:config']).toEqual(JSON.parse(JSON.stringify(record.config)));

    expect(loaded.trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'PRUNED'],
      [2, 'FAIL'],
      [3, 'COMPLETE'],
      [4, 'RUNNING'],
    ]);
    for (const t of loaded.trials) expect(t.params).toEqual(trials[t.number].params);
    // The conditional parameter is only where its condition held.
    expect(loaded.trials.map((t) => 'drop_rate' in t.params)).toEqual([false, true, false, true, false]);
    expect(loaded.trials[1].params.extra_trees).toBe(true);

    expect(loaded.trials[1].distributions).toEqual({
      num_leaves: { name: 'IntDistribution', attributes: { log: false, step: 1, low: 10, high: 300 } },
      learning_rate: { name: 'FloatDistribution', attributes: { step: null, low: 0.01, high: 0.3, log: true } },
      bagging_freq: { name: 'IntDistribution', attributes: { log: false, step: 2, low: 1, high: 7 } },
      feature_fraction: { name: 'FloatDistribution', attributes: { step: 0.1, low: 0.4, high: 1, log: false } },
      boosting: { name: 'CategoricalDistribution', attributes: { choices: ['gbdt', 'dart'] } },
      drop_rate: { name: 'FloatDistribution', attributes: { step: null, low: 0.05, high: 0.5, log: false } },
      extra_trees: { name: 'CategoricalDistribution', attributes: { choices: [true, false] } },
      max_bin: { name: 'CategoricalDistribution', attributes: { choices: [63, 255] } },
    });

    // Values: complete trials' own; a pruned one takes its last intermediate value, as Optuna's tell does; none for FAIL and RUNNING.
    expect(loaded.trials.map((t) => t.values)).toEqual([[0.6812], [0.702], null, [0.6755], null]);
    expect(loaded.trials[0].intermediate_values).toEqual({ '1': 0.693, '2': 0.69, '9999': 0.685, '19999': 0.6812 });
    expect(loaded.trials[1].intermediate_values).toEqual({ '1': 0.694, '9999': 0.702 });
    expect(loaded.trials[3].intermediate_values).toEqual({ '1': 'NaN', '2': 'Infinity', '9999': 0.6755 });
    expect(loaded.trials[4].intermediate_values).toEqual({ '1': 0.692 });

    expect(loaded.trials[1].user_attrs).toMatchObject({
      'bullpen:reason': trials[1].reason,
      'bullpen:pruned_at_step': 9999,
      'bullpen:run_id': 'run_1',
    });
    expect(loaded.trials[0].user_attrs['bullpen:fold_values']).toEqual([[0.685], [0.6774]]);
    expect(loaded.trials[3].user_attrs['bullpen:attempt']).toBe(2);
    // Times: Optuna reads them as naive local datetimes; durations survive, and only finished trials have an end.
    const span = (t: LoadedTrial): number => Date.parse(t.datetime_complete ?? '') - Date.parse(t.datetime_start ?? '');
    expect(span(loaded.trials[0])).toBe(3 * 60_000);
    expect(span(loaded.trials[3])).toBe(4 * 60_000);
    expect(loaded.trials[4].datetime_start).not.toBeNull();
    expect(loaded.trials[4].datetime_complete).toBeNull();

    expect(loaded.best).toEqual([3]);
    // Optuna's TPE reads the history and numbers the next trial after Bullpen's.
    expect(loaded.continued.number).toBe(5);
    expect(Object.keys(loaded.continued.params).sort()).toEqual(Object.keys(trials[0].params).sort());
  });

  it('marks the running trials of a stopped sweep FAIL and keeps later numbers when one was never started', () => {
    const trials = singleObjectiveTrials();
    const late = trial(6, { state: 'complete', params: { ...base, boosting: 'gbdt' }, values: [0.67] }, [8, 9]);
    const loaded = load('interrupted', optunaJournal(sweep('interrupted', ['logLoss']), [...trials, late]));
    expect(loaded.trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'PRUNED'],
      [2, 'FAIL'],
      [3, 'COMPLETE'],
      [4, 'FAIL'],
      [5, 'FAIL'],
      [6, 'COMPLETE'],
    ]);
    expect(loaded.trials[4].user_attrs['bullpen:note']).toMatch(/^interrupted: the sweep is interrupted and this trial never finished/);
    expect(loaded.trials[4].datetime_complete).not.toBeNull();
    expect(loaded.trials[4].params).toEqual(trials[4].params);
    expect(loaded.trials[5].params).toEqual({});
    expect(loaded.trials[5].user_attrs['bullpen:note']).toMatch(/trial 5 was never started/);
    expect(loaded.trials[6].params).toEqual(late.params);
    expect(loaded.best).toEqual([6]);
    expect(loaded.continued.number).toBe(7);
  });

  it('exports two objectives with their directions, values and Pareto front', () => {
    const record = sweep('completed', ['logLoss', 'roi']);
    const p = (n: number, over: Record<string, unknown> = {}): Record<string, string | number | boolean> =>
      ({ ...base, boosting: 'gbdt', num_leaves: 20 + n, ...over }) as Record<string, string | number | boolean>;
    const trials = [
      trial(0, { state: 'complete', params: p(0), values: [0.68, 0.01] }, [0, 1]),
      trial(1, { state: 'complete', params: p(1), values: [0.67, -0.02] }, [1, 2]),
      trial(2, { state: 'complete', params: p(2, { boosting: 'dart', drop_rate: 0.2 }), values: [0.69, 0.03] }, [2, 3]),
      trial(3, { state: 'complete', params: p(3), values: [0.69, 0.0] }, [3, 4]),
      // Pruned with both objectives measured keeps them; with none, Optuna's rule leaves it without values.
      trial(4, { state: 'pruned', params: p(4), values: [0.7, -0.05], intermediate: [{ step: 9999, value: 0.7 }], prunedAt: 9999 }, [4, 5]),
      trial(5, { state: 'pruned', params: p(5), intermediate: [{ step: 9999, value: 0.71 }], prunedAt: 9999 }, [5, 6]),
      trial(6, { state: 'fail', params: p(6) }, [6, 6]),
    ];
    const loaded = load('multi', optunaJournal(record, trials));
    expect(loaded.directions).toEqual(['MINIMIZE', 'MAXIMIZE']);
    expect(loaded.metricNames).toEqual(['logLoss', 'roi']);
    expect(loaded.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'PRUNED', 'FAIL']);
    expect(loaded.trials.map((t) => t.values)).toEqual([[0.68, 0.01], [0.67, -0.02], [0.69, 0.03], [0.69, 0.0], [0.7, -0.05], null, null]);
    for (const t of loaded.trials) expect(t.params).toEqual(trials[t.number].params);
    // Optuna keeps no intermediate values in a multi-objective study (its TPE fails on pruned trials that have some): they travel as a user attribute.
    expect(loaded.trials.every((t) => Object.keys(t.intermediate_values).length === 0)).toBe(true);
    expect(loaded.trials[5].user_attrs['bullpen:intermediate_values']).toEqual({ '9999': 0.71 });
    // 3 is dominated by 2 (same log loss, lower ROI); 0, 1 and 2 trade log loss against ROI.
    expect(loaded.best).toEqual([0, 1, 2]);
    expect(loaded.continued.number).toBe(7);
  });
});
