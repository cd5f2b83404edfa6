// A/B experiments (issue 14) on a real demo workspace with real trained models: refusals that write nothing,
// routing by GrowthBook's v2 hash (the same in a Python process), shadow rows for every game, the analysis,
// a planted sample-ratio mismatch opening an alert, a planted losing challenger tripping the circuit breaker
// (recorded in the registry's audit trail), and an experiment inside `deploy replay`.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketRanges, chooseVariant, hashV2, splitWeights } from '../../../src-workers/compute/experiments/routing';
import type { Engine } from '../../../src-main/engine/engine';
import { experimentSchema, experimentStatusResultSchema } from '../../../src-main/shared/results/experiments';
import { deployPredictResultSchema, replayResultSchema } from '../../../src-main/shared/results/operations';
import { call, FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY, refusal } from '../registry/registryFixtures';
import { demoDay, promoteToProduction } from '../operations/deploymentFixtures';

/** Overfits a small window badly without early stopping (as the retraining tests' weak champion). */
const OVERFIT = { learning_rate: 0.5, num_leaves: 63, min_data_in_leaf: 5, lambda_l2: 0, feature_fraction: 1, bagging_fraction: 1 };

interface PredictionRow {
  [key: string]: unknown;
  game_id: string;
  variant: string;
  routed: boolean;
  p: number;
  side: string | null;
  stake: number;
  log_seq: number | null;
  replay_id: string | null;
}

const count = async (engine: Engine, table: string): Promise<number> =>
  Number(await engine.workspace.value(`SELECT count(*) FROM ${table}`));

describe('A/B experiments on a deployment', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  const days: string[] = [];

  const rows = (experimentId: string) =>
    engine.workspace.all<PredictionRow>(
      `SELECT game_id, variant, routed, p, side, stake, log_seq, replay_id FROM experiment_predictions WHERE experiment_id = ? ORDER BY seq`,
      [experimentId],
    );
  const assignments = (experimentId: string) =>
    engine.workspace.all<{ game_id: string; variant: string; bucket: number; share: number }>(
      `SELECT game_id, variant, bucket, share FROM experiment_assignments WHERE experiment_id = ? ORDER BY game_id`,
      [experimentId],
    );
  const predict = async (date: string) => deployPredictResultSchema.parse(await call(engine, 'deploy.predict', { name: 'bp', date }));

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await call(engine, 'settings.set', { user: 'alice' });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'ctrl', ...FAST });
    await runJobResult(engine, 'ml.train', { train: '2010-2011', name: 'chal', ...FAST, numBoostRound: 30 });
    await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', target: 'over', name: 'totals', ...FAST });
    await call(engine, 'registry.register', { model: 'ctrl', as: 'bp' });
    await call(engine, 'deploy.start', { model: 'bp:1', name: 'bp' });
    for (let i = 0; i < 8; i++) days.push((await demoDay(engine, 2012, 40 + i)).day);
  }, 180_000);
  afterAll(async () => cleanup());

  it('refuses bad input with a clear code and exit 3, and writes nothing', async () => {
    const base = { deployment: 'bp', challenger: 'chal' };
    const cases: [unknown, string, string][] = [
      [{ ...base, deployment: 'ghost' }, 'DEPLOYMENT_NOT_FOUND', 'notFound'],
      [{ ...base, split: '120/-20' }, 'BAD_SPLIT', 'input'],
      [{ ...base, split: '80/30' }, 'BAD_SPLIT', 'input'],
      [{ ...base, alpha: 2 }, 'INVALID_INPUT', 'input'],
      [{ ...base, challenger: 'totals' }, 'CHALLENGER_TARGET_MISMATCH', 'input'],
      [{ ...base, challenger: 'ctrl' }, 'CHALLENGER_IS_CONTROL', 'input'],
      [{ ...base, challenger: 'bp:1' }, 'CHALLENGER_IS_CONTROL', 'input'],
      [{ ...base, challenger: 'nobody' }, 'CHALLENGER_NOT_FOUND', 'notFound'],
      [{ ...base, guardrails: ['speed'] }, 'INVALID_INPUT', 'input'],
    ];
    for (const [input, code, kind] of cases) {
      const err = await refusal(engine, 'ab.start', input);
      expect({ input, code: err.code, kind: err.kind }).toEqual({ input, code, kind });
      expect(err.message.length).toBeGreaterThan(20);
    }
    expect(await count(engine, 'experiments')).toBe(0);
    expect(await count(engine, 'experiment_events')).toBe(0);
    expect((await refusal(engine, 'ab.status', { name: 'nothing' })).code).toBe('EXPERIMENT_NOT_FOUND');
  });

  describe('an 80/20 experiment of chal against the deployed ctrl', () => {
    let id: string;
    let salt: string;

    it('starts with the split, its share, and the name as the hash salt', async () => {
      const e = experimentSchema.parse(await call(engine, 'ab.start', { deployment: 'bp', challenger: 'chal' }));
      ({ id, salt } = e);
      expect(e).toMatchObject({
        name: 'chal-vs-bp',
        salt: 'chal-vs-bp',
        deployment: 'bp',
        status: 'running',
        challengerShare: 0.2,
        control: { modelName: 'bp', version: 1, sourceModel: 'ctrl' },
        challenger: { modelName: 'chal', version: null, sourceModel: 'chal' },
        config: { split: [80, 20], metric: 'logLoss', guardrails: ['roi', 'calibration'], minSamples: 100, maxDays: 14, alpha: 0.05 },
        ramp: { steps: [5, 10, 25, 50, 100], current: null, status: 'off' },
        decision: null,
      });
      const twice = await refusal(engine, 'ab.start', { deployment: 'bp', challenger: 'chal', name: 'another' });
      expect(twice.code).toBe('EXPERIMENT_RUNNING');
      expect(await count(engine, 'experiments')).toBe(1);
    });

    it('both models score every game: one routed and one shadow row per game, the variant from the hash of (salt, game)', async () => {
      const r = await predict(days[0]);
      expect(r.predictions.length).toBeGreaterThanOrEqual(5);
      const logged = await rows(id);
      expect(logged).toHaveLength(2 * r.predictions.length);
      const ranges = bucketRanges(splitWeights(0.2));
      for (const p of r.predictions) {
        const mine = logged.filter((x) => x.game_id === p.gameId);
        expect(mine.map((x) => x.variant).sort()).toEqual(['challenger', 'control']);
        expect(mine.filter((x) => x.routed)).toHaveLength(1);
        const expected = chooseVariant(hashV2(salt, p.gameId), ranges) === 1 ? 'challenger' : 'control';
        expect(p.experiment).toMatchObject({ experiment: 'chal-vs-bp', variant: expected });
        const control = mine.find((x) => x.variant === 'control') as PredictionRow;
        const challenger = mine.find((x) => x.variant === 'challenger') as PredictionRow;
        expect(control.p).toBe(p.p);
        expect(Number(control.log_seq)).toBe(p.seq);
        expect(challenger.log_seq).toBeNull();
        expect(challenger.p).toBeGreaterThan(0);
        expect(challenger.p).toBeLessThan(1);
        expect(mine.find((x) => x.routed)?.variant).toBe(expected);
        expect(p.experiment?.p).toBe(expected === 'control' ? control.p : challenger.p);
        expect(p.experiment?.shadowP).toBe(expected === 'control' ? challenger.p : control.p);
        for (const x of mine) expect(x.stake === 0 ? x.side === null : x.side !== null && x.stake === 1).toBe(true);
      }
      expect(
        logged.some((x) => x.variant === 'challenger' && logged.find((c) => c.game_id === x.game_id && c.variant === 'control')?.p !== x.p),
      ).toBe(true);
    });

    it('routes a game the same way on every call, also when calls race, and a Python process reproduces every bucket', async () => {
      for (const d of days.slice(1, 5)) await predict(d);
      // Three calls scoring the same new games at once: each game gets one assignment, and every call reports it.
      const raced = await Promise.all([predict(days[5]), predict(days[5]), predict(days[5])]);
      const ids = raced[0].predictions.map((p) => p.gameId);
      expect(ids.length).toBeGreaterThan(0);
      for (const r of raced)
        expect(r.predictions.map((p) => [p.gameId, p.experiment?.variant])).toEqual(
          raced[0].predictions.map((p) => [p.gameId, p.experiment?.variant]),
        );
      const racedAssignments = (await assignments(id)).filter((a) => ids.includes(a.game_id));
      expect(racedAssignments.map((a) => [a.game_id, a.variant]).sort()).toEqual(
        raced[0].predictions.map((p) => [p.gameId, p.experiment?.variant]).sort(),
      );
      const before = await rows(id);
      const again = await predict(days[0]);
      expect(await rows(id)).toHaveLength(before.length);
      const assigned = await assignments(id);
      const byGame = new Map(assigned.map((a) => [a.game_id, a]));
      for (const p of again.predictions) expect(p.experiment?.variant).toBe(byGame.get(p.gameId)?.variant);
      expect(assigned.length).toBeGreaterThan(30);
      const script = [
        'import json, sys',
        'def fnv(s):',
        '    h = 0x811c9dc5',
        '    for ch in s:',
        '        h ^= ord(ch)',
        '        h = (h * 0x01000193) & 0xffffffff',
        '    return h',
        'salt, ids = json.load(sys.stdin)',
        'print(json.dumps([(fnv(str(fnv(salt + g))) % 10000) / 10000 for g in ids]))',
      ].join('\n');
      const py = spawnSync('python3', ['-c', script], { input: JSON.stringify([salt, assigned.map((a) => a.game_id)]), encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      const buckets = JSON.parse(py.stdout) as number[];
      assigned.forEach((a, i) => {
        expect(a.bucket).toBe(buckets[i]);
        expect(a.variant).toBe(buckets[i] >= 0.8 ? 'challenger' : 'control');
      });
      // Both variants got games, in roughly the split.
      const challengers = assigned.filter((a) => a.variant === 'challenger').length;
      expect(challengers).toBeGreaterThan(0);
      expect(challengers).toBeLessThan(assigned.length / 2);
    });

    it('ab status: control first, both analyses with power, the boundary by day, SRM, and why promote is not allowed', async () => {
      const s = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'chal-vs-bp' }));
      expect(s.variants.map((v) => [v.variant, v.name])).toEqual([
        ['control', 'bp:1'],
        ['challenger', 'chal'],
      ]);
      const assigned = await assignments(id);
      expect(s.variants[0].assigned + s.variants[1].assigned).toBe(assigned.length);
      // Every game was played: the live clock knows all their results.
      expect(s.variants[0].games + s.variants[1].games).toBe(assigned.length);
      expect(s.pairedGames).toBe(assigned.length);
      expect(s.paired?.primary).toMatchObject({ metric: 'logLoss', direction: 'lower', n: assigned.length });
      expect(s.routed?.primary.nChallenger).toBe(s.variants[1].games);
      expect(s.paired?.guardrails.map((g) => g.metric)).toEqual(['roi', 'calibration']);
      expect(s.paired?.primary.power.fixed).not.toBeNull();
      expect(s.timeline.map((p) => p.date)).toEqual(days.slice(0, 6));
      expect(s.timeline[5].n).toBe(assigned.length);
      for (const p of s.timeline) {
        const [lo, hi] = p.sequentialCi;
        const [flo, fhi] = p.fixedCi;
        // The always-valid interval is wider than the fixed-horizon one at every look.
        if (lo !== null && hi !== null && flo !== null && fhi !== null) expect(hi - lo).toBeGreaterThan(fhi - flo);
      }
      expect(s.srm?.counts).toEqual([s.variants[0].assigned, s.variants[1].assigned]);
      expect(s.srm?.mismatch).toBe(false);
      expect(s.decision).toMatchObject({ outcome: 'continue', by: 'minSamples' });
      expect(s.actions.stop.allowed).toBe(true);
      expect(s.actions.rollback.allowed).toBe(true);
      expect(s.actions.promote).toMatchObject({ allowed: false, reason: expect.stringMatching(/not chosen the challenger/) });
      expect((await refusal(engine, 'ab.promote', { name: 'chal-vs-bp' })).code).toBe('PROMOTION_BLOCKED');
    });

    it('a planted sample-ratio mismatch opens an experimentSrm alert on the deployment at the next scoring', async () => {
      // 150 more games of 2011 routed to the challenger at a 20% share: far beyond what the hash gives.
      const extra = await engine.workspace.all<{ game_id: string }>(
        `SELECT game_id FROM games WHERE season = 2011 ORDER BY game_id LIMIT 150`,
      );
      await engine.workspace.run(
        `INSERT INTO experiment_assignments (experiment_id, game_id, replay_id, variant, bucket, share, assigned_at)
         SELECT ?, game_id, NULL, 'challenger', 0.9, 0.2, now() FROM games WHERE game_id IN (${extra.map(() => '?').join(', ')})`,
        [id, ...extra.map((g) => g.game_id)],
      );
      const heard: string[] = [];
      const off = engine.monitoring.onAlert((a, event) => heard.push(`${a.monitor}:${a.subject}:${event}`));
      await predict(days[6]);
      off();
      const alerts = await call(engine, 'deploy.alerts', { name: 'bp', status: 'firing' });
      const srm = alerts.find((a) => a.monitor === 'experimentSrm');
      expect(srm).toMatchObject({ subject: 'chal-vs-bp', threshold: 0.001, severity: 'alert' });
      expect(srm?.value).toBeLessThan(0.001);
      expect(heard).toContain('experimentSrm:chal-vs-bp:opened');
      const s = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'chal-vs-bp' }));
      expect(s.srm?.mismatch).toBe(true);
      expect(s.events.map((e) => e.kind)).toContain('srm');
      // The next scoring refreshes the same alert rather than opening another.
      await predict(days[7]);
      const again = await call(engine, 'deploy.alerts', { name: 'bp', status: 'firing' });
      expect(again.filter((a) => a.monitor === 'experimentSrm')).toHaveLength(1);
    });

    it('stop ends it: the deployment scores control alone from then on; stopping twice is refused', async () => {
      const stopped = experimentSchema.parse(await call(engine, 'ab.stop', { name: 'chal-vs-bp', reason: 'test' }));
      expect(stopped).toMatchObject({ status: 'stopped', challengerShare: 0 });
      expect(stopped.endedAt).not.toBeNull();
      const n = (await rows(id)).length;
      const r = await predict((await demoDay(engine, 2012, 60)).day);
      expect(r.predictions.every((p) => p.experiment === undefined)).toBe(true);
      expect(await rows(id)).toHaveLength(n);
      expect((await refusal(engine, 'ab.stop', { name: 'chal-vs-bp' })).code).toBe('EXPERIMENT_NOT_RUNNING');
      expect(await call(engine, 'ab.list', {})).toEqual([]);
      expect((await call(engine, 'ab.list', { all: true })).map((e) => e.name)).toEqual(['chal-vs-bp']);
    });
  });

  it('the circuit breaker routes a planted losing challenger 0% and records it in the registry audit trail', async () => {
    const e = experimentSchema.parse(
      await call(engine, 'ab.start', { deployment: 'bp', challenger: 'chal', name: 'breaker', split: '50/50', bankroll: 4, maxLoss: 0.5 }),
    );
    expect(e.challengerShare).toBe(0.5);
    const early = [(await demoDay(engine, 2012, 70)).day, (await demoDay(engine, 2012, 71)).day];
    for (const d of early) await predict(d);
    // Plant the loss: the challenger's routed games get a bet on the side that lost (its latest row counts).
    const routed = await engine.workspace.all<{ game_id: string; lost: string }>(
      `SELECT a.game_id, CASE WHEN g.home_score > g.away_score THEN 'second' ELSE 'first' END AS lost
       FROM experiment_assignments a JOIN games g USING (game_id) WHERE a.experiment_id = ? AND a.variant = 'challenger'`,
      [e.id],
    );
    expect(routed.length).toBeGreaterThanOrEqual(3);
    for (const r of routed)
      await engine.workspace.run(
        `INSERT INTO experiment_predictions (experiment_id, replay_id, game_id, game_date, predicted_at, variant, routed, model_name, version,
           source_model, p, price_first, price_second, side, stake, log_seq)
         SELECT experiment_id, replay_id, game_id, game_date, predicted_at, variant, routed, model_name, version, source_model, p,
           2.0, 2.0, ?, 1, NULL FROM experiment_predictions WHERE experiment_id = ? AND game_id = ? AND variant = 'challenger' LIMIT 1`,
        [r.lost, e.id, r.game_id],
      );
    const before = await call(engine, 'ab.status', { name: 'breaker' });
    expect(before.circuitBreaker).toMatchObject({ tripped: true, challengerProfit: -routed.length, lossLimit: 2 });
    expect(before.experiment.status).toBe('running');

    const next = await predict((await demoDay(engine, 2012, 72)).day);
    expect(next.predictions.length).toBeGreaterThan(0);
    expect(next.predictions.every((p) => p.experiment === undefined)).toBe(true);
    const after = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'breaker' }));
    expect(after.experiment).toMatchObject({
      status: 'rolledBack',
      challengerShare: 0,
      decision: { outcome: 'circuitBreaker', by: 'bankroll' },
    });
    expect(after.events.map((x) => x.kind)).toEqual(['started', 'circuitBreaker']);
    expect(after.actions.rollback.allowed).toBe(false);
    const audit = await call(engine, 'registry.audit', { verify: true });
    const entry = audit.entries.find((a) => a.action === 'experiment');
    expect(entry).toMatchObject({ actor: 'auto:bp', modelName: 'chal', after: { experiment: 'breaker', challengerShare: 0 } });
    expect(entry?.reason).toMatch(/lost \d+ units, more than 2/);
    expect(audit.verification?.ok).toBe(true);
  });

  it('a clear winner completes the experiment; promote goes through the registry gates and the deployment serves it; rollback restores', async () => {
    // Control: an overfit model in production under `wk`; challenger: the sensible ctrl, registered as wk:2.
    await runJobResult(engine, 'ml.train', { train: '2010-2011', name: 'weak', numBoostRound: 60, params: OVERFIT });
    await call(engine, 'registry.register', { model: 'weak', as: 'wk' });
    await promoteToProduction(engine, 'weak', 'wk', 1);
    await call(engine, 'deploy.start', { model: 'wk', name: 'wk' });
    await call(engine, 'registry.register', { model: 'ctrl', as: 'wk' });
    const e = experimentSchema.parse(
      await call(engine, 'ab.start', {
        deployment: 'wk',
        challenger: 'wk:2',
        name: 'winner',
        split: '50/50',
        minSamples: 20,
        guardrails: ['calibration'],
      }),
    );
    expect(e.challenger).toMatchObject({ modelName: 'wk', version: 2, sourceModel: 'ctrl' });
    let status = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'winner' }));
    for (let i = 0; i < 20 && status.experiment.status === 'running'; i++) {
      await call(engine, 'deploy.predict', { name: 'wk', date: (await demoDay(engine, 2012, 90 + i)).day });
      status = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'winner' }));
    }
    expect(status.experiment.status).toBe('completed');
    expect(status.experiment.decision).toMatchObject({ outcome: 'challenger', by: 'sequential' });
    expect(status.paired?.primary.sequential.significant).toBe(true);
    expect(status.paired?.primary.effect).toBeGreaterThan(0);
    // Validated and approved nowhere yet: the registry's gate says why.
    expect(status.actions.promote.allowed).toBe(false);
    expect((await refusal(engine, 'ab.promote', { name: 'winner' })).code).toBe('PROMOTION_BLOCKED');
    const validated = await runJobResult(engine, 'ml.validate', { model: 'ctrl', policy: LENIENT_POLICY });
    expect(validated.report.status).toBe('passed');
    await call(engine, 'registry.approve', { name: 'wk:2', stage: 'production', comment: 'experiment winner' });
    const gate = experimentStatusResultSchema.parse(await call(engine, 'ab.status', { name: 'winner' })).actions.promote;
    expect(gate.allowed).toBe(true);

    const promoted = await call(engine, 'ab.promote', { name: 'winner', reason: 'won' });
    expect(promoted).toMatchObject({ modelName: 'wk', version: 2, stage: 'production', served: true, experiment: { status: 'promoted' } });
    expect(await call(engine, 'deploy.show', { name: 'wk' })).toMatchObject({ deployment: { version: 2, sourceModel: 'ctrl' } });
    expect((await call(engine, 'registry.show', { name: 'wk' })).versions.find((v) => v.version === 2)?.stage).toBe('production');

    const rolled = experimentSchema.parse(await call(engine, 'ab.rollback', { name: 'winner', reason: 'second thoughts' }));
    expect(rolled.status).toBe('rolledBack');
    expect(await call(engine, 'deploy.show', { name: 'wk' })).toMatchObject({ deployment: { version: 1, sourceModel: 'weak' } });
    expect((await call(engine, 'registry.show', { name: 'wk' })).versions.find((v) => v.version === 1)?.stage).toBe('production');
    expect((await refusal(engine, 'ab.rollback', { name: 'winner' })).code).toBe('EXPERIMENT_NOT_RUNNING');
    // Stopping the deployment ends the experiment running on it.
    await call(engine, 'ab.start', { deployment: 'wk', challenger: 'chal', name: 'orphan' });
    await call(engine, 'deploy.stop', { name: 'wk' });
    const orphan = (await call(engine, 'ab.list', { all: true })).find((x) => x.name === 'orphan');
    expect(orphan).toMatchObject({ status: 'stopped', challengerShare: 0 });
    expect((await call(engine, 'ab.status', { name: 'orphan' })).events.at(-1)?.message).toMatch(/deployment wk was stopped/);
  }, 300_000);

  it('deploy replay --challenger runs the experiment day by day: control first, SRM, the stop and its decision, rows under the replay id', async () => {
    const liveRows = await count(engine, 'experiment_predictions');
    const result = replayResultSchema.parse(
      await runJobResult(engine, 'deploy.replay', {
        model: 'ctrl',
        challenger: 'chal',
        split: '70/30',
        season: 2012,
        from: '2012-05-01',
        to: '2012-06-10',
        minSamples: 30,
        maxDays: 30,
      }),
    );
    expect(result.experiments).toHaveLength(1);
    const [x] = result.experiments;
    expect(x.name).toBe('chal-vs-ctrl');
    expect(x.variants.map((v) => [v.variant, v.name])).toEqual([
      ['control', 'ctrl'],
      ['challenger', 'chal'],
    ]);
    expect(x.variants[0].games).toBeGreaterThan(x.variants[1].games);
    expect(x.variants[1].games).toBeGreaterThan(0);
    expect(x.srmPValue).toBeGreaterThan(0.001);
    expect(x.metric).toBe('logLoss');
    expect(x.analysis).toBe('paired');
    expect(x.ci[0]).not.toBeNull();
    expect(x.days).toBeGreaterThan(0);
    expect(x.days).toBeLessThanOrEqual(30);
    // stoppedOn is the first day either early-stopping rule fired; 30 days within a 41-day range always end with an answer.
    expect(x.stoppedOn).toBe([x.stops.sequential, x.stops.bayesian].filter((d): d is string => d !== null).sort()[0] ?? null);
    expect(x.decision).not.toBe('continue');
    const replayRows = await engine.workspace.all<{ n: number; r: string | null }>(
      `SELECT count(*) AS n, any_value(p.replay_id) AS r FROM experiment_predictions p JOIN experiments e ON e.id = p.experiment_id WHERE e.replay_id = ?`,
      [result.replayId],
    );
    expect(Number(replayRows[0].n)).toBe(2 * (await count(engine, `experiment_assignments WHERE replay_id = '${result.replayId}'`)));
    expect(replayRows[0].r).toBe(result.replayId);
    expect(await count(engine, 'experiment_predictions WHERE replay_id IS NULL')).toBe(liveRows);
    const s = await call(engine, 'ab.status', { name: 'chal-vs-ctrl', replay: result.replayId });
    expect(s.actions.promote.allowed).toBe(false);
    expect(s.experiment.status).not.toBe('running');
    // A replay without a challenger reports no experiments.
    const plain = await runJobResult(engine, 'deploy.replay', { model: 'ctrl', season: 2012, from: '2012-05-01', to: '2012-05-03' });
    expect(plain.experiments).toEqual([]);
  }, 180_000);

  it('deploy replay refuses a challenger of another target or a bad split before its job starts', async () => {
    const replays = await count(engine, 'replays');
    const base = { model: 'ctrl', season: 2012, from: '2012-05-01', to: '2012-05-10' };
    expect((await refusal(engine, 'deploy.replay', { ...base, challenger: 'totals' })).code).toBe('CHALLENGER_TARGET_MISMATCH');
    expect((await refusal(engine, 'deploy.replay', { ...base, challenger: 'chal', split: '120/-20' })).code).toBe('BAD_SPLIT');
    expect((await refusal(engine, 'deploy.replay', { ...base, challenger: 'ctrl' })).code).toBe('CHALLENGER_IS_CONTROL');
    expect(await count(engine, 'replays')).toBe(replays);
  });
});
