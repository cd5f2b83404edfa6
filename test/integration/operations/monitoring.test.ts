import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { JobContext } from '../../../src-main/engine/jobs/jobContext';
import { ReplayClock } from '../../../src-main/engine/operations/clock';
import { DuckDbDeployments } from '../../../src-main/engine/operations/deployments/duckDbDeployments';
import { DuckDbMonitoring } from '../../../src-main/engine/operations/monitoring/duckDbMonitoring';
import type { Alert } from '../../../src-main/shared/results/operations';
import { replayResultSchema, type ReplayResult } from '../../../src-main/shared/results/operations';
import { runReplay, type ReplayInput } from '../../../src-main/engine/operations/replay/runReplay';
import { BullpenError } from '../../../src-main/shared/errors';
import { FAST, openMlEngine, runJobResult } from '../ml/mlWorkspace';

/**
 * Monitoring and replay end to end on the demo league (2010–2012): a model trained on 2010 with early
 * stopping on 2011 (its reference), replayed over parts of 2012 through the real deployment service,
 * worker pool and DuckDB tables; planted changes are written into the workspace's materialized feature
 * rows, which every prediction reads.
 */

const MODEL = 'monitored';

function context(options: { cancelAfter?: number } = {}): JobContext & { messages: string[] } {
  const messages: string[] = [];
  return {
    id: 'test-replay',
    signal: new AbortController().signal,
    messages,
    progress: (_f, message) => {
      if (message) messages.push(message);
    },
    throwIfCancelled: () => {
      if (options.cancelAfter !== undefined && messages.length >= options.cancelAfter)
        throw new BullpenError('cancelled', 'JOB_CANCELLED', 'the replay was cancelled');
    },
    log: () => undefined,
  };
}

/** A replay's JSON without what differs between two runs of the same replay. */
const comparable = (r: ReplayResult) => JSON.stringify({ ...r, replayId: null, durationMs: null });

describe('deploy replay and monitoring checks (demo league, real worker pool and DuckDB)', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let deployments: DuckDbDeployments;
  let monitoring: DuckDbMonitoring;
  const heard: { alert: Alert; event: 'opened' | 'resolved' }[] = [];
  let featureTable: string;

  const replay = (input: Omit<ReplayInput, 'model' | 'season'>, ctx = context()) =>
    runReplay({ workspace: engine.workspace, deployments, monitoring }, { model: MODEL, season: 2012, ...input }, ctx);

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine(7));
    await runJobResult(engine, 'ml.train', { target: 'home_win', train: '2010', valid: '2011', name: MODEL, ...FAST });
    deployments = new DuckDbDeployments(engine);
    monitoring = new DuckDbMonitoring(engine, deployments);
    monitoring.onAlert((alert, event) => heard.push({ alert, event }));
    const mats = await engine.features.materializations();
    featureTable = mats.find((m) => m.setName === 'default')?.tableName as string;
  });
  afterAll(async () => cleanup());

  let first: ReplayResult;

  it('replays days with games: one prediction per game, one check per day, a drift score series, the replay recorded', async () => {
    first = await replay({ from: '2012-05-01', to: '2012-05-24' });
    replayResultSchema.parse(first);
    const games = await engine.workspace.all<{ d: string; n: number }>(
      `SELECT strftime(date, '%Y-%m-%d') AS d, count(*)::INTEGER AS n FROM games WHERE date BETWEEN '2012-05-01' AND '2012-05-24' GROUP BY d ORDER BY d`,
    );
    expect(first.days).toBe(games.length);
    expect(first.predictions).toBe(games.reduce((s, g) => s + g.n, 0));
    // Outcomes of a day are known after it: after the last day, every game is settled.
    expect(first.settled).toBe(first.predictions);
    expect(first.driftScore.map((d) => d.date)).toEqual(games.map((g) => g.d));
    for (const d of first.driftScore) expect(d.value).not.toBeNull();
    expect(first.performance.bets).toBeGreaterThan(0);
    expect(first.performance.logLoss).toBeGreaterThan(0.5);
    expect(first.performance.marketLogLoss).toBeGreaterThan(0.5);

    const deployment = await deployments.get('replay-2012', {
      replayId: first.replayId,
      clock: new ReplayClock(new Date('2012-06-01T00:00:00Z')),
    });
    expect(deployment.status).toBe('stopped');
    const scope = { replayId: first.replayId, clock: new ReplayClock(new Date('2012-06-01T00:00:00Z')) };
    const checks = await monitoring.checks(deployment.id, scope, 1000);
    expect(checks).toHaveLength(first.days);
    // Checks run the morning after each replayed day; the drift monitors judge once the window holds 200 games.
    expect(checks[0].checkedAt).toBe('2012-05-25T09:00:00.000Z');
    const early = checks[checks.length - 1].results.find((r) => r.monitor === 'datasetDrift');
    expect(early?.status).toBe('unknown');
    const late = checks[0].results.find((r) => r.monitor === 'datasetDrift');
    expect(late?.status).not.toBe('unknown');
    expect(checks[0].results.filter((r) => r.monitor === 'featureDrift')).toHaveLength(
      (await engine.models.get(MODEL)).featureNames.length,
    );
    expect(checks[0].driftScore).toBe(first.driftScore[first.driftScore.length - 1].value);
    // Each feature's statistics are stored beside its value (the gauges and the heatmap read them).
    const psi = checks[0].results.find((r) => r.monitor === 'featureDrift') as unknown as { statistics: { psi: number; ks: number } };
    expect(psi.statistics.psi).toBeGreaterThanOrEqual(0);
    expect(psi.statistics.ks).toBeGreaterThanOrEqual(0);
    // Realized performance is judged from 50 settled games: not after the first day, but after the last.
    const performanceOf = (c: (typeof checks)[number]) => c.results.find((r) => r.monitor === 'performanceDrift' && r.subject === null);
    expect(performanceOf(checks[checks.length - 1])?.status).toBe('unknown');
    expect(performanceOf(checks[0])?.status).not.toBe('unknown');
    // Nothing of the replay is live.
    expect(await monitoring.checks(deployment.id, { replayId: null, clock: scope.clock }, 10)).toHaveLength(0);
    const row = await engine.workspace.one<{ status: string; summary: string }>(
      `SELECT status, summary::VARCHAR AS summary FROM replays WHERE id = ?`,
      [first.replayId],
    );
    expect(row?.status).toBe('completed');
    expect(JSON.parse(row?.summary ?? '{}').predictions).toBe(first.predictions);
  });

  it('is deterministic: the same replay again gives the same JSON but for its id and duration', async () => {
    const again = await replay({ from: '2012-05-01', to: '2012-05-24' });
    expect(again.replayId).not.toBe(first.replayId);
    expect(comparable(again)).toBe(comparable(first));
  });

  it('stops between days when cancelled and records the replay as cancelled', async () => {
    const ctx = context({ cancelAfter: 3 });
    const err = await replay({ from: '2012-05-01', to: '2012-05-24' }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).kind).toBe('cancelled');
    expect(ctx.messages).toHaveLength(3);
    const statuses = await engine.workspace.all<{ status: string }>(`SELECT status FROM replays ORDER BY created_at`);
    expect(statuses.map((s) => s.status)).toEqual(['completed', 'completed', 'cancelled']);
  });

  it('alerts on a feature that goes missing for 30% of games the day it breaks, refreshes it while broken, resolves it after, and records acknowledgement', async () => {
    // elo_diff is never missing in 2012: from 2012-06-05 to 06-07, 3 of every 10 games of each day lose it.
    await engine.workspace.run(
      `UPDATE ${featureTable} SET elo_diff = NULL WHERE game_id IN (
         SELECT game_id FROM (SELECT game_id, row_number() OVER (PARTITION BY date ORDER BY game_id) AS rn FROM ${featureTable}
           WHERE date BETWEEN '2012-06-05' AND '2012-06-07') WHERE rn % 10 IN (1, 4, 7))`,
    );
    heard.length = 0;
    const r = await replay({ from: '2012-06-01', to: '2012-06-12' });
    const missing = r.alerts.filter((a) => a.monitor === 'missingValues' && a.feature === 'elo_diff');
    expect(missing).toHaveLength(1);
    expect(missing[0].date).toBe('2012-06-05');
    expect(missing[0].severity).toBe('alert');
    expect(missing[0].value).toBeGreaterThan(0.15);
    const scope = { replayId: r.replayId, clock: new ReplayClock(new Date('2012-06-13T12:00:00Z')) };
    const [alert] = (await monitoring.alerts({ limit: 500 }, scope)).filter(
      (a) => a.monitor === 'missingValues' && a.subject === 'elo_diff',
    );
    expect(alert.status).toBe('resolved');
    expect(alert.firstSeen).toBe('2012-06-06T09:00:00.000Z');
    // Refreshed by the checks after the 6th and 7th, resolved by the one after the 8th (last seen stays the last time it fired).
    expect(alert.lastSeen).toBe('2012-06-08T09:00:00.000Z');
    expect(heard.filter((h) => h.alert.id === alert.id).map((h) => h.event)).toEqual(['opened', 'resolved']);
    // Other alerts of this replay are untouched by it; the other replays' alerts are not in its scope.
    expect((await monitoring.alerts({ limit: 500 }, scope)).every((a) => a.deploymentId === alert.deploymentId)).toBe(true);

    const acked = await monitoring.acknowledge(alert.id, 'quant@team', scope);
    expect(acked.acknowledgedBy).toBe('quant@team');
    expect(acked.acknowledgedAt).toBe('2012-06-13T12:00:00.000Z');
    const again = await monitoring.acknowledge(alert.id, 'someone-else', {
      ...scope,
      clock: new ReplayClock(new Date('2012-06-14T00:00:00Z')),
    });
    expect(again.acknowledgedBy).toBe('quant@team');
    const live = await monitoring.acknowledge(alert.id, 'quant@team', { replayId: null, clock: scope.clock }).catch((e: unknown) => e);
    expect((live as BullpenError).code).toBe('ALERT_NOT_FOUND');
  });

  it('alerts on data drift of a feature whose values scale from a date, within 14 replayed days', async () => {
    // From 2012-07-01 every game's away_run_diff_pg_last10 is 2.5 times what it was.
    await engine.workspace.run(
      `UPDATE ${featureTable} SET away_run_diff_pg_last10 = 2.5 * away_run_diff_pg_last10 WHERE date >= '2012-07-01'`,
    );
    const r = await replay({ from: '2012-06-10', to: '2012-07-14' });
    const scope = { replayId: r.replayId, clock: new ReplayClock(new Date('2012-07-15T12:00:00Z')) };
    const deployment = await deployments.get('replay-2012', scope);
    const checks = (await monitoring.checks(deployment.id, scope, 100)).reverse();
    const psi = (checkedAt: string) =>
      checks
        .find((c) => c.checkedAt.startsWith(checkedAt))
        ?.results.find((x) => x.monitor === 'featureDrift' && x.subject === 'away_run_diff_pg_last10');
    // Before the change the feature is measured and not drifted.
    expect(psi('2012-07-01')?.status).toBe('ok');
    const opened = r.alerts.filter((a) => a.monitor === 'featureDrift' && a.feature === 'away_run_diff_pg_last10');
    expect(opened).toHaveLength(1);
    expect(opened[0].date >= '2012-07-01' && opened[0].date <= '2012-07-14').toBe(true);
    expect(opened[0].value).toBeGreaterThan(0.2);
    expect(r.driftScore.find((d) => d.date === '2012-07-14')?.value).toBeGreaterThan(
      r.driftScore.find((d) => d.date === '2012-06-30')?.value ?? 1,
    );
  });
});
