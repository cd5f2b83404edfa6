/**
 * Replay on real data (../shared/data through the cached real workspace, copied first: the original stays
 * untouched). A model trained on 2000–2014 with early stopping on 2015 is replayed over 2016 day by day
 * (its reference: the 2015 validation season); then planted changes on copies of the workspace:
 *   (a) from 2016-07-01 the home starting pitcher id is missing for 30% of games (a source column: the
 *       four home_sp_* features lose their value) — expected: a data-quality alert within 2 replay days;
 *   (b) from 2016-07-01 every score is scaled by 1.5 — expected: a data-drift alert on the rolling run
 *       features within 14 replay days;
 *   (c) no change, the reference drawn from the same distribution: a seeded random half of 2016's games is
 *       the reference and the replay's windows hold the other half (45-day windows, so a window keeps
 *       about 300 games a side) — the false-alarm rate over the seeds.
 * Also times the full-season replay against a plain `ml.backtest` of the same games and model.
 * Prints one JSON document (also written to /tmp/bullpen-bench-replay/result.json, or --json FILE).
 * Run: `npx tsx bench/replay.ts [--seeds N]` (`npm run bench -- replay`: 5 seeds; about 10 minutes on 2 cores).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyWorkspace, privateWorker, runJob } from './support/benchEngine';
import { Engine } from '../src-main/engine/engine';
import { ReplayClock } from '../src-main/engine/operations/clock';
import { DuckDbDeployments } from '../src-main/engine/operations/deployments/duckDbDeployments';
import { DuckDbMonitoring, type MonitoringOptions } from '../src-main/engine/operations/monitoring/duckDbMonitoring';
import type { ExplicitReference } from '../src-main/engine/operations/monitoring/references';
import { runReplay, type ReplayInput } from '../src-main/engine/operations/replay/runReplay';
import { DEFAULT_OPS_POLICY, opsPolicySchema } from '../src-main/shared/operations/opsPolicy';
import type { MonitorCheck, ReplayResult } from '../src-main/shared/results/operations';
import { createRng } from '../src-workers/compute/stats';
import { ensureRealWorkspace, REAL_WORKSPACE } from './realWorkspace';

const OUT = '/tmp/bullpen-bench-replay';
const MODEL = 'replay-bench-2000-2014';
const CHANGE = '2016-07-01';
const HOME_SP = ['home_sp_starts', 'home_sp_ra_last5', 'home_sp_team_win_pct_season', 'home_sp_rest_days'];
const ROLLING_RUNS = ['home_run_diff_pg_last10', 'away_run_diff_pg_last10', 'home_sp_ra_last5', 'away_sp_ra_last5'];
const SEASON_RUNS = ['runs_scored_pg_season', 'runs_allowed_pg_season', 'run_diff_pg_season'].flatMap((f) => [`home_${f}`, `away_${f}`]);

const r4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(4));
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Whether the sweep benchmark shares the machine (its timings and ours then both run on a loaded machine). */
function sweepBenchRunning(): boolean {
  try {
    return execSync('ps aux', { encoding: 'utf8' }).includes('bench/sweeps.ts');
  } catch {
    return false;
  }
}

interface Timed {
  engine: Engine;
  deployments: DuckDbDeployments;
  monitoring: DuckDbMonitoring;
  times: { predict: number[]; check: number[] };
}

let workerFile = '';

async function open(path: string, options: MonitoringOptions = {}): Promise<Timed> {
  const engine = await Engine.open({ workspacePath: path, pool: { filename: workerFile } });
  const deployments = new DuckDbDeployments(engine);
  const monitoring = new DuckDbMonitoring(engine, deployments, options);
  const times = { predict: [] as number[], check: [] as number[] };
  const predict = deployments.predict.bind(deployments);
  deployments.predict = async (...a: Parameters<typeof predict>) => {
    const t = performance.now();
    try {
      return await predict(...a);
    } finally {
      times.predict.push(performance.now() - t);
    }
  };
  const check = monitoring.checkWithEvents.bind(monitoring);
  monitoring.checkWithEvents = async (...a: Parameters<typeof check>) => {
    const t = performance.now();
    try {
      return await check(...a);
    } finally {
      times.check.push(performance.now() - t);
    }
  };
  return { engine, deployments, monitoring, times };
}

const ctx = (label: string) => ({
  id: `bench-${label}`,
  signal: new AbortController().signal,
  progress: (f: number, m?: string) => {
    if (m && (Math.round(f * 180) % 30 === 0 || f === 1)) process.stderr.write(`[${label}] ${m}\n`);
  },
  throwIfCancelled: () => undefined,
  log: (m: string) => process.stderr.write(`[${label}] ${m}\n`),
});

async function replay(
  t: Timed,
  label: string,
  input: Omit<ReplayInput, 'model' | 'season'>,
): Promise<{ r: ReplayResult; checks: MonitorCheck[] }> {
  t.times.predict.length = 0;
  t.times.check.length = 0;
  const r = await runReplay(
    { workspace: t.engine.workspace, deployments: t.deployments, monitoring: t.monitoring },
    { model: MODEL, season: 2016, ...input },
    ctx(label),
  );
  const scope = { replayId: r.replayId, clock: new ReplayClock(new Date('2016-12-31T00:00:00Z')) };
  const dep = await t.deployments.get('replay-2016', scope);
  const checks = (await t.monitoring.checks(dep.id, scope, 1000)).reverse();
  return { r, checks };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

function timing(t: Timed, r: ReplayResult) {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    seconds: r4(r.durationMs / 1000),
    days: r.days,
    predictMsPerDay: r4(sum(t.times.predict) / t.times.predict.length),
    checkMsMedian: r4(median(t.times.check)),
    checkMsMean: r4(sum(t.times.check) / t.times.check.length),
  };
}

/** Opened alerts by monitor: how many, the first date, and the subjects most often alerted. */
function alertSummary(r: ReplayResult) {
  const by = new Map<string, { count: number; first: string; subjects: Map<string, number> }>();
  for (const a of r.alerts) {
    const e = by.get(a.monitor) ?? { count: 0, first: a.date, subjects: new Map<string, number>() };
    e.count++;
    if (a.date < e.first) e.first = a.date;
    if (a.feature) e.subjects.set(a.feature, (e.subjects.get(a.feature) ?? 0) + 1);
    by.set(a.monitor, e);
  }
  return Object.fromEntries(
    [...by.entries()].map(([m, e]) => [
      m,
      {
        opened: e.count,
        first: e.first,
        subjects: [...e.subjects.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([s, n]) => `${s}×${n}`),
      },
    ]),
  );
}

/** The drift score month by month (mean, max) and the days at or above the warn (0.5) and alert (0.7) levels. */
function driftSummary(r: ReplayResult) {
  const months = new Map<string, number[]>();
  for (const d of r.driftScore) if (d.value !== null) months.set(d.date.slice(0, 7), [...(months.get(d.date.slice(0, 7)) ?? []), d.value]);
  return {
    byMonth: Object.fromEntries(
      [...months.entries()].map(([m, v]) => [m, { mean: r4(v.reduce((a, b) => a + b, 0) / v.length), max: r4(Math.max(...v)) }]),
    ),
    warnDays: r.driftScore.filter((d) => (d.value ?? 0) > 0.5).map((d) => d.date),
    alertDays: r.driftScore.filter((d) => (d.value ?? 0) > 0.7).map((d) => d.date),
  };
}

/** A monitor's value for a subject on the check after each replayed day (the check runs at 09:00 UTC the next day). */
function series(checks: MonitorCheck[], monitor: string, subject: string | null, dates: string[]) {
  const byDay = new Map(checks.map((c) => [new Date(Date.parse(c.checkedAt) - 86_400_000).toISOString().slice(0, 10), c]));
  return Object.fromEntries(
    dates.map((d) => {
      const x = byDay.get(d)?.results.find((res) => res.monitor === monitor && res.subject === subject);
      return [d, x ? `${r4(x.value)} ${x.status}` : null];
    }),
  );
}

function firstAfter(r: ReplayResult, monitor: string, features: string[], since: string) {
  const hit = r.alerts.filter((a) => a.monitor === monitor && a.feature !== null && features.includes(a.feature) && a.date >= since);
  return hit.length ? { date: hit[0].date, feature: hit[0].feature, value: r4(hit[0].value), replayDays: days(since, hit[0].date) } : null;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  workerFile = privateWorker('bullpen-bench-replay');
  const seeds = Number(flag('seeds') ?? process.env.BULLPEN_REPLAY_SEEDS ?? 5);
  const source = existsSync(REAL_WORKSPACE) ? REAL_WORKSPACE : await ensureRealWorkspace();
  const load = { before: loadavg().map((x) => +x.toFixed(2)), sweepBenchRunning: sweepBenchRunning() };
  const base = copyWorkspace(source, OUT, 'base');
  const out: Record<string, unknown> = {
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    load,
    model: `${MODEL}: home_win, default features, train 2000–2014, early stopping on 2015`,
  };

  // The model, trained once in the base copy (the planted copies are copied from it).
  {
    const engine = await Engine.open({ workspacePath: base, pool: { filename: workerFile } });
    const t = performance.now();
    if (!(await engine.models.find(MODEL)))
      await runJob(engine, 'ml.train', {
        target: 'home_win',
        features: 'default',
        train: '2000-2014',
        valid: '2015',
        name: MODEL,
        validate: false,
      });
    out.trainSeconds = r4((performance.now() - t) / 1000);
    await engine.close();
  }
  const plantedA = copyWorkspace(base, OUT, 'planted-missing');
  const plantedB = copyWorkspace(base, OUT, 'planted-scores');
  const splitCopy = copyWorkspace(base, OUT, 'split');

  // Baseline: 2016, default policy, reference = the 2015 validation season; then a plain backtest.
  let baseline: ReplayResult;
  let baselineChecks: MonitorCheck[] = [];
  {
    const t = await open(base);
    const { r, checks } = await replay(t, 'baseline', {});
    baseline = r;
    baselineChecks = checks;
    const started = performance.now();
    const bt = await runJob(t.engine, 'ml.backtest', { model: MODEL, seasons: '2016' });
    const backtestSeconds = (performance.now() - started) / 1000;
    const scope = { replayId: r.replayId, clock: new ReplayClock(new Date('2016-12-31T00:00:00Z')) };
    const ref = await t.monitoring.reference(await t.deployments.get('replay-2016', scope), scope);
    out.baseline = {
      reference: ref.description,
      referencePreparedMs: r4(ref.preparedMs),
      timing: timing(t, r),
      backtest: {
        seconds: r4(backtestSeconds),
        jobMs: r4(bt.durationMs),
        games: bt.games,
        logLoss: r4(bt.model?.logLoss),
        marketLogLoss: r4(bt.model?.marketLogLoss),
      },
      predictions: r.predictions,
      settled: r.settled,
      performance: r.performance,
      alerts: alertSummary(r),
      alertList: r.alerts.map((a) => `${a.date} ${a.monitor} ${a.feature ?? ''} ${r4(a.value)}`),
      driftScore: driftSummary(r),
      driftScoreSeries: r.driftScore.filter((_d, i) => i % 7 === 6).map((d) => `${d.date} ${r4(d.value)}`),
      datasetDrift: series(checks, 'datasetDrift', null, [
        '2016-04-30',
        '2016-05-31',
        '2016-06-30',
        '2016-07-31',
        '2016-08-31',
        '2016-09-30',
      ]),
      predictionDrift: series(checks, 'predictionDrift', null, [
        '2016-04-30',
        '2016-05-31',
        '2016-06-30',
        '2016-07-31',
        '2016-08-31',
        '2016-09-30',
      ]),
    };
    await t.engine.close();
  }

  // (a) the home starting pitcher goes missing for 30% of games from July 1.
  {
    const t = await open(plantedA);
    await t.engine.workspace.run(`UPDATE games SET home_sp_id = NULL WHERE date >= ?::DATE AND season = 2016 AND hash(game_id) % 10 < 3`, [
      CHANGE,
    ]);
    const m = performance.now();
    await t.engine.features.materialize('default', { force: false });
    const materializeSeconds = (performance.now() - m) / 1000;
    const { r, checks } = await replay(t, 'missing', { from: '2016-06-01', to: '2016-07-31' });
    out.plantedMissing = {
      change: `from ${CHANGE}, home_sp_id NULL on 30% of games (hash(game_id) % 10 < 3)`,
      rematerializeSeconds: r4(materializeSeconds),
      timing: timing(t, r),
      firstAlert: Object.fromEntries(HOME_SP.map((f) => [f, firstAfter(r, 'missingValues', [f], CHANGE)])),
      missingBefore: r.alerts.filter((a) => a.monitor === 'missingValues' && a.date < CHANGE).map((a) => `${a.date} ${a.feature}`),
      otherQualityAlertsAfter: r.alerts
        .filter(
          (a) => (a.monitor === 'missingValues' || a.monitor === 'outOfRange') && a.date >= CHANGE && !HOME_SP.includes(a.feature ?? ''),
        )
        .map((a) => `${a.date} ${a.monitor} ${a.feature}`),
      missingShare: series(checks, 'missingValues', 'home_sp_ra_last5', [
        '2016-06-30',
        '2016-07-01',
        '2016-07-02',
        '2016-07-15',
        '2016-07-31',
      ]),
      driftScore: driftSummary(r),
    };
    await t.engine.close();
  }

  // (b) scores scaled by 1.5 from July 1.
  {
    const t = await open(plantedB);
    await t.engine.workspace.run(
      `UPDATE games SET home_score = round(home_score * 1.5), away_score = round(away_score * 1.5) WHERE date >= ?::DATE AND season = 2016`,
      [CHANGE],
    );
    const m = performance.now();
    await t.engine.features.materialize('default', { force: false });
    const materializeSeconds = (performance.now() - m) / 1000;
    const { r, checks } = await replay(t, 'scores', { from: '2016-06-01', to: '2016-08-15' });
    const watch = ['2016-06-30', '2016-07-04', '2016-07-07', '2016-07-10', '2016-07-14', '2016-07-21', '2016-07-31', '2016-08-15'];
    out.plantedScores = {
      change: `from ${CHANGE}, home_score and away_score × 1.5 (rounded; winners unchanged)`,
      rematerializeSeconds: r4(materializeSeconds),
      timing: timing(t, r),
      firstRollingRunAlert: firstAfter(r, 'featureDrift', ROLLING_RUNS, CHANGE),
      firstByFeature: Object.fromEntries([...ROLLING_RUNS, ...SEASON_RUNS].map((f) => [f, firstAfter(r, 'featureDrift', [f], CHANGE)])),
      baselineSameWindow: Object.fromEntries(
        [...ROLLING_RUNS, ...SEASON_RUNS].map((f) => [f, firstAfter(baseline, 'featureDrift', [f], '2016-06-01')]),
      ),
      psi: Object.fromEntries(ROLLING_RUNS.map((f) => [f, series(checks, 'featureDrift', f, watch)])),
      baselinePsi: Object.fromEntries(ROLLING_RUNS.map((f) => [f, series(baselineChecks, 'featureDrift', f, watch)])),
      datasetDrift: series(checks, 'datasetDrift', null, watch),
      predictionDrift: series(checks, 'predictionDrift', null, watch),
      driftScore: driftSummary(r),
      alerts: alertSummary(r),
    };
    await t.engine.close();
  }

  // (b) again with 15-day drift windows (about 225 games, just above the 200 a window needs): planted and unchanged.
  {
    const policy = opsPolicySchema.parse({ ...DEFAULT_OPS_POLICY, windows: { driftDays: 15, performanceDays: 7 } });
    const watch = ['2016-06-30', '2016-07-04', '2016-07-07', '2016-07-10', '2016-07-17', '2016-07-21', '2016-07-31'];
    const planted = await open(plantedB);
    const p = await replay(planted, 'scores-15d', { from: '2016-06-01', to: '2016-08-15', policy });
    await planted.engine.close();
    const unchanged = await open(base);
    const u = await replay(unchanged, 'baseline-15d', { from: '2016-06-01', to: '2016-08-15', policy });
    await unchanged.engine.close();
    out.plantedScores15 = {
      policy: 'windows.driftDays 15',
      firstByFeature: Object.fromEntries(ROLLING_RUNS.map((f) => [f, firstAfter(p.r, 'featureDrift', [f], CHANGE)])),
      unchangedFirstByFeature: Object.fromEntries(ROLLING_RUNS.map((f) => [f, firstAfter(u.r, 'featureDrift', [f], '2016-06-01')])),
      psi: Object.fromEntries(ROLLING_RUNS.map((f) => [f, series(p.checks, 'featureDrift', f, watch)])),
      unchangedPsi: Object.fromEntries(ROLLING_RUNS.map((f) => [f, series(u.checks, 'featureDrift', f, watch)])),
      featureDriftAlertsUnchanged: u.r.alerts.filter((a) => a.monitor === 'featureDrift').length,
      featureDriftAlertsPlanted: p.r.alerts.filter((a) => a.monitor === 'featureDrift').length,
      datasetDriftPlanted: p.r.alerts.filter((a) => a.monitor === 'datasetDrift').map((a) => a.date),
      datasetDriftUnchanged: u.r.alerts.filter((a) => a.monitor === 'datasetDrift').map((a) => a.date),
    };
  }

  // (c) no change: seeded halves of 2016 as the reference, the other half monitored.
  {
    const policy = opsPolicySchema.parse({ ...DEFAULT_OPS_POLICY, windows: { driftDays: 45, performanceDays: 7 } });
    const engine0 = await Engine.open({ workspacePath: splitCopy, pool: { filename: workerFile } });
    const games = (await engine0.workspace.all<{ game_id: string }>(`SELECT game_id FROM games WHERE season = 2016 ORDER BY game_id`)).map(
      (g) => g.game_id,
    );
    await engine0.close();
    const runs: unknown[] = [];
    let datasetAlarms = 0;
    let predictionAlarms = 0;
    let anyFeatureAlarm = 0;
    let featureAlerts = 0;
    let checkDays = 0;
    let checkDaysWithDrift = 0;
    let seconds = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = createRng(seed);
      const half = new Set(games.filter(() => rng.nextFloat() < 0.5));
      const explicit: ExplicitReference = { seasons: [2016], gameIds: half, description: `a seeded half of 2016 (seed ${seed})` };
      const t = await open(splitCopy, { explicitReference: () => explicit });
      const { r, checks } = await replay(t, `split-${seed}`, { policy });
      await t.engine.close();
      seconds += r.durationMs / 1000;
      const drift = r.alerts.filter((a) => a.monitor === 'featureDrift');
      const dataset = r.alerts.filter((a) => a.monitor === 'datasetDrift');
      const prediction = r.alerts.filter((a) => a.monitor === 'predictionDrift');
      const judged = checks.filter((c) => c.results.some((x) => x.monitor === 'datasetDrift' && x.status !== 'unknown'));
      checkDays += judged.length;
      checkDaysWithDrift += judged.filter((c) => c.results.some((x) => x.monitor === 'featureDrift' && x.status === 'alert')).length;
      featureAlerts += drift.length;
      if (drift.length) anyFeatureAlarm++;
      if (dataset.length) datasetAlarms++;
      if (prediction.length) predictionAlarms++;
      runs.push({
        seed,
        referenceGames: half.size,
        featureDriftAlerts: drift.map((a) => `${a.date} ${a.feature} ${r4(a.value)}`),
        datasetDrift: dataset.length,
        predictionDrift: prediction.length,
        otherAlerts: r.alerts
          .filter((a) => !['featureDrift', 'datasetDrift', 'predictionDrift'].includes(a.monitor))
          .map((a) => `${a.date} ${a.monitor} ${a.feature ?? ''}`),
        judgedDays: judged.length,
        maxDriftScore: r4(Math.max(...r.driftScore.map((d) => d.value ?? 0))),
      });
    }
    out.noChange = {
      design: 'reference = a seeded random half of 2016 (all features, the model’s predictions); windows = the other half; 45-day windows',
      replays: seeds,
      secondsPerReplay: r4(seconds / seeds),
      replaysWithDatasetDriftAlert: datasetAlarms,
      replaysWithPredictionDriftAlert: predictionAlarms,
      replaysWithAnyFeatureDriftAlert: anyFeatureAlarm,
      featureDriftAlertsPerReplay: r4(featureAlerts / seeds),
      judgedCheckDays: checkDays,
      checkDaysWithADriftedFeature: checkDaysWithDrift,
      runs,
    };
  }
  out.loadAfter = loadavg().map((x) => +x.toFixed(2));
  const json = JSON.stringify(out, null, 2);
  process.stdout.write(`${json}\n`);
  writeFileSync(flag('json') ?? join(OUT, 'result.json'), json);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
