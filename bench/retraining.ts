/**
 * Retraining on a replayed 2016 (issue 13), real data (../shared/data through the cached real workspace,
 * copied first: the original stays untouched). One model, home_win on the default features, trained on
 * 2000–2014 with early stopping on 2015 (its training data ends with 2015), is replayed over 2016 day by day
 * under several operations policies, each in its own copy of the workspace:
 *   frozen   retraining off: the model serves the whole season;
 *   weekly   retraining on, only the schedule trigger (Sunday 06:00 UTC), cooldown 0, autoPromote production
 *            (a replay registers nothing: its deployment serves each winner from the next day on);
 *   all      retraining on with every trigger at its default (performance, drift, schedule, data volume;
 *            7-day cooldown), autoPromote production;
 *   weekly0  (only when asked for) weekly with comparison.minImprovement 0: significance alone decides;
 *   eager    (only when asked for) weekly with minImprovement 0 and ciLevel 0.51, the lowest the policy allows:
 *            about "deploy whenever the challenger's point estimate is better" (the gates nearly off).
 * Everything else is the default policy: challenger trained on every settled game before a 30-day comparison
 * window, promoted only when its log loss is more than 5% lower there with a 95% paired bootstrap interval
 * above 0; 14-day probation.
 * For each variant: log loss, accuracy and flat-bet ROI (one unit at edge ≥ 2% against the close, as the
 * replay's performance) over the season's settled predictions (the latest row per game) with 95% bootstrap
 * intervals over games; the de-vigged Pinnacle close on the same games; the paired per-game log-loss and
 * accuracy difference against frozen and against the close; retrains, promotions and rollbacks; compute time.
 * Prints one JSON document (also written to /tmp/bullpen-bench-retraining/result.json, or --json FILE).
 * Run (after `flock /tmp/bullpen-build.lock npm run build`: the replay runs the built compute worker):
 * `npx tsx bench/retraining.ts [--variants frozen,weekly,all] [--from 2016-04-03 --to 2016-04-20] [--json FILE]`
 * (`npm run bench -- retraining`; BULLPEN_RETRAIN_VARIANTS also selects variants).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyWorkspace, privateWorker, runJob } from './support/benchEngine';
import { Engine } from '../src-main/engine/engine';
import { ReplayClock } from '../src-main/engine/operations/clock';
import { edgeBets } from '../src-main/engine/operations/monitoring/references';
import { runReplay } from '../src-main/engine/operations/replay/runReplay';
import { opsPolicySchema, type OpsPolicy } from '../src-main/shared/operations/opsPolicy';
import type { LoggedPrediction, ReplayResult } from '../src-main/shared/results/operations';
import { LOG_LOSS_EPSILON, marketProbabilities } from '../src-workers/compute/metrics';
import { bootstrap, bootstrapRoi } from '../src-workers/compute/stats';
import { ensureRealWorkspace, REAL_WORKSPACE } from './realWorkspace';

const OUT = '/tmp/bullpen-bench-retraining';
const MODEL = 'retrain-bench-2000-2014';
const RESAMPLES = 2000;
const ONLY_SCHEDULE = { performance: { enabled: false }, drift: { enabled: false }, dataVolume: { enabled: false } };

const VARIANTS: Record<string, { description: string; policy: OpsPolicy }> = {
  frozen: { description: 'retraining off', policy: opsPolicySchema.parse({}) },
  weekly: {
    description: 'schedule trigger only (Sunday 06:00 UTC), cooldown 0, autoPromote production; other retraining settings default',
    policy: opsPolicySchema.parse({ retraining: { enabled: true, autoPromote: 'production', cooldownDays: 0, triggers: ONLY_SCHEDULE } }),
  },
  all: {
    description:
      'every trigger at its default (ROI < 3% over 7 days, drift > 0.8 for 3 days, Sunday, > 1000 new games), 7-day cooldown, autoPromote production',
    policy: opsPolicySchema.parse({ retraining: { enabled: true, autoPromote: 'production' } }),
  },
  eager: {
    description:
      'as weekly, with comparison.minImprovement 0 and ciLevel 0.51 (the lowest allowed): about "deploy when the point estimate is better"',
    policy: opsPolicySchema.parse({
      retraining: {
        enabled: true,
        autoPromote: 'production',
        cooldownDays: 0,
        triggers: ONLY_SCHEDULE,
        comparison: { minImprovement: 0, ciLevel: 0.51 },
      },
    }),
  },
  weekly0: {
    description: 'as weekly, with comparison.minImprovement 0 (the 95% paired interval alone decides)',
    policy: opsPolicySchema.parse({
      retraining: { enabled: true, autoPromote: 'production', cooldownDays: 0, triggers: ONLY_SCHEDULE, comparison: { minImprovement: 0 } },
    }),
  },
};

const r4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(4));
const r5 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(5));
const ci4 = (c: [number, number]) => [r4(c[0]), r4(c[1])];
const ci5 = (c: [number, number]) => [r5(c[0]), r5(c[1])];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ctx = (label: string) => ({
  id: `bench-${label}`,
  signal: new AbortController().signal,
  // The replay's day lines now and then; the retraining pipeline's decisions (it logs through the same context).
  progress: (f: number, m?: string) => {
    if (m && /^\d{4}-\d{2}-\d{2}:/.test(m) && (Math.round(f * 180) % 30 === 0 || f === 1)) process.stderr.write(`[${label}] ${m}\n`);
  },
  throwIfCancelled: () => undefined,
  log: (m: string) => {
    if (/^(challenger: training|refit:|promote:)|^Challenger|^Current model/.test(m)) process.stderr.write(`[${label}] ${m}\n`);
  },
});

/** The season's games as the replay's deployment finally logged them: the latest row per settled game. */
interface Game {
  gameId: string;
  y: number;
  p: number;
  closeHome: number;
  closeAway: number;
}
function settledGames(logged: readonly LoggedPrediction[]): Map<string, Game> {
  const latest = new Map<string, LoggedPrediction>();
  for (const l of logged) {
    const prev = latest.get(l.gameId);
    if (!prev || prev.seq < l.seq) latest.set(l.gameId, l);
  }
  const out = new Map<string, Game>();
  for (const l of [...latest.values()].sort((a, b) => a.seq - b.seq))
    if (l.outcome !== null)
      out.set(l.gameId, {
        gameId: l.gameId,
        y: l.outcome,
        p: l.p,
        closeHome: l.closeHome ?? Number.NaN,
        closeAway: l.closeAway ?? Number.NaN,
      });
  return out;
}

const gameLogLoss = (y: number, p: number) => {
  const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
  return y === 1 ? -Math.log(q) : -Math.log(1 - q);
};
const hit = (y: number, p: number) => ((p >= 0.5 ? 1 : 0) === y ? 1 : 0);

/** Mean of per-game values with its percentile bootstrap interval over games (and, for a difference, the one-sided p of "> 0"). */
function meanCi(values: Float64Array, difference = false) {
  const r = bootstrap(
    values.length,
    (ix) => {
      let s = 0;
      for (let k = 0; k < ix.length; k++) s += values[ix[k]];
      return s / ix.length;
    },
    { resamples: RESAMPLES, seed: 1 },
  );
  return difference ? { value: r5(r.estimate), ci: ci5(r.ci), pValueAbove0: r4(r.pValue) } : { value: r4(r.estimate), ci: ci4(r.ci) };
}

/** Log loss, accuracy and flat-bet ROI of the model, and the de-vigged close on the games with both prices. */
function seasonMetrics(games: Game[]) {
  const y = Float64Array.from(games, (g) => g.y);
  const p = Float64Array.from(games, (g) => g.p);
  const ch = Float64Array.from(games, (g) => g.closeHome);
  const ca = Float64Array.from(games, (g) => g.closeAway);
  const bets = edgeBets(p, y, ch, ca);
  let n = 0;
  for (let i = 0; i < bets.stake.length; i++) if (bets.stake[i] > 0) n++;
  const roi = bootstrapRoi(bets.profit, bets.stake, { resamples: RESAMPLES, seed: 1 });
  const { fairHome } = marketProbabilities(ch, ca);
  const priced = games.map((_g, i) => i).filter((i) => !Number.isNaN(fairHome[i]));
  const ll = (ps: ArrayLike<number>, ix: number[]) => Float64Array.from(ix, (i) => gameLogLoss(y[i], ps[i]));
  const acc = (ps: ArrayLike<number>, ix: number[]) => Float64Array.from(ix, (i) => hit(y[i], ps[i]));
  const all = games.map((_g, i) => i);
  const modelLl = ll(p, priced);
  const marketLl = ll(fairHome, priced);
  return {
    games: games.length,
    model: {
      logLoss: meanCi(ll(p, all)),
      accuracy: meanCi(acc(p, all)),
      roi: { value: r4(roi.roi), ci: ci4(roi.roiCi), bets: n, profit: r4(bets.profit.reduce((a, b) => a + b, 0)) },
    },
    close: {
      games: priced.length,
      logLoss: meanCi(marketLl),
      accuracy: meanCi(acc(fairHome, priced)),
    },
    /** model − close per game on the priced games: > 0 means the model is worse than the line. */
    modelMinusClose: {
      logLoss: meanCi(
        Float64Array.from(modelLl, (v, k) => v - marketLl[k]),
        true,
      ),
    },
  };
}

/** The variant's per-game log loss and accuracy minus frozen's, on the games both settled (> 0 log loss: the variant is worse). */
function pairedAgainst(variant: Map<string, Game>, frozen: Map<string, Game>) {
  const common = [...variant.keys()].filter((id) => frozen.has(id));
  const dLl = Float64Array.from(common, (id) => {
    const a = variant.get(id) as Game;
    const b = frozen.get(id) as Game;
    return gameLogLoss(a.y, a.p) - gameLogLoss(b.y, b.p);
  });
  const dAcc = Float64Array.from(common, (id) => {
    const a = variant.get(id) as Game;
    const b = frozen.get(id) as Game;
    return hit(a.y, a.p) - hit(b.y, b.p);
  });
  const changed = common.filter((id) => Math.abs((variant.get(id) as Game).p - (frozen.get(id) as Game).p) > 1e-12).length;
  return { games: common.length, gamesWithADifferentPrediction: changed, logLoss: meanCi(dLl, true), accuracy: meanCi(dAcc, true) };
}

function retrainSummary(r: ReplayResult, durations: Map<string, number | null>) {
  const count = <K extends string>(xs: K[]) => Object.fromEntries([...new Set(xs)].map((k) => [k, xs.filter((x) => x === k).length]));
  const seconds = [...durations.values()].reduce<number>((a, b) => a + (b ?? 0), 0) / 1000;
  return {
    retrains: r.retrains.length,
    byTrigger: count(r.retrains.map((e) => e.trigger)),
    byDecision: count(r.retrains.map((e) => e.decision)),
    promotions: r.retrains.filter((e) => e.decision === 'promoted').length,
    rollbacks: r.retrains.filter((e) => e.rollback !== null).length,
    retrainSeconds: r4(seconds),
    list: r.retrains.map((e) => ({
      date: e.date,
      trigger: e.trigger,
      decision: e.decision,
      trainTo: e.challenger?.trainWindow?.to ?? null,
      bestIteration: e.challenger?.bestIteration ?? null,
      comparison: e.comparison
        ? {
            window: e.comparisonWindow ? `${e.comparisonWindow.from}..${e.comparisonWindow.to} (${e.comparisonWindow.games})` : null,
            champion: r5(e.comparison.champion),
            challenger: r5(e.comparison.challenger),
            relativeImprovement: r4(e.comparison.relativeImprovement),
            ci: e.comparison.ci.map((x) => r5(x)),
          }
        : null,
      served: e.served,
      rollback: e.rollback,
      seconds: r4((durations.get(e.retrainId) ?? 0) / 1000),
      ...(e.decision === 'failed' ? { reason: e.decisionReason } : {}),
    })),
  };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const names = (flag('variants') ?? process.env.BULLPEN_RETRAIN_VARIANTS ?? 'frozen,weekly,all').split(',').map((s) => s.trim());
  for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n}: choose from ${Object.keys(VARIANTS).join(', ')}`);
  const from = flag('from');
  const to = flag('to');
  const workerFile = privateWorker('bullpen-bench-retraining');
  const source = existsSync(REAL_WORKSPACE) ? REAL_WORKSPACE : await ensureRealWorkspace();
  const base = copyWorkspace(source, OUT, 'base');
  const out: Record<string, unknown> = {
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    loadBefore: loadavg().map((x) => +x.toFixed(2)),
    model: `${MODEL}: home_win, default features, train 2000–2014, early stopping on 2015 (training data ends with 2015)`,
    range: { from: from ?? 'season start', to: to ?? 'season end' },
    bootstrap: `${RESAMPLES} resamples of games, seed 1, 95% percentile intervals`,
  };

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

  const settledBy = new Map<string, Map<string, Game>>();
  const variants: Record<string, unknown> = {};
  for (const name of names) {
    const path = copyWorkspace(base, OUT, name);
    const engine = await Engine.open({ workspacePath: path, pool: { filename: workerFile } });
    const t = performance.now();
    const r = await runReplay(
      { workspace: engine.workspace, deployments: engine.deployments, monitoring: engine.monitoring, retrain: engine },
      { model: MODEL, season: 2016, from, to, policy: VARIANTS[name].policy },
      ctx(name),
    );
    const wall = (performance.now() - t) / 1000;
    const scope = { replayId: r.replayId, clock: new ReplayClock(new Date('2016-12-31T00:00:00Z')) };
    const dep = await engine.deployments.get('replay-2016', scope);
    const logged = await engine.deployments.predictions(dep.id, scope, { limit: 1_000_000 });
    const history = await engine.retraining.history(dep.id, r.replayId, 10_000);
    // Which model scored how many games (the log's source model: the replay's deployment serves a winner by name).
    const served = await engine.workspace.all<{ m: string; games: number | bigint; first: string }>(
      `SELECT source_model AS m, count(DISTINCT game_id) AS games, strftime(min(game_date), '%Y-%m-%d') AS first
       FROM prediction_log WHERE replay_id = ? GROUP BY 1 ORDER BY first`,
      [r.replayId],
    );
    await engine.close();
    const games = settledGames(logged);
    settledBy.set(name, games);
    variants[name] = {
      policy: VARIANTS[name].description,
      days: r.days,
      predictions: r.predictions,
      settled: games.size,
      replayPerformance: r.performance,
      ...seasonMetrics([...games.values()]),
      ...retrainSummary(r, new Map(history.map((h) => [h.id, h.durationMs]))),
      servedModels: served.map((s) => `${s.m} from ${s.first} (${Number(s.games)} games)`),
      seconds: { replay: r4(r.durationMs / 1000), wall: r4(wall) },
    };
    process.stderr.write(`[${name}] done in ${wall.toFixed(1)} s: ${r.retrains.length} retrains\n`);
    // What is done so far, in case a long run is stopped before its last variant.
    writeFileSync(`${flag('json') ?? join(OUT, 'result.json')}.partial`, JSON.stringify({ ...out, variants }, null, 2));
  }
  const frozen = settledBy.get('frozen');
  if (frozen)
    out.pairedAgainstFrozen = Object.fromEntries(
      [...settledBy.entries()].filter(([n]) => n !== 'frozen').map(([n, g]) => [n, pairedAgainst(g, frozen)]),
    );
  out.variants = variants;
  out.loadAfter = loadavg().map((x) => +x.toFixed(2));
  const json = JSON.stringify(out, null, 2);
  process.stdout.write(`${json}\n`);
  writeFileSync(flag('json') ?? join(OUT, 'result.json'), json);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
