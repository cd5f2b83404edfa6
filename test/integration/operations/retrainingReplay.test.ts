// Retraining wired into the replay, the live checks and probation, on a demo workspace (2010–2012): a replay
// with weekly retraining lists its retrainings, each challenger trained only before its replayed day; a replay
// without retraining lists none; a planted degradation on probation is rolled back with the figures (in a replay:
// the deployment only; live: the registry too, by auto:<deployment>); a live `deploy check` whose trigger fires
// starts a retraining job, and a scheduled check hands the checked deployment to what follows it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { liveClock, ReplayClock } from '../../../src-main/engine/operations/clock';
import type { Scope } from '../../../src-main/engine/operations/operationsTypes';
import { openRecord, quietContext } from '../../../src-main/engine/operations/retraining/pipeline';
import { deploymentCheckJob } from '../../../src-main/engine/operations/scheduler/deploymentChecks';
import { validateModel } from '../../../src-main/engine/validation/validateModel';
import { checkProbation } from '../../../src-main/engine/operations/retraining/probation';
import { opsPolicySchema } from '../../../src-main/shared/operations/opsPolicy';
import { replayResultSchema } from '../../../src-main/shared/results/operations';
import { call, FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY } from '../registry/registryFixtures';

/** Overfits badly without early stopping: a model clearly worse than FAST's. */
const OVERFIT = { learning_rate: 0.5, num_leaves: 63, min_data_in_leaf: 5, lambda_l2: 0, feature_fraction: 1, bagging_fraction: 1 };
const ONLY_SCHEDULE = { performance: { enabled: false }, drift: { enabled: false }, dataVolume: { enabled: false } };

describe('retraining in replays, after live checks, and on probation', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'champ', ...FAST });
    await runJobResult(engine, 'ml.train', { train: '2010', name: 'weak', numBoostRound: 60, params: OVERFIT });
    await call(engine, 'registry.register', { model: 'champ' });
  }, 120_000);
  afterAll(async () => cleanup());

  it('a replay with weekly retraining lists each retraining, its challenger trained only on games before its day', async () => {
    const policy = opsPolicySchema.parse({
      retraining: {
        enabled: true,
        autoPromote: 'production',
        cooldownDays: 0,
        triggers: ONLY_SCHEDULE,
        comparison: { days: 14, minImprovement: 0, minGames: 30, resamples: 200 },
      },
    });
    const from = '2012-06-01';
    const to = '2012-06-20';
    const result = replayResultSchema.parse(
      await runJobResult(engine, 'deploy.replay', { model: 'weak', season: 2012, from, to, policyText: JSON.stringify(policy) }),
    );
    // Sundays 3, 10 and 17 June 2012: each seen by the check of the day before it (at 09:00 UTC on the Sunday).
    expect(result.retrains.map((r) => [r.date, r.trigger])).toEqual([
      ['2012-06-02', 'schedule'],
      ['2012-06-09', 'schedule'],
      ['2012-06-16', 'schedule'],
    ]);
    for (const r of result.retrains) {
      expect(r.date >= from && r.date <= to).toBe(true);
      expect(r.decision).not.toBe('failed');
      expect(r.challenger).not.toBeNull();
      expect(r.challenger!.trainWindow!.to < r.date).toBe(true);
      expect(r.challenger!.trainWindow!.to < r.comparisonWindow!.from).toBe(true);
      expect(r.comparisonWindow!.to <= r.date).toBe(true);
      expect(r.comparison!.n).toBe(r.comparisonWindow!.games);
      const challenger = await engine.models.get(r.challenger!.model);
      expect(challenger.lastTrainingDate < r.comparisonWindow!.from).toBe(true);
    }
    // The overfit champion loses the first comparison; the replay's deployment serves the refit from then on.
    const first = result.retrains[0];
    expect(first.decision).toBe('promoted');
    expect(first.served).not.toBeNull();
    expect((await engine.models.get(first.served!)).lastTrainingDate <= first.date).toBe(true);
    const servedAfter = await engine.workspace.all<{ m: string }>(
      `SELECT DISTINCT source_model AS m FROM prediction_log WHERE replay_id = ? AND game_date > ?::DATE AND game_date <= ?::DATE`,
      [result.replayId, first.date, result.retrains[1].date],
    );
    expect(servedAfter.map((r) => r.m)).toEqual([first.served]);
    const servedBefore = await engine.workspace.all<{ m: string }>(
      `SELECT DISTINCT source_model AS m FROM prediction_log WHERE replay_id = ? AND game_date <= ?::DATE`,
      [result.replayId, first.date],
    );
    expect(servedBefore.map((r) => r.m)).toEqual(['weak']);
    // The history of the replay holds the same retrainings.
    const history = await call(engine, 'deploy.history', { name: 'replay-2012', replay: result.replayId });
    expect(history.retrains.map((r) => r.id).reverse()).toEqual(result.retrains.map((r) => r.retrainId));
    // Nothing was registered.
    expect((await call(engine, 'registry.show', { name: 'champ' })).versions).toHaveLength(1);
  }, 180_000);

  it('a replay without retraining lists no retrainings', async () => {
    const result = await runJobResult(engine, 'deploy.replay', { model: 'champ', season: 2012, from: '2012-06-01', to: '2012-06-04' });
    expect(result.retrains).toEqual([]);
    const history = await call(engine, 'deploy.history', { name: 'replay-2012', replay: result.replayId });
    expect(history.retrains).toEqual([]);
  }, 60_000);

  it('rolls back a planted degradation on probation: the deployment serves the previous model again and the record says why', async () => {
    const day = '2012-07-01';
    const clock = new ReplayClock(new Date(`${day}T09:00:00Z`));
    const scope: Scope = { replayId: 'probation-test', clock };
    const policy = opsPolicySchema.parse({ retraining: { enabled: true, probation: { days: 14, maxRelativeWorse: 0.02, minGames: 30 } } });
    const started = await engine.deployments.start({ model: 'champ', name: 'replay-2012', policy, policyText: null }, scope);
    // A planted promotion on `day`: champ replaced by the overfit model.
    const champ = await engine.models.get('champ');
    const weak = await engine.models.get('weak');
    const planted = openRecord(started, champ, { deployment: started.name, trigger: 'manual', reason: 'planted' }, scope, null);
    await engine.retraining.insert({
      ...planted,
      state: 'completed',
      step: 'done',
      decision: 'promoted',
      decisionReason: 'planted',
      refit: { model: 'weak', runId: weak.runId, window: { from: '2010-04-01', to: '2010-10-01', games: 1 } },
      probationUntil: '2012-07-15',
    });
    await engine.deployments.serve(started.name, { version: null, sourceModel: 'weak' }, scope);
    const days = ['2012-07-01', '2012-07-02', '2012-07-03', '2012-07-04', '2012-07-05', '2012-07-06', '2012-07-07'];
    for (const d of days) {
      clock.set(new Date(`${d}T10:00:00Z`));
      await engine.deployments.predict(started.name, { date: d, upcoming: false }, 'replay', scope);
    }
    clock.set(new Date('2012-07-08T09:00:00Z'));
    const logged = await engine.deployments.predictions(started.id, scope, { limit: 10_000 });
    const settled = new Set(logged.filter((l) => l.outcome !== null).map((l) => l.gameId));
    expect(settled.size).toBeGreaterThan(30);

    const auditBefore = await call(engine, 'registry.audit', {});
    const outcome = await checkProbation(engine, await engine.deployments.get(started.name, scope), scope);
    expect(outcome).not.toBeNull();
    // Both models scored every settled game since the promotion.
    expect(outcome!.verdict.n).toBe(settled.size);
    expect(outcome!.verdict.relativeWorse!).toBeGreaterThan(0.02);
    expect(outcome!.rolledBack).toBe(true);
    expect(outcome!.deployment).toMatchObject({ version: null, sourceModel: 'champ' });
    expect(await engine.deployments.get(started.name, scope)).toMatchObject({ sourceModel: 'champ' });
    const [row] = (await call(engine, 'deploy.history', { name: 'replay-2012', replay: scope.replayId! })).retrains;
    expect(row.id).toBe(planted.id);
    expect(row.rolledBackAt).toBe('2012-07-08T09:00:00.000Z');
    expect(row.rollbackReason).toContain(outcome!.verdict.explanation);
    expect(row.rollbackReason).toMatch(/Current model log loss \d\.\d{4} against the previous model's \d\.\d{4} on the same \d+ games/);
    // A replay changes no registry; and a rolled-back promotion is no longer on probation.
    expect(await call(engine, 'registry.audit', {})).toEqual(auditBefore);
    expect(await checkProbation(engine, await engine.deployments.get(started.name, scope), scope)).toBeNull();
  }, 90_000);

  it('a live deploy check whose trigger fires starts a retraining job', async () => {
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
    await call(engine, 'deploy.start', { model: 'champ:1', name: 'watched', policyText: JSON.stringify(policy) });
    expect((await call(engine, 'deploy.history', { name: 'watched' })).retrains).toEqual([]);
    await call(engine, 'deploy.check', { name: 'watched' });
    const [row] = (await call(engine, 'deploy.history', { name: 'watched' })).retrains;
    expect(row).toMatchObject({ trigger: 'dataVolume' });
    expect(row.jobId).not.toBeNull();
    const job = await engine.jobs.settled(row.jobId!);
    expect(job.kind).toBe('deploy.retrain');
    expect(job.state).toBe('completed');
    // A second check does not start another one for the same new games.
    await call(engine, 'deploy.check', { name: 'watched' });
    expect((await call(engine, 'deploy.history', { name: 'watched' })).retrains).toHaveLength(1);
    // A scheduled check hands the deployment it checked to afterCheck (the engine runs retraining there).
    const heard: string[] = [];
    const live: Scope = { replayId: null, clock: liveClock };
    const dep = await engine.deployments.get('watched', live);
    const checksBefore = (await engine.monitoring.checks(dep.id, live, 100)).length;
    await deploymentCheckJob(
      dep,
      { deployments: engine.deployments, monitoring: engine.monitoring, afterCheck: (d) => heard.push(d.id) },
      live,
    ).task();
    expect(heard).toEqual([dep.id]);
    expect(await engine.monitoring.checks(dep.id, live, 100)).toHaveLength(checksBefore + 1);
  }, 90_000);

  it('live, a rollback on probation restores the previous production version in the registry as auto:<deployment> and serves it', async () => {
    await call(engine, 'settings.set', { user: 'alice' });
    await call(engine, 'ml.policy.set', { text: `${readFileSync(LENIENT_POLICY, 'utf8')}\nautoValidate: false\n` });
    // Two seasons each, so that validation's walk-forward fits: good as live:1 in production, then the overfit
    // bad as live:2 promoted over it (live:1 archived, kept for rollback).
    await runJobResult(engine, 'ml.train', { train: '2010-2011', valid: '2012', name: 'good', ...FAST });
    await runJobResult(engine, 'ml.train', { train: '2010-2011', name: 'bad', numBoostRound: 60, params: OVERFIT });
    await call(engine, 'registry.register', { model: 'good', as: 'live' });
    await call(engine, 'registry.register', { model: 'bad', as: 'live' });
    for (const [model, version] of [
      ['good', 1],
      ['bad', 2],
    ] as const) {
      await validateModel(engine, { model }, quietContext(`validate-${model}`));
      await engine.registry.approve('live', version, 'production', 'test', 'alice');
      await engine.registry.promote('live', version, 'production', 'alice', 'test');
    }
    const LIVE: Scope = { replayId: null, clock: liveClock };
    const policy = opsPolicySchema.parse({ retraining: { enabled: true, probation: { minGames: 30 } } });
    const started = await engine.deployments.start({ model: 'live:1', name: 'probed', policy, policyText: null }, LIVE);
    const good = await engine.models.get('good');
    const bad = await engine.models.get('bad');
    // A planted promotion whose probation covers games logged from 2012-07-01 (the demo's games are all past).
    const today = liveClock.now().toISOString().slice(0, 10);
    const planted = openRecord(started, good, { deployment: started.name, trigger: 'manual', reason: 'planted' }, LIVE, null);
    await engine.retraining.insert({
      ...planted,
      dataDay: '2012-07-01',
      state: 'completed',
      step: 'done',
      decision: 'promoted',
      decisionReason: 'planted',
      refit: { model: 'bad', runId: bad.runId, window: { from: '2010-04-01', to: '2011-10-01', games: 1 } },
      newVersion: { modelName: 'live', version: 2, stage: 'production' },
      probationUntil: new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10),
    });
    await engine.deployments.serve(started.name, { version: 2, sourceModel: 'bad' }, LIVE);
    for (const date of ['2012-07-01', '2012-07-02', '2012-07-03', '2012-07-04', '2012-07-05'])
      await call(engine, 'deploy.predict', { name: 'probed', date });

    const outcome = await checkProbation(engine, await engine.deployments.get('probed', LIVE), LIVE);
    expect(outcome).not.toBeNull();
    expect(outcome!.rolledBack).toBe(true);
    expect(outcome!.verdict.n).toBeGreaterThan(30);
    expect(outcome!.deployment).toMatchObject({ modelName: 'live', version: 1, sourceModel: 'good' });
    const versions = (await call(engine, 'registry.show', { name: 'live' })).versions;
    expect(versions.map((v) => [v.version, v.stage])).toEqual([
      [2, 'archived'],
      [1, 'production'],
    ]);
    const rollback = (await call(engine, 'registry.audit', { name: 'live' })).entries.filter((e) => e.action === 'rollback');
    expect(rollback.map((e) => [e.version, e.actor])).toEqual([
      [2, 'auto:probed'],
      [1, 'auto:probed'],
    ]);
    for (const e of rollback) expect(e.reason).toContain(outcome!.verdict.explanation);
    const [row] = (await call(engine, 'deploy.history', { name: 'probed' })).retrains;
    expect(row.rollbackReason).toContain(outcome!.verdict.explanation);
    expect(row.rolledBackAt).not.toBeNull();
  }, 120_000);
});
