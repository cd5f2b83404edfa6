/**
 * A/B tests on real data (issue 14's "Real data" evidence): 2016 replayed day by day with the model trained on
 * 2000–2014 deployed as control and the one trained on 2000–2015 as challenger, through `deploy replay
 * --challenger` (../shared/data through the cached real workspace, copied first: the original stays untouched).
 * Both models are home_win on the default features, with early stopping on the last season of their window:
 *   control     train 2000–2013, early stopping on 2014 (it has seen nothing after 2014);
 *   challenger  train 2000–2014, early stopping on 2015 (bench/retraining.ts's champion).
 * Variants, each a replay of the whole season in its own copy of the workspace:
 *   (a) paired analysis, sequential stop rule;  (b) paired, Bayesian;
 *   (c) routed 80/20, sequential;               (d) routed 80/20, Bayesian;
 * every other experiment setting at its default (metric logLoss, guardrails roi + calibration, 100 games per
 * variant, alpha 0.05), except maxDays = the season's calendar length (so a test that never stops reaches its
 * "no difference" on the last day) and a bankroll of 1,000,000 units (so the money circuit breaker, 25% of it,
 * cannot end an experiment; the guardrail breaker stays on). The paired variants route 80/20 too (the split
 * only decides whose bets are placed there).
 *   (e) naive fixed-horizon test read daily: not an engine procedure; both models' whole-season predictions
 *       (a plain replay of each) are turned into the experiment's per-game sample and the same statistics
 *       (compute/experiments analyzeMetric) are looked at after every day, paired and routed (the routing is
 *       the experiment's own hash and salt): the first day its p < 0.05 with ≥ 100 games per variant is the day
 *       peeking would have "stopped". The same recomputation gives the day the sequential and Bayesian rules
 *       would have stopped over the whole season, and checks the engine's own timeline against it.
 * The paired truth: each model's whole-season log loss, accuracy and flat-bet ROI (one unit at an edge ≥ 2%
 * against Pinnacle's close), the de-vigged close on the same games, and the per-game difference, with 95%
 * bootstrap intervals over games.
 * Prints markdown (also written to --markdown FILE) and writes the JSON to /tmp/bullpen-bench-ab/result.json.
 * Run (after `flock /tmp/bullpen-build.lock npm run build`: the replay runs the built compute worker):
 * `npx tsx bench/abReplay.ts [--markdown FILE]`; a few minutes on 2 cores.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyWorkspace, privateWorker, runJob } from './support/benchEngine';
import { Engine } from '../src-main/engine/engine';
import { ReplayClock } from '../src-main/engine/operations/clock';
import { experimentDay, nextDay } from '../src-main/engine/operations/experiments/evaluateExperiment';
import {
  METRIC_DIRECTION,
  pairedSample,
  routedSample,
  type ExperimentGame,
} from '../src-main/engine/operations/experiments/experimentSample';
import { edgeBets } from '../src-main/engine/operations/monitoring/references';
import { replayDays, runReplay, type ReplayJobInput } from '../src-main/engine/operations/replay/runReplay';
import type { AnalysisKind, ExperimentConfig, ExperimentStatusResult, ReplayExperiment } from '../src-main/shared/results/experiments';
import type { LoggedPrediction } from '../src-main/shared/results/operations';
import type { TrainResult } from '../src-main/shared/results/jobResults';
import { analyzeMetric, assignVariant, srm, type MetricAnalysis } from '../src-workers/compute/experiments';
import { LOG_LOSS_EPSILON, marketProbabilities } from '../src-workers/compute/metrics';
import { bootstrap, bootstrapRoi } from '../src-workers/compute/stats';
import { ensureRealWorkspace, REAL_WORKSPACE } from './realWorkspace';

const OUT = '/tmp/bullpen-bench-ab';
const SEASON = 2016;
const CONTROL = 'ab-control-2000-2014';
const CHALLENGER = 'ab-challenger-2000-2015';
const MODELS = [
  { name: CONTROL, train: '2000-2013', valid: '2014', window: '2000–2014 (train 2000–2013, early stopping on 2014)' },
  { name: CHALLENGER, train: '2000-2014', valid: '2015', window: '2000–2015 (train 2000–2014, early stopping on 2015)' },
] as const;
/** Large enough that 25% of it is never lost in a season of one-unit bets (a model that bets every game loses at most ~2,430). */
const BANKROLL = 1_000_000;
const RESAMPLES = 2000;

interface Variant {
  key: string;
  label: string;
  analysis: AnalysisKind;
  stopRule: 'sequential' | 'bayesian';
}
const VARIANTS: Variant[] = [
  { key: 'a', label: 'paired, sequential', analysis: 'paired', stopRule: 'sequential' },
  { key: 'b', label: 'paired, Bayesian', analysis: 'paired', stopRule: 'bayesian' },
  { key: 'c', label: 'routed 80/20, sequential', analysis: 'routed', stopRule: 'sequential' },
  { key: 'd', label: 'routed 80/20, Bayesian', analysis: 'routed', stopRule: 'bayesian' },
];

const fin = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);
const r4 = (x: number | null | undefined) => (fin(x) ? +x.toFixed(4) : null);
const r5 = (x: number | null | undefined) => (fin(x) ? +x.toFixed(5) : null);
const f = (x: number | null | undefined, d = 4) => (fin(x) ? x.toFixed(d) : 'n/a');
const pct = (x: number | null | undefined, d = 1) => (fin(x) ? `${(x * 100).toFixed(d)}%` : 'n/a');
const pv = (x: number | null | undefined) => (!fin(x) ? 'n/a' : x < 1e-4 ? x.toExponential(1) : x.toFixed(4));

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ctx = (label: string) => ({
  id: `bench-ab-${label}`,
  signal: new AbortController().signal,
  progress: (fraction: number, m?: string) => {
    if (m && /^\d{4}-\d{2}-\d{2}:/.test(m) && (Math.round(fraction * 180) % 45 === 0 || fraction === 1))
      process.stderr.write(`[${label}] ${m}\n`);
  },
  throwIfCancelled: () => undefined,
  log: (_m: string) => undefined,
});

const endScope = (replayId: string) => ({ replayId, clock: new ReplayClock(new Date(`${SEASON}-12-31T00:00:00Z`)) });

/** The latest log row of each settled game. */
function settled(logged: readonly LoggedPrediction[]): Map<string, LoggedPrediction> {
  const latest = new Map<string, LoggedPrediction>();
  for (const l of logged) {
    const prev = latest.get(l.gameId);
    if (!prev || prev.seq < l.seq) latest.set(l.gameId, l);
  }
  return new Map([...latest].filter(([, l]) => l.outcome !== null));
}

const gameLogLoss = (y: number, p: number) => {
  const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
  return y === 1 ? -Math.log(q) : -Math.log(1 - q);
};
const hit = (y: number, p: number) => ((p >= 0.5 ? 1 : 0) === y ? 1 : 0);

function meanCi(values: Float64Array) {
  const r = bootstrap(
    values.length,
    (ix) => {
      let s = 0;
      for (let k = 0; k < ix.length; k++) s += values[ix[k]];
      return s / ix.length;
    },
    { resamples: RESAMPLES, seed: 1 },
  );
  return { value: r.estimate, ci: r.ci };
}

/** A model's whole-season metrics on `ids` (games both models scored), and flat-bet ROI against the close. */
function seasonMetrics(games: Map<string, LoggedPrediction>, ids: string[]) {
  const rows = ids.map((id) => games.get(id) as LoggedPrediction);
  const y = Float64Array.from(rows, (l) => l.outcome as number);
  const p = Float64Array.from(rows, (l) => l.p);
  const ch = Float64Array.from(rows, (l) => l.closeHome ?? Number.NaN);
  const ca = Float64Array.from(rows, (l) => l.closeAway ?? Number.NaN);
  const bets = edgeBets(p, y, ch, ca);
  const roi = bootstrapRoi(bets.profit, bets.stake, { resamples: RESAMPLES, seed: 1 });
  let n = 0;
  for (let i = 0; i < bets.stake.length; i++) if (bets.stake[i] > 0) n++;
  return {
    games: rows.length,
    logLoss: meanCi(Float64Array.from(rows, (_l, i) => gameLogLoss(y[i], p[i]))),
    accuracy: meanCi(Float64Array.from(rows, (_l, i) => hit(y[i], p[i]))),
    roi: { value: roi.roi, ci: roi.roiCi, bets: n, profit: bets.profit.reduce((a, b) => a + b, 0) },
    y,
    p,
    ch,
    ca,
  };
}

/** The de-vigged close on the games with both closing prices, and each model minus it per game. */
function closeMetrics(ms: ReturnType<typeof seasonMetrics>[]) {
  const { y, ch, ca } = ms[0];
  const { fairHome } = marketProbabilities(ch, ca);
  const priced = [...y.keys()].filter((i) => !Number.isNaN(fairHome[i]));
  const ll = (ps: ArrayLike<number>) => Float64Array.from(priced, (i) => gameLogLoss(y[i], ps[i]));
  const close = ll(fairHome);
  return {
    games: priced.length,
    logLoss: meanCi(close),
    accuracy: meanCi(Float64Array.from(priced, (i) => hit(y[i], fairHome[i]))),
    modelMinusClose: ms.map((m) => meanCi(Float64Array.from(ll(m.p), (v, k) => v - close[k]))),
  };
}

/**
 * The experiment's per-game sample rebuilt from the two models' whole-season logs: routed by the experiment's
 * own hash and salt at its split. No bets (only the primary metric, log loss, is analysed here).
 */
function rebuiltGames(control: Map<string, LoggedPrediction>, challenger: Map<string, LoggedPrediction>, salt: string, share: number) {
  const games: ExperimentGame[] = [];
  for (const [id, c] of control) {
    const x = challenger.get(id);
    if (!x) continue;
    const v = (p: number) => ({ p, side: null, stake: 0, priceFirst: c.priceHome, priceSecond: c.priceAway });
    games.push({
      gameId: id,
      date: c.gameDate,
      variant: assignVariant(salt, id, share) === 1 ? 'challenger' : 'control',
      share,
      outcome: c.outcome,
      control: v(c.p),
      challenger: v(x.p),
    });
  }
  return games.sort((a, b) => a.date.localeCompare(b.date) || a.gameId.localeCompare(b.gameId));
}

interface Look {
  date: string;
  day: number;
  a: MetricAnalysis;
  srmP: number | null;
}

/** Every daily look of the primary metric over the whole season, as the engine's analysis computes it. */
function looks(games: ExperimentGame[], kind: AnalysisKind, config: ExperimentConfig, startDay: string): Look[] {
  const dates = [...new Set(games.map((g) => g.date))].sort();
  return dates.map((date) => {
    const upTo = games.filter((g) => g.date <= date);
    const sample = kind === 'routed' ? { kind, ...routedSample(upTo, config.metric) } : { kind, ...pairedSample(upTo, config.metric) };
    const a = analyzeMetric(sample, {
      direction: METRIC_DIRECTION[config.metric],
      alpha: config.alpha,
      minEffect: config.minEffect,
      tuning: config.sequentialTuning,
      prior: config.prior,
      riskThreshold: config.riskThreshold,
      label: 'log loss',
    });
    const counts: [number, number] = [0, 0];
    for (const g of upTo) counts[g.variant === 'control' ? 0 : 1]++;
    return {
      date,
      day: Math.max(1, experimentDay(startDay, nextDay(date))),
      a,
      srmP: srm(counts, [1 - config.split[1] / 100, config.split[1] / 100]).pValue,
    };
  });
}

/** The first look where a rule fires with the minimum games per variant, and how many looks it fired on. */
function firstStop(ls: Look[], config: ExperimentConfig, fires: (a: MetricAnalysis) => boolean) {
  const ok = ls.filter((l) => Math.min(l.a.nControl, l.a.nChallenger) >= config.minSamples && fires(l.a));
  return {
    first: ok[0] ?? null,
    looksFiring: ok.length,
    looks: ls.filter((l) => Math.min(l.a.nControl, l.a.nChallenger) >= config.minSamples).length,
  };
}

/** Log-loss difference challenger − control (> 0: the challenger is worse) from an effect oriented in the challenger's favour. */
const llDiff = (effect: number | null | undefined) => (fin(effect) ? -effect : null);
const llCi = (ci: readonly [number | null, number | null]) => [llDiff(ci[1]), llDiff(ci[0])] as const;

async function trainModels(base: string, workerFile: string): Promise<Record<string, unknown>> {
  const engine = await Engine.open({ workspacePath: base, pool: { filename: workerFile } });
  const out: Record<string, unknown> = {};
  try {
    for (const m of MODELS) {
      const t = performance.now();
      let r: TrainResult | null = null;
      if (!(await engine.models.find(m.name)))
        r = await runJob(engine, 'ml.train', {
          target: 'home_win',
          features: 'default',
          train: m.train,
          valid: m.valid,
          name: m.name,
          validate: false,
        });
      out[m.name] = {
        window: m.window,
        seconds: r4((performance.now() - t) / 1000),
        ...(r
          ? {
              bestIteration: r.bestIteration,
              games: r.games,
              validLogLoss: r4(r.metrics.logLoss),
              validAccuracy: r4(r.metrics.accuracy),
            }
          : { note: 'already trained in this copy' }),
      };
    }
  } finally {
    await engine.close();
  }
  return out;
}

/** A plain replay of one model (no experiment): its whole-season log. */
async function plainReplay(base: string, workerFile: string, model: string) {
  const path = copyWorkspace(base, OUT, `plain-${model}`);
  const engine = await Engine.open({ workspacePath: path, pool: { filename: workerFile } });
  try {
    const t = performance.now();
    const r = await runReplay(
      { workspace: engine.workspace, deployments: engine.deployments, monitoring: engine.monitoring },
      { model, season: SEASON },
      ctx(model),
    );
    const scope = endScope(r.replayId);
    const dep = await engine.deployments.get(`replay-${SEASON}`, scope);
    const logged = await engine.deployments.predictions(dep.id, scope, { limit: 1_000_000 });
    return { logged: settled(logged), wall: (performance.now() - t) / 1000, performance: r.performance };
  } finally {
    await engine.close();
  }
}

interface AbRun {
  variant: Variant;
  result: ReplayExperiment;
  status: ExperimentStatusResult;
  wall: number;
}

async function abReplay(base: string, workerFile: string, v: Variant, maxDays: number): Promise<AbRun> {
  const path = copyWorkspace(base, OUT, `ab-${v.key}`);
  const engine = await Engine.open({ workspacePath: path, pool: { filename: workerFile } });
  try {
    const input: ReplayJobInput = {
      model: CONTROL,
      season: SEASON,
      challenger: CHALLENGER,
      split: '80/20',
      analysis: v.analysis,
      stopRule: v.stopRule,
      maxDays,
      bankroll: BANKROLL,
    };
    const t = performance.now();
    const r = await runReplay(
      { workspace: engine.workspace, deployments: engine.deployments, monitoring: engine.monitoring, experiments: engine.experiments },
      input,
      ctx(v.key),
    );
    const wall = (performance.now() - t) / 1000;
    if (r.experiments.length !== 1) throw new Error(`variant ${v.key}: the replay reported ${r.experiments.length} experiments, not 1`);
    const status = await engine.experiments.status(r.experiments[0].name, endScope(r.replayId));
    process.stderr.write(
      `[${v.key}] ${v.label}: ${r.experiments[0].decision} (${r.experiments[0].decidedBy ?? '-'}) stopped on ${r.experiments[0].stoppedOn ?? 'never'} in ${wall.toFixed(1)} s\n`,
    );
    return { variant: v, result: r.experiments[0], status, wall };
  } finally {
    await engine.close();
  }
}

/** The engine's timeline against the recomputed looks on the same dates: the largest difference of the effect. */
function timelineAgreement(run: AbRun, ls: Look[]): { dates: number; maxEffectDiff: number | null } {
  const byDate = new Map(ls.map((l) => [l.date, l]));
  let max = 0;
  let n = 0;
  for (const p of run.status.timeline) {
    const l = byDate.get(p.date);
    if (!l || !fin(p.effect) || !fin(l.a.effect)) continue;
    max = Math.max(max, Math.abs(p.effect - l.a.effect));
    n++;
  }
  return { dates: n, maxEffectDiff: n ? max : null };
}

function markdown(out: Record<string, unknown>, runs: AbRun[], naive: NaiveRow[], wouldStop: WouldStopRow[], truth: Truth): string {
  const lines: string[] = [];
  const push = (s = '') => lines.push(s);
  push(`### A/B tests replayed on 2016 (bench/abReplay.ts)`);
  push();
  push(
    `Control \`${CONTROL}\`: ${MODELS[0].window}; challenger \`${CHALLENGER}\`: ${MODELS[1].window}; both home_win, default features. ` +
      `\`deploy replay --model ${CONTROL} --challenger ${CHALLENGER} --season 2016\` per row, each in its own copy of the real workspace; ` +
      `primary metric log loss, guardrails ROI and calibration, 100 games per variant, α 0.05, max duration ${String(out.maxDays)} days (the whole season: ` +
      `a test that never stops ends "no difference" on the last day), bankroll ${BANKROLL.toLocaleString('en-US')} units so the money circuit breaker ` +
      `(25% of it) cannot end a test (the guardrail breaker stays on). Δ log loss = challenger − control (< 0: the challenger is better); ` +
      `rows a–d give the always-valid 95% interval at the stop (or at the end), row e the fixed-horizon 95% interval at its first p < 0.05. ` +
      `Day 1 = ${String(out.firstDay)}. The engine's tuning as stored with each experiment: confidence-sequence N* = ${String(
        (out.config as ExperimentConfig).sequentialTuning,
      )}, Bayesian prior N(${String((out.config as ExperimentConfig).prior?.mean ?? 'flat')}, ${String(
        (out.config as ExperimentConfig).prior?.sd ?? '-',
      )}²) on the relative effect, stop when the expected loss < ${String(out.riskThreshold)} of the control's log loss.`,
  );
  push();
  push(`| test | stopped on | decision (by) | Δ log loss [95% CI] | P(challenger better) | games control / challenger | SRM p | wall s |`);
  push(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const run of runs) {
    const e = run.result;
    const [c, x] = e.variants;
    const ci = llCi(e.ci);
    const at = e.stoppedOn
      ? `${e.stoppedOn} (day ${experimentDay(String(out.firstDay), nextDay(e.stoppedOn))})`
      : 'did not stop by the season’s end';
    const routed = run.variant.analysis === 'routed';
    const games = routed ? `${c.games} / ${x.games}` : `${e.pairedGames} paired (routed ${c.games} / ${x.games})`;
    push(
      `| (${run.variant.key}) ${run.variant.label} | ${at} | ${e.decision} (${e.decidedBy ?? '—'}) | ${f(llDiff(e.effect), 5)} [${f(ci[0], 5)}, ${f(ci[1], 5)}] | ${pct(e.probabilityToBeat)} | ${games} | ${pv(e.srmPValue)} | ${run.wall.toFixed(1)} |`,
    );
  }
  for (const n of naive) {
    // Never significant: the figures at the season's end (its one legitimate look).
    const l = n.first ?? n.last;
    const ci = l ? llCi(l.a.fixed.ci) : ([null, null] as const);
    const at = n.first ? `${n.first.date} (day ${n.first.day})` : 'never significant (figures at the end)';
    const who = n.first ? ((n.first.a.effect ?? 0) > 0 ? 'challenger' : 'control') : 'noDifference';
    const games = l ? (n.kind === 'paired' ? `${l.a.n} paired` : `${l.a.nControl} / ${l.a.nChallenger}`) : '—';
    push(
      `| (e) naive fixed-horizon, ${n.kind === 'paired' ? 'paired' : 'routed 80/20'}, read daily | ${at} | ${who} (p = ${pv(l?.a.fixed.pValue)}) | ${f(llDiff(l?.a.effect), 5)} [${f(ci[0], 5)}, ${f(ci[1], 5)}] | ${pct(l?.a.bayesian.probabilityToBeat)} | ${games} | ${pv(l?.srmP)} | ${n.seconds.toFixed(1)} |`,
    );
  }
  push();
  const breakers = runs.map((r) => r.status.circuitBreaker);
  push(
    `Wall s: the replay with its experiment (rows a–d); row e is computed afterwards from the two plain replays (${Object.values(
      out.plainReplaySeconds as Record<string, number>,
    )
      .map((s) => s.toFixed(0))
      .join(' and ')} s) in the given time. Circuit breaker: ${
      breakers.some((b) => b.tripped)
        ? runs
            .filter((r) => r.status.circuitBreaker.tripped)
            .map((r) => `(${r.variant.key}) ${r.status.circuitBreaker.reason ?? ''}`)
            .join('; ')
        : `tripped in no test (the challenger's placed bets ended at ${breakers.map((b) => f(b.challengerProfit, 1)).join(' / ')} units against a limit of −${f(breakers[0].lossLimit, 0)}; no guardrail regressed)`
    }. ` +
      `The engine's daily timeline agrees with the recomputation on every look it shows (largest effect difference ${Math.max(
        ...Object.values(out.agreement as Record<string, { maxEffectDiff: number | null }>).map((a) => a.maxEffectDiff ?? 0),
      )}).`,
  );
  push();
  push(
    `Training (early stopping): ${MODELS.map((m) => {
      const t = (out.models as Record<string, { bestIteration?: number; validLogLoss?: number }>)[m.name];
      return `${m.name} best iteration ${t.bestIteration ?? '?'}, log loss ${f(t.validLogLoss)} on ${m.valid}`;
    }).join('; ')}.`,
  );
  push();
  push(
    `Naive peeking: the fixed-horizon test was "significant" on ${naive.map((n) => `${n.looksFiring} of ${n.looks} daily looks (${n.kind})`).join(' and ')}; ` +
      `read once at the season's end it gives ${naive.map((n) => `p = ${pv(n.last?.a.fixed.pValue)} (${n.kind})`).join(' and ')}.`,
  );
  push();
  push(
    `Whole-season would-stop days (recomputed from both models' whole-season predictions with the engine's statistics; ≥ 100 games per variant):`,
  );
  push();
  push(
    `| analysis | sequential | Bayesian (expected loss < ${String(out.riskThreshold)}) | naive fixed-horizon | fixed-horizon at the end: Δ log loss [95% CI], p |`,
  );
  push(`| --- | --- | --- | --- | --- |`);
  for (const w of wouldStop) {
    const d = (s: Look | null) => (s ? `${s.date} (day ${s.day}, ${(s.a.effect ?? 0) > 0 ? 'challenger' : 'control'})` : 'never');
    const ci = w.last ? llCi(w.last.a.fixed.ci) : ([null, null] as const);
    push(
      `| ${w.kind} | ${d(w.sequential)} | ${d(w.bayesian)} | ${d(w.naive)} | ${f(llDiff(w.last?.a.effect), 5)} [${f(ci[0], 5)}, ${f(ci[1], 5)}], p = ${pv(w.last?.a.fixed.pValue)} |`,
    );
  }
  push();
  push(
    `The paired truth on the ${truth.games} games of 2016 both models scored (95% bootstrap intervals over games, ${RESAMPLES} resamples; ROI: one unit at an edge ≥ 2% against Pinnacle's close):`,
  );
  push();
  push(`| model | log loss | accuracy | ROI (bets) | log loss − close |`);
  push(`| --- | --- | --- | --- | --- |`);
  truth.models.forEach((m, i) => {
    const mc = truth.close.modelMinusClose[i];
    push(
      `| ${m.name} | ${f(m.logLoss.value)} [${f(m.logLoss.ci[0])}, ${f(m.logLoss.ci[1])}] | ${pct(m.accuracy.value)} [${pct(m.accuracy.ci[0])}, ${pct(m.accuracy.ci[1])}] | ${pct(m.roi.value)} [${pct(m.roi.ci[0])}, ${pct(m.roi.ci[1])}] (${m.roi.bets}) | ${f(mc.value, 5)} [${f(mc.ci[0], 5)}, ${f(mc.ci[1], 5)}] |`,
    );
  });
  push(
    `| Pinnacle close (de-vigged, ${truth.close.games} games) | ${f(truth.close.logLoss.value)} [${f(truth.close.logLoss.ci[0])}, ${f(truth.close.logLoss.ci[1])}] | ${pct(truth.close.accuracy.value)} [${pct(truth.close.accuracy.ci[0])}, ${pct(truth.close.accuracy.ci[1])}] | — | — |`,
  );
  push(
    `| challenger − control, per game | ${f(truth.diff.logLoss.value, 5)} [${f(truth.diff.logLoss.ci[0], 5)}, ${f(truth.diff.logLoss.ci[1], 5)}] | ${pct(truth.diff.accuracy.value, 2)} [${pct(truth.diff.accuracy.ci[0], 2)}, ${pct(truth.diff.accuracy.ci[1], 2)}] | — | — |`,
  );
  push();
  return lines.join('\n');
}

interface NaiveRow {
  kind: AnalysisKind;
  first: Look | null;
  last: Look | null;
  looksFiring: number;
  looks: number;
  seconds: number;
}
interface WouldStopRow {
  kind: AnalysisKind;
  sequential: Look | null;
  bayesian: Look | null;
  naive: Look | null;
  last: Look | null;
}
interface Truth {
  games: number;
  models: (ReturnType<typeof seasonMetrics> & { name: string })[];
  close: ReturnType<typeof closeMetrics>;
  diff: { logLoss: ReturnType<typeof meanCi>; accuracy: ReturnType<typeof meanCi> };
}

async function main(): Promise<void> {
  const started = performance.now();
  mkdirSync(OUT, { recursive: true });
  const workerFile = privateWorker('bullpen-bench-ab');
  const source = existsSync(REAL_WORKSPACE) ? REAL_WORKSPACE : await ensureRealWorkspace();
  const base = copyWorkspace(source, OUT, 'base');
  const out: Record<string, unknown> = {
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    loadBefore: loadavg().map((x) => +x.toFixed(2)),
  };
  out.models = await trainModels(base, workerFile);

  let days: string[];
  {
    const engine = await Engine.open({ workspacePath: base, pool: { filename: workerFile } });
    days = await replayDays(engine, { season: SEASON });
    await engine.close();
  }
  // The look after the last day's outcomes is day maxDays: the last day of the season ends the test.
  const maxDays = experimentDay(days[0], nextDay(days[days.length - 1]));
  out.firstDay = days[0];
  out.lastDay = days[days.length - 1];
  out.maxDays = maxDays;

  // The paired truth: each model alone over the whole season.
  const plain = [];
  for (const m of MODELS) plain.push({ name: m.name, ...(await plainReplay(base, workerFile, m.name)) });
  const [control, challenger] = plain;
  const common = [...control.logged.keys()].filter((id) => challenger.logged.has(id));
  const models = plain.map((p) => ({ name: p.name, ...seasonMetrics(p.logged, common) }));
  const truth: Truth = {
    games: common.length,
    models,
    close: closeMetrics(models),
    diff: {
      logLoss: meanCi(
        Float64Array.from(common.keys(), (i) => gameLogLoss(models[1].y[i], models[1].p[i]) - gameLogLoss(models[0].y[i], models[0].p[i])),
      ),
      accuracy: meanCi(Float64Array.from(common.keys(), (i) => hit(models[1].y[i], models[1].p[i]) - hit(models[0].y[i], models[0].p[i]))),
    },
  };
  for (const m of models)
    if (m.accuracy.value > 0.59 || m.logLoss.value < 0.66)
      throw new Error(
        `${m.name}: accuracy ${pct(m.accuracy.value)} and log loss ${f(m.logLoss.value)} on 2016 are better than the closing line: a leak, not a result`,
      );

  const runs: AbRun[] = [];
  for (const v of VARIANTS) runs.push(await abReplay(base, workerFile, v, maxDays));

  // (e) and the whole-season would-stop days, from both models' whole-season predictions.
  const config = runs[0].status.experiment.config;
  const salt = runs[0].status.experiment.salt;
  const games = rebuiltGames(control.logged, challenger.logged, salt, config.split[1] / 100);
  const naive: NaiveRow[] = [];
  const wouldStop: WouldStopRow[] = [];
  const agreement: Record<string, unknown> = {};
  for (const kind of ['paired', 'routed'] as const) {
    const t = performance.now();
    const ls = looks(games, kind, config, days[0]);
    const fixed = firstStop(ls, config, (a) => a.fixed.significant);
    const seconds = (performance.now() - t) / 1000;
    const last = ls[ls.length - 1] ?? null;
    naive.push({ kind, first: fixed.first, last, looksFiring: fixed.looksFiring, looks: fixed.looks, seconds });
    wouldStop.push({
      kind,
      sequential: firstStop(ls, config, (a) => a.sequential.significant).first,
      bayesian: firstStop(ls, config, (a) => a.bayesian.stop).first,
      naive: fixed.first,
      last,
    });
    for (const run of runs.filter((r) => r.variant.analysis === kind)) agreement[run.variant.key] = timelineAgreement(run, ls);
  }

  out.agreement = agreement;
  out.riskThreshold = config.riskThreshold;
  out.config = config;
  out.truth = {
    games: truth.games,
    models: truth.models.map((m) => ({
      name: m.name,
      logLoss: { value: r4(m.logLoss.value), ci: m.logLoss.ci.map(r4) },
      accuracy: { value: r4(m.accuracy.value), ci: m.accuracy.ci.map(r4) },
      roi: { value: r4(m.roi.value), ci: m.roi.ci.map(r4), bets: m.roi.bets, profit: r4(m.roi.profit) },
    })),
    close: {
      games: truth.close.games,
      logLoss: { value: r4(truth.close.logLoss.value), ci: truth.close.logLoss.ci.map(r4) },
      accuracy: { value: r4(truth.close.accuracy.value), ci: truth.close.accuracy.ci.map(r4) },
      modelMinusClose: truth.close.modelMinusClose.map((m) => ({ value: r5(m.value), ci: m.ci.map(r5) })),
    },
    challengerMinusControl: {
      logLoss: { value: r5(truth.diff.logLoss.value), ci: truth.diff.logLoss.ci.map(r5) },
      accuracy: { value: r4(truth.diff.accuracy.value), ci: truth.diff.accuracy.ci.map(r4) },
    },
  };
  out.plainReplaySeconds = Object.fromEntries(plain.map((p) => [p.name, r4(p.wall)]));
  out.variants = runs.map((r) => ({
    key: r.variant.key,
    label: r.variant.label,
    wallSeconds: r4(r.wall),
    replay: r.result,
    status: {
      status: r.status.experiment.status,
      decision: r.status.decision,
      day: r.status.day,
      circuitBreaker: r.status.circuitBreaker,
      srm: r.status.srm,
      events: r.status.events.map((e) => `${e.at} ${e.kind}: ${e.message}`),
      timelineLooks: r.status.timeline.length,
    },
    timelineAgreement: agreement[r.variant.key],
  }));
  const look = (l: Look | null) =>
    l && {
      date: l.date,
      day: l.day,
      n: [l.a.nControl, l.a.nChallenger],
      effect: r5(l.a.effect),
      fixed: { p: r5(l.a.fixed.pValue), ci: l.a.fixed.ci.map(r5) },
      sequential: { p: r5(l.a.sequential.pValue), ci: l.a.sequential.ci.map(r5) },
      probabilityToBeat: r4(l.a.bayesian.probabilityToBeat),
      srmP: r4(l.srmP),
    };
  out.naive = naive.map((n) => ({ kind: n.kind, first: look(n.first), looksFiring: n.looksFiring, looks: n.looks, last: look(n.last) }));
  out.wouldStop = wouldStop.map((w) => ({
    kind: w.kind,
    sequential: look(w.sequential),
    bayesian: look(w.bayesian),
    naive: look(w.naive),
  }));
  out.loadAfter = loadavg().map((x) => +x.toFixed(2));
  out.totalSeconds = r4((performance.now() - started) / 1000);

  const md = `${markdown(out, runs, naive, wouldStop, truth)}\nTotal wall time ${(out.totalSeconds as number).toFixed(0)} s (${String(out.machine)}; load ${(out.loadBefore as number[]).join(', ')} before). JSON: ${join(OUT, 'result.json')}.\n`;
  writeFileSync(join(OUT, 'result.json'), JSON.stringify(out, null, 2));
  const file = flag('markdown');
  if (file) writeFileSync(file, md);
  process.stdout.write(md);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
