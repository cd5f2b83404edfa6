import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpName } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { BullpenError } from '../../../src-main/shared/errors';
import { FAST, call, openMlEngine, runJob } from './mlWorkspace';

/** The error an op answers with (it must answer with one). */
async function refusal(engine: Engine, op: OpName, input: unknown): Promise<BullpenError> {
  const err = await call(engine, op, input).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof BullpenError)) throw new Error(`${op} did not refuse ${JSON.stringify(input)}`);
  return err;
}

const jobCount = async (engine: Engine) => Number(await engine.workspace.value(`SELECT count(*) FROM jobs`));

describe('training, CV, prediction and backtest refuse bad input before a job starts (exit 3, one clear line, no failed job)', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
  });
  afterAll(async () => cleanup());

  const cases: [string, OpName, Record<string, unknown>, string, RegExp][] = [
    [
      'train on seasons the workspace does not have',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2030' },
      'NO_GAMES_IN_SEASONS',
      /--train 2030: the workspace has no games with results in 2030 \(it has 2010-2012\)/,
    ],
    [
      'train on a partly missing range',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2010-2014' },
      'NO_GAMES_IN_SEASONS',
      /in 2013-2014/,
    ],
    [
      'train on a backwards range',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2012-2010' },
      'BAD_SEASONS',
      /runs backwards/,
    ],
    [
      'train on an unknown feature set',
      'ml.train',
      { target: 'home_win', features: 'nope', train: '2010' },
      'FEATURE_SET_NOT_FOUND',
      /no feature set nope; sets: default/,
    ],
    [
      'train with a misspelt LightGBM parameter',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2010', params: { num_leavs: 31 } },
      'BAD_PARAMS',
      /unknown LightGBM parameter num_leavs \(did you mean num_leaves\?\)/,
    ],
    [
      'train with a value LightGBM refuses',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2010', params: { num_leaves: -3 } },
      'BAD_PARAMS',
      /^--params: num_leaves must be > 1 \(got -3\)$/,
    ],
    [
      'train with text where a number belongs',
      'ml.train',
      { target: 'home_win', features: 'default', train: '2010', params: { learning_rate: 'fast' } },
      'BAD_PARAMS',
      /learning_rate must be a number \(got "fast"\)/,
    ],
    ['cross-validate an unknown set', 'ml.cv', { features: 'nope', target: 'home_win' }, 'FEATURE_SET_NOT_FOUND', /no feature set nope/],
    ['cross-validate an unknown model', 'ml.cv', { model: 'nope' }, 'MODEL_NOT_FOUND', /no model named nope/],
    [
      'cross-validate missing seasons',
      'ml.cv',
      { features: 'default', target: 'home_win', seasons: '2030' },
      'NO_GAMES_IN_SEASONS',
      /--seasons 2030/,
    ],
    [
      'cross-validate with a misspelt parameter',
      'ml.cv',
      { features: 'default', target: 'home_win', params: { lerning_rate: 0.1 } },
      'BAD_PARAMS',
      /did you mean learning_rate/,
    ],
    ['backtest seasons without games', 'ml.backtest', { seasons: '2030', strategy: ['home'] }, 'NO_GAMES_IN_SEASONS', /--seasons 2030/],
  ];
  for (const [what, op, input, code, message] of cases) {
    it(`refuses to ${what}`, async () => {
      const before = await jobCount(engine);
      const err = await refusal(engine, op, input);
      expect(err.code).toBe(code);
      expect(['input', 'notFound']).toContain(err.kind);
      expect(err.message).toMatch(message);
      expect(err.message).not.toMatch(/\.cpp|line \d+ \.|\n/);
      expect(await jobCount(engine)).toBe(before);
    });
  }

  it('refuses to predict seasons without games', async () => {
    await runJob(engine, 'ml.train', { target: 'home_win', features: 'default', train: '2010', name: 'pre-m', ...FAST });
    const err = await refusal(engine, 'ml.predict', { model: 'pre-m', seasons: '2030' });
    expect(err.code).toBe('NO_GAMES_IN_SEASONS');
  });

  it('still trains with valid parameters given by alias', async () => {
    const job = await runJob(engine, 'ml.train', {
      target: 'home_win',
      features: 'default',
      train: '2010',
      numBoostRound: 5,
      params: { eta: 0.1, num_leaf: 7 },
    });
    expect(job.state, job.error ?? '').toBe('completed');
  });
});
