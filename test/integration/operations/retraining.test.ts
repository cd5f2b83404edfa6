// The retraining pipeline on a demo workspace (2010–2012, every game settled on the wall clock): a manual
// retraining recorded with its windows, comparison and decision; a challenger that saw the comparison window
// refused; a planted weak champion beaten, the winner validated, registered and promoted by auto:<deployment>
// with the deployment serving it; a trigger firing after a check; and a replayed day that trains only on
// what was known that day.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { liveClock, ReplayClock } from '../../../src-main/engine/operations/clock';
import type { Scope } from '../../../src-main/engine/operations/operationsTypes';
import { maybeRetrain } from '../../../src-main/engine/operations/retraining/maybeRetrain';
import { opsPolicySchema } from '../../../src-main/shared/operations/opsPolicy';
import { retrainRecordSchema, type RetrainRecord } from '../../../src-main/shared/results/retraining';
import { call, FAST, openMlEngine, runJob, runJobResult } from '../ml/mlWorkspace';
import { dispatch } from '../../../src-main/api/handlers';
import { LOCAL_CALLER } from '../../../src-main/shared/caller';
import { LENIENT_POLICY } from '../registry/registryFixtures';

const LIVE: Scope = { replayId: null, clock: liveClock };
/** Overfits a small window badly without early stopping; early stopping on the same recipe does not. */
const OVERFIT = { learning_rate: 0.5, num_leaves: 63, min_data_in_leaf: 5, lambda_l2: 0, feature_fraction: 1, bagging_fraction: 1 };

describe('the retraining pipeline over a demo workspace', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  const history = async (name: string, replay?: string) =>
    (await call(engine, 'deploy.history', { name, ...(replay ? { replay } : {}) })).retrains;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await call(engine, 'settings.set', { user: 'alice' });
    // A sensible champion (2010, early stopping on 2011) and a weak one (overfit on 2010 without early stopping).
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'champ', ...FAST });
    await runJobResult(engine, 'ml.train', { train: '2010', name: 'weak', numBoostRound: 60, params: OVERFIT });
    await call(engine, 'registry.register', { model: 'champ' });
    await call(engine, 'registry.register', { model: 'weak' });
  }, 120_000);
  afterAll(async () => cleanup());

  it('a manual retraining records its windows, the out-of-sample comparison and a decision that follows from it', async () => {
    await call(engine, 'deploy.start', { model: 'champ:1', name: 'steady' });
    const result = await runJobResult(engine, 'deploy.retrain', { name: 'steady' });
    const [row] = await history('steady');
    expect(row).toEqual(result);
    expect(row).toMatchObject({ trigger: 'manual', reason: 'started by hand by alice', state: 'completed', step: 'done', dataDay: today });
    expect(row.champion).toMatchObject({ modelName: 'champ', version: 1, sourceModel: 'champ' });
    const champion = await engine.models.get('champ');
    // Compared on the last 30 days of settled games, all after the champion's data; the challenger trained before them.
    const comp = row.comparisonWindow!;
    const train = row.trainWindow!;
    expect(comp.from > champion.lastTrainingDate).toBe(true);
    expect(comp.to < today).toBe(true);
    expect(train.to < comp.from).toBe(true);
    expect(row.earlyStopping!.to).toBe(train.to);
    expect(row.earlyStopping!.games).toBe(Math.floor(train.games * 0.1));
    const lastGame = await engine.workspace.value<string>(
      `SELECT strftime(max(date), '%Y-%m-%d') FROM games WHERE home_score IS NOT NULL AND date < ?::DATE`,
      [today],
    );
    expect(comp.to).toBe(lastGame);
    expect(comp.games).toBe(row.comparison!.n);
    // The challenger is a normal model, trained only on games before the window.
    const challenger = await engine.models.get(row.challenger!.model);
    expect(challenger.lastTrainingDate).toBe(train.to);
    expect(challenger.featureNames).toEqual(champion.featureNames);
    expect((await engine.runs.get(challenger.runId)).tags).toMatchObject({ 'retrain.role': 'challenger', 'retrain.id': row.id });
    // Two sensible models of the same recipe: a small gain is neither above the 5% threshold nor beyond noise, so the champion stays.
    expect(row.comparison).toMatchObject({ metric: 'logLoss', better: false });
    expect(row.comparison!.explanation).toMatch(/^Challenger log loss \d\.\d{4} against the champion's \d\.\d{4} on \d+ games/);
    expect(row).toMatchObject({ decision: 'kept', decisionReason: row.comparison!.explanation, refit: null, newVersion: null });
    expect((await call(engine, 'registry.show', { name: 'champ' })).versions.map((v) => v.version)).toEqual([1]);
  }, 90_000);

  it('refuses a second retraining of a deployment while one runs, and allows it once that one ended', async () => {
    const first = await call(engine, 'deploy.retrain', { name: 'steady' });
    const second = await dispatch(engine, 'deploy.retrain', { name: 'steady' }, LOCAL_CALLER);
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.error.code).toBe('RETRAIN_RUNNING');
      expect(second.error.message).toContain(first.id);
    }
    await engine.jobs.settled(first.id);
    const third = await runJob(engine, 'deploy.retrain', { name: 'steady' });
    expect(third.state).toBe('completed');
  }, 90_000);

  it('refuses a challenger whose training data reaches into the comparison window, and records the refusal', async () => {
    await runJobResult(engine, 'ml.train', { train: '2010-2011', valid: '2012', name: 'peeker', ...FAST });
    const before = await call(engine, 'registry.audit', {});
    const job = await runJob(engine, 'deploy.retrain', { name: 'steady', challenger: 'peeker' });
    expect(job.state).toBe('failed');
    expect(job.errorCode).toBe('CHALLENGER_IN_COMPARISON_WINDOW');
    expect(job.error).toMatch(/challenger peeker was trained on games up to \d{4}-\d{2}-\d{2}, inside the comparison window/);
    const [row] = await history('steady');
    expect(row).toMatchObject({ state: 'failed', decision: 'failed', step: 'challenger', comparison: null, refit: null, newVersion: null });
    expect(row.decisionReason).toBe(job.error);
    expect(await call(engine, 'registry.audit', {})).toEqual(before);
  }, 60_000);

  it('promotes a clearly better challenger to production as auto:<deployment>, with the evidence, and the deployment serves it', async () => {
    const lenient = readFileSync(LENIENT_POLICY, 'utf8');
    await call(engine, 'ml.policy.set', { text: `${lenient}\nautoValidate: false\n` });
    const policy = opsPolicySchema.parse({ retraining: { autoPromote: 'production' } });
    await call(engine, 'deploy.start', { model: 'weak:1', name: 'bad', policyText: JSON.stringify(policy) });
    const row = await runJobResult(engine, 'deploy.retrain', { name: 'bad' });
    expect(row.comparison!.better).toBe(true);
    expect(row.comparison!.relativeImprovement!).toBeGreaterThan(0.05);
    expect(row.decision).toBe('promoted');
    expect(row.validation?.status).toBe('passed');
    expect(row.newVersion).toEqual({ modelName: 'weak', version: 2, stage: 'production' });
    const refit = await engine.models.get(row.refit!.model);
    // The refit saw every settled game (its best iteration is the challenger's); the challenger did not see the window.
    expect(refit.lastTrainingDate).toBe(row.comparisonWindow!.to);
    expect(refit.bestIteration).toBe(row.challenger!.bestIteration);
    expect(row.probationUntil).toBe(new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10));

    const deployment = (await call(engine, 'deploy.show', { name: 'bad' })).deployment;
    expect(deployment).toMatchObject({ modelName: 'weak', version: 2, sourceModel: refit.name, status: 'active' });
    const versions = await call(engine, 'registry.show', { name: 'weak' });
    expect(versions.versions.map((v) => [v.version, v.stage])).toEqual([
      [2, 'production'],
      [1, 'development'],
    ]);
    const audit = (await call(engine, 'registry.audit', { name: 'weak' })).entries.filter((e) => e.version === 2);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['register', 'auto:bad'],
      ['approve', 'auto:bad'],
      ['promote', 'auto:bad'],
    ]);
    for (const e of audit.slice(1)) expect(e.reason).toContain(row.comparison!.explanation);
    // It scores with the new version: the log rows carry it.
    const scored = await call(engine, 'deploy.predict', { name: 'bad', gameIds: [await lastGameId()] });
    expect(scored).toMatchObject({ modelName: 'weak', version: 2 });
  }, 90_000);

  it('after a check, a firing trigger starts the pipeline as a job; the same new games do not start it again', async () => {
    const policy = opsPolicySchema.parse({
      retraining: {
        enabled: true,
        triggers: {
          performance: { enabled: false },
          drift: { enabled: false },
          schedule: { enabled: false },
          dataVolume: { newGames: 100 },
        },
      },
    });
    const dep = await call(engine, 'deploy.start', { model: 'champ:1', name: 'auto', policyText: JSON.stringify(policy) });
    const fired = await maybeRetrain(engine, dep, LIVE);
    expect(fired).not.toBeNull();
    expect(fired!.trigger).toBe('dataVolume');
    expect(fired!.reason).toMatch(/settled games newer than the model's training data, more than 100/);
    const job = await engine.jobs.settled(fired!.jobId!);
    expect(job.state).toBe('completed');
    const [row] = await history('auto');
    expect(row).toMatchObject({ id: fired!.id, trigger: 'dataVolume', state: 'completed', jobId: job.id });
    expect(await maybeRetrain(engine, await engine.deployments.get('auto', LIVE), LIVE)).toBeNull();
    expect(await history('auto')).toHaveLength(1);
  }, 60_000);

  it("inside a replay, a retraining uses only the games before the replayed day and the replay's deployment serves the winner", async () => {
    const day = '2012-08-01';
    const clock = new ReplayClock(new Date(`${day}T09:00:00Z`));
    const scope: Scope = { replayId: 'replay-retrain-test', clock };
    const policy = opsPolicySchema.parse({
      retraining: {
        enabled: true,
        autoPromote: 'production',
        triggers: {
          performance: { enabled: false },
          drift: { enabled: false },
          schedule: { enabled: false },
          dataVolume: { newGames: 100 },
        },
      },
    });
    const dep = await engine.deployments.start({ model: 'weak', name: 'replay-2012', policy, policyText: null }, scope);
    const record = await maybeRetrain(engine, dep, scope);
    expect(record).not.toBeNull();
    const row: RetrainRecord = retrainRecordSchema.parse((await history('replay-2012', scope.replayId!))[0]);
    expect(row).toMatchObject({ replayId: scope.replayId, dataDay: day, at: `${day}T09:00:00.000Z`, state: 'completed' });
    expect(row.comparisonWindow!.to < day).toBe(true);
    expect(row.trainWindow!.to < row.comparisonWindow!.from).toBe(true);
    expect(row.refit!.window.to).toBe(row.comparisonWindow!.to);
    expect((await engine.models.get(row.refit!.model)).lastTrainingDate < day).toBe(true);
    expect(row.decision).toBe('promoted');
    expect(row.newVersion).toBeNull();
    expect(await engine.deployments.get('replay-2012', scope)).toMatchObject({ version: null, sourceModel: row.refit!.model });
    // Nothing live changed: no registry version was added.
    expect((await call(engine, 'registry.show', { name: 'weak' })).versions).toHaveLength(2);
  }, 60_000);

  it('without autoPromote, a better challenger is registered (not promoted) and the deployment keeps its version', async () => {
    await call(engine, 'deploy.start', { model: 'weak:1', name: 'manual-gate' });
    const row = await runJobResult(engine, 'deploy.retrain', { name: 'manual-gate' });
    expect(row.comparison!.better).toBe(true);
    expect(row).toMatchObject({ decision: 'registered', validation: null, probationUntil: null });
    expect(row.newVersion).toEqual({ modelName: 'weak', version: 3, stage: 'development' });
    expect(row.decisionReason).toMatch(/autoPromote is none: promote it with `bullpen registry promote weak:3`/);
    expect((await call(engine, 'deploy.show', { name: 'manual-gate' })).deployment).toMatchObject({ version: 1, sourceModel: 'weak' });
    const audit = (await call(engine, 'registry.audit', { name: 'weak' })).entries.filter((e) => e.version === 3);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['register', 'auto:manual-gate']]);
  }, 60_000);

  it("with sweepTrials, a sweep warm-started from the champion on games before the comparison window chooses the challenger's parameters", async () => {
    const policy = opsPolicySchema.parse({ retraining: { sweepTrials: 4 } });
    await call(engine, 'deploy.start', { model: 'weak:1', name: 'swept', policyText: JSON.stringify(policy) });
    const row = await runJobResult(engine, 'deploy.retrain', { name: 'swept' });
    expect(row.state).toBe('completed');
    const sweep = row.sweep!;
    expect(sweep).toMatchObject({ trials: 4, before: row.comparisonWindow!.from });
    expect(sweep.completed + sweep.pruned).toBeGreaterThanOrEqual(1);
    const shown = await call(engine, 'ml.sweeps.show', { id: sweep.sweepId });
    expect(shown.config).toMatchObject({ before: row.comparisonWindow!.from, sampler: 'tpe', objectives: ['logLoss'] });
    // Trial 0 is the champion's own recipe, in the space's names, even where it lies outside the default space (learning rate 0.5).
    const trials = (await call(engine, 'ml.sweeps.trials', { id: sweep.sweepId })).trials;
    expect(trials[0].params).toEqual({
      num_leaves: OVERFIT.num_leaves,
      learning_rate: OVERFIT.learning_rate,
      feature_fraction: OVERFIT.feature_fraction,
      bagging_fraction: OVERFIT.bagging_fraction,
      bagging_freq: 1,
      min_child_samples: OVERFIT.min_data_in_leaf,
      max_depth: -1,
      reg_alpha: 0,
      reg_lambda: OVERFIT.lambda_l2,
    });
    expect(sweep.warmStart).toBe(trials[0].state === 'complete' ? trials[0].values![0] : null);
    // The best trial is never worse than the warm start on the sweep's CV, and the challenger trains with its parameters.
    const complete = trials.filter((t) => t.state === 'complete');
    expect(sweep.best!.logLoss).toBe(Math.min(...complete.map((t) => t.values![0])));
    const challengerRun = await engine.runs.get((await engine.models.get(row.challenger!.model)).runId);
    expect(challengerRun.tags).toMatchObject({ 'sweep.id': sweep.sweepId, 'sweep.trials': String(sweep.completed + sweep.pruned) });
    const runParams = await engine.runs.params(challengerRun.id);
    expect(runParams).toMatchObject(sweep.best!.params);
    // It reads back from the history as it was recorded.
    expect((await history('swept'))[0].sweep).toEqual(sweep);
  }, 180_000);

  async function lastGameId(): Promise<string> {
    const id = await engine.workspace.value<string>(`SELECT game_id FROM games ORDER BY date DESC, game_id LIMIT 1`);
    return id as string;
  }
});
