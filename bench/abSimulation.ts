/**
 * Simulation study of the A/B statistics (src-workers/compute/experiments): how often each procedure declares
 * a winner when there is none (false-positive rate), how often it finds a real +5% improvement (power), and how
 * long it runs, with a look every simulated day — the evidence issue 14 asks for.
 *
 * The simulated metric is the per-game accuracy of each model's pick (1 hit, 0 miss): control 0.57, the
 * challenger 0.57 × (1 + effect) with effect 0 or +0.05 (relative, the issue's minimum effect). Both models
 * score every game (shadow scoring); they pick different sides on a share `disagreement` of games (default
 * 10%: two models refit on overlapping seasons), and all of the accuracy difference comes from those games,
 * so per game (control hit, challenger hit) is (1,1), (1,0), (0,1) or (0,0) with the probabilities that give
 * both accuracies and that disagreement. Volumes as MLB's: 13–17 games a day (uniform, mean 15), routed by
 * GrowthBook's hash of (experiment salt, game id) at 80/20 (and 50/50 for contrast), horizons of 14, 30 and 60
 * days by default (`--horizons` for others), no decision before `minSamples` (default 100) games per variant.
 *
 * Analyses: routed (each variant on the games routed to it; Welch) and paired (challenger − control on every
 * game; one-sample t). Procedures, at α = 0.05, each look being the end of a day:
 *   fixed@end  the fixed-horizon test read once, at the horizon;
 *   peeking    the same test read every day, stopping at the first significant look (the misuse);
 *   sequential the confidence sequence (GrowthBook's asymptotic one, N* = 5000, its default) read every day;
 *   seq N*=15·days  the same sequence tuned to the games expected by the horizon (N* = 15 × days);
 *   Bayes GB   the expected-loss stop rule with GrowthBook's defaults (prior N(0, 0.3²), risk 0.0025);
 *   Bayes      the same rule with Bullpen's defaults (DEFAULT_PRIOR_SD, riskThresholdFor(horizon) in statistics.ts);
 *   either     the first of sequential and Bayes.
 * A false positive is any declared winner (either side) under effect 0; power is the challenger declared under
 * +5%. 95% intervals are Wilson's for a binomial proportion over the experiments. "Mean days" is E[min(stop day,
 * horizon)]. A grid of (prior sd, risk threshold) shows the Bayesian rule's frequentist error over the same
 * experiments (the defaults were chosen on a run with another seed, so the reported column is out of sample).
 *
 * Run: `npx tsx bench/abSimulation.ts [--experiments 1000] [--seed 1] [--min-samples 100] [--disagreement 0.1]
 * [--horizons 14,30,60] [--markdown FILE]`. Prints one JSON document; writes the markdown section to FILE when given.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { assignVariant } from '../src-workers/compute/experiments/routing';
import {
  analyzeMetric,
  DEFAULT_PRIOR_SD,
  DEFAULT_SEQUENTIAL_TUNING,
  gaussianPosterior,
  GROWTHBOOK_RISK_THRESHOLD,
  RISK_THRESHOLD_BY_MAX_DAYS,
  riskThresholdFor,
  sequentialHalfwidth,
  srm,
  SRM_P_THRESHOLD,
  type AnalysisOptions,
} from '../src-workers/compute/experiments/statistics';
import { createRng, type Rng } from '../src-workers/compute/stats/rng';

const CONTROL_ACCURACY = 0.57;
const EFFECTS = [0, 0.05] as const;
/** Maximum durations studied (`--horizons 14,30,60,120`); the experiments are simulated for the longest. */
const HORIZONS: readonly number[] = horizonsFrom(process.argv.slice(2));
const DAYS = HORIZONS[HORIZONS.length - 1];
const MIN_GAMES_PER_DAY = 13;
const GAMES_PER_DAY_SPREAD = 5;
const MEAN_GAMES_PER_DAY = MIN_GAMES_PER_DAY + (GAMES_PER_DAY_SPREAD - 1) / 2;
const ALPHA = 0.05;
/** GrowthBook's DEFAULT_PROPER_PRIOR_STDDEV (statistics.ts keeps it as Bullpen's default too). */
const GROWTHBOOK_PRIOR_SD = 0.3;
const GRID_PRIOR_SDS = [0.3, 0.1, 0.05];
const GRID_THRESHOLDS = [2.5e-3, 1e-3, 2.5e-4, 1e-4, 7.5e-5, 5e-5, 3.5e-5, 2.5e-5, 1.5e-5, 1e-5, 5e-6, 2.5e-6, 1e-6];

const Z95 = 1.959963984540054;

function horizonsFrom(argv: string[]): number[] {
  const i = argv.indexOf('--horizons');
  const text = i >= 0 ? argv[i + 1] : '14,30,60';
  const days = (text ?? '').split(',').map(Number);
  if (!days.every((d) => Number.isInteger(d) && d > 0)) throw new Error('--horizons takes days, e.g. 14,30,60');
  return [...new Set(days)].sort((a, b) => a - b);
}

interface Options {
  experiments: number;
  seed: number;
  minSamples: number;
  disagreement: number;
  markdown: string | null;
}

function options(argv: string[]): Options {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const o = {
    experiments: Number(flag('experiments') ?? 1000),
    seed: Number(flag('seed') ?? 1),
    minSamples: Number(flag('min-samples') ?? 100),
    disagreement: Number(flag('disagreement') ?? 0.1),
    markdown: flag('markdown') ?? null,
  };
  if (!Number.isInteger(o.experiments) || o.experiments < 1) throw new Error('--experiments takes a positive integer');
  if (!Number.isInteger(o.seed)) throw new Error('--seed takes an integer');
  if (!Number.isInteger(o.minSamples) || o.minSamples < 2) throw new Error('--min-samples takes an integer of at least 2');
  const gap = CONTROL_ACCURACY * EFFECTS[1];
  if (!(o.disagreement > gap && o.disagreement < 2 * (1 - CONTROL_ACCURACY - gap)))
    throw new Error(
      `--disagreement must exceed the accuracy gap ${gap.toFixed(4)} (the gap comes from disagreements) and leave room for both misses`,
    );
  return o;
}

/** The analyses: routed at a challenger share, or paired. */
const ANALYSES = [
  { key: 'routed 80/20', kind: 'routed', share: 0.2 },
  { key: 'routed 50/50', kind: 'routed', share: 0.5 },
  { key: 'paired', kind: 'paired', share: 0.2 },
] as const;
type AnalysisKey = (typeof ANALYSES)[number]['key'];

/** One daily look of one analysis: what each test says (0 nothing, ±1 the side it favours). */
interface Look {
  valid: boolean;
  fixed: number;
  sequential: number;
  bayesGb: number;
  /** What the other tunings and priors need: the oriented effect, its standard error and n; the relative ones. */
  effect: number | null;
  se: number | null;
  n: number;
  rel: number | null;
  relSe: number | null;
}

/** Per-game (control hit, challenger hit) probabilities: both, control only, challenger only; the rest both miss. */
function jointProbabilities(effect: number, disagreement: number): [number, number, number] {
  const gap = CONTROL_ACCURACY * effect;
  const controlOnly = (disagreement - gap) / 2;
  const challengerOnly = (disagreement + gap) / 2;
  return [CONTROL_ACCURACY - controlOnly, controlOnly, challengerOnly];
}

const sideOf = (significant: boolean, effect: number | null): number => (significant && effect !== null ? Math.sign(effect) : 0);

/** Simulate one experiment for DAYS days and record every analysis' daily look. */
function simulate(rng: Rng, salt: string, effect: number, o: Options): { looks: Record<AnalysisKey, Look[]>; srmP: number } {
  const [both, controlOnly, challengerOnly] = jointProbabilities(effect, o.disagreement);
  const capacity = DAYS * (MIN_GAMES_PER_DAY + GAMES_PER_DAY_SPREAD);
  const diffs = new Float64Array(capacity);
  const routed = ANALYSES.filter((a) => a.kind === 'routed').map((a) => ({
    key: a.key,
    share: a.share,
    control: new Float64Array(capacity),
    challenger: new Float64Array(capacity),
    nc: 0,
    nt: 0,
  }));
  const looks = Object.fromEntries(ANALYSES.map((a) => [a.key, [] as Look[]])) as Record<AnalysisKey, Look[]>;
  const analysisOptions: AnalysisOptions = {
    direction: 'higher',
    alpha: ALPHA,
    minEffect: EFFECTS[1],
    tuning: DEFAULT_SEQUENTIAL_TUNING,
    prior: { mean: 0, sd: GROWTHBOOK_PRIOR_SD },
    riskThreshold: GROWTHBOOK_RISK_THRESHOLD,
  };
  const record = (key: AnalysisKey, a: ReturnType<typeof analyzeMetric>) =>
    looks[key].push({
      valid: Math.min(a.nControl, a.nChallenger) >= o.minSamples,
      fixed: sideOf(a.fixed.significant, a.effect),
      sequential: sideOf(a.sequential.significant, a.effect),
      bayesGb: a.bayesian.stop ? ((a.bayesian.mean ?? 0) > 0 ? 1 : -1) : 0,
      effect: a.effect,
      se: a.se,
      n: a.n,
      rel: a.relativeEffect,
      relSe: a.relativeSe,
    });
  let n = 0;
  let controlHits = 0;
  for (let day = 1; day <= DAYS; day++) {
    const games = MIN_GAMES_PER_DAY + rng.nextInt(GAMES_PER_DAY_SPREAD);
    for (let g = 0; g < games; g++) {
      const u = rng.nextFloat();
      const c = u < both + controlOnly ? 1 : 0;
      const t = u < both || (u >= both + controlOnly && u < both + controlOnly + challengerOnly) ? 1 : 0;
      diffs[n++] = t - c;
      controlHits += c;
      const gameId = `${day}-${g}`;
      for (const r of routed) {
        if (assignVariant(salt, gameId, r.share) === 1) r.challenger[r.nt++] = t;
        else r.control[r.nc++] = c;
      }
    }
    for (const r of routed)
      record(
        r.key,
        analyzeMetric(
          { kind: 'routed', control: r.control.subarray(0, r.nc), challenger: r.challenger.subarray(0, r.nt) },
          analysisOptions,
        ),
      );
    record('paired', analyzeMetric({ kind: 'paired', diffs: diffs.subarray(0, n), controlMean: controlHits / n }, analysisOptions));
  }
  const r80 = routed[0];
  return { looks, srmP: srm([r80.nc, r80.nt], [1 - r80.share, r80.share]).pValue };
}

/** A procedure's outcome over looks 1..horizon: the side declared (0 none) and the day it ended. */
type Procedure = (looks: Look[], horizon: number) => { side: number; day: number };

function firstLook(pick: (l: Look) => number): Procedure {
  return (looks, horizon) => {
    for (let d = 0; d < horizon; d++) {
      const side = looks[d].valid ? pick(looks[d]) : 0;
      if (side !== 0) return { side, day: d + 1 };
    }
    return { side: 0, day: horizon };
  };
}

function bayesSide(l: Look, priorSd: number, threshold: number): number {
  if (l.rel === null || l.relSe === null) return 0;
  const p = gaussianPosterior(l.rel, l.relSe, { mean: 0, sd: priorSd });
  return Math.min(p.expectedLossChallenger, p.expectedLossControl) < threshold ? (p.mean > 0 ? 1 : -1) : 0;
}

/** Bullpen's Bayesian rule for an experiment of `horizon` days: its prior and the threshold for that maximum duration. */
const bullpenBayes = (horizon: number) => (l: Look) => bayesSide(l, DEFAULT_PRIOR_SD, riskThresholdFor(horizon));

/** The confidence sequence tuned for the horizon: N* = the games expected by then (15 a day; routed counts both variants). */
function sequentialTunedTo(horizon: number): Procedure {
  const tuning = MEAN_GAMES_PER_DAY * horizon;
  return firstLook((l) => {
    if (l.effect === null || l.se === null) return 0;
    if (l.se === 0) return Math.sign(l.effect);
    return Math.abs(l.effect) > sequentialHalfwidth(l.se * l.se * l.n, l.n, tuning, ALPHA) ? Math.sign(l.effect) : 0;
  });
}

const PROCEDURES: Record<string, Procedure> = {
  'fixed@end': (looks, horizon) => ({ side: looks[horizon - 1].valid ? looks[horizon - 1].fixed : 0, day: horizon }),
  peeking: firstLook((l) => l.fixed),
  sequential: firstLook((l) => l.sequential),
  'seq N*=15·days': (looks, horizon) => sequentialTunedTo(horizon)(looks, horizon),
  'Bayes GB': firstLook((l) => l.bayesGb),
  Bayes: (looks, horizon) => firstLook(bullpenBayes(horizon))(looks, horizon),
  either: (looks, horizon) => firstLook((l) => l.sequential || bullpenBayes(horizon)(l))(looks, horizon),
};
const PROCEDURE_NAMES = Object.keys(PROCEDURES);

interface Rate {
  rate: number;
  ci: [number, number];
  wrongSide: number;
  meanDays: number;
}

/** Wilson's 95% interval for k successes in n trials. */
function wilson(k: number, n: number): [number, number] {
  const p = k / n;
  const z2 = Z95 * Z95;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

function evaluate(runs: Look[][], procedure: Procedure, horizon: number, effect: number): Rate {
  let hits = 0;
  let wrong = 0;
  let days = 0;
  for (const looks of runs) {
    const r = procedure(looks, horizon);
    days += r.day;
    // Under no effect any declared winner is a false positive; under +5% only the challenger is right.
    if (effect === 0 ? r.side !== 0 : r.side === 1) hits++;
    else if (effect !== 0 && r.side === -1) wrong++;
  }
  return { rate: hits / runs.length, ci: wilson(hits, runs.length), wrongSide: wrong / runs.length, meanDays: days / runs.length };
}

interface Cell {
  analysis: AnalysisKey;
  horizon: number;
  effect: number;
  /** Day the analysis first had minSamples per variant, median over experiments (null: never within 60 days). */
  medianFirstValidDay: number | null;
  procedures: Record<string, Rate>;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function markdown(o: Options, cells: Cell[], grid: GridRow[], srmAlerts: number, seconds: number): string {
  const head = ['analysis', 'days', 'first look', ...PROCEDURE_NAMES];
  const line = (xs: string[]) => `| ${xs.join(' | ')} |`;
  const table = (effect: number, show: (r: Rate) => string) =>
    [
      line(head),
      line(head.map(() => '---')),
      ...cells
        .filter((c) => c.effect === effect)
        .map((c) =>
          line([
            c.analysis,
            String(c.horizon),
            c.medianFirstValidDay === null ? 'never' : `day ${c.medianFirstValidDay}`,
            ...PROCEDURE_NAMES.map((p) => show(c.procedures[p])),
          ]),
        ),
    ].join('\n');
  const fpr = (r: Rate) => `${pct(r.rate)} [${pct(r.ci[0])}, ${pct(r.ci[1])}]`;
  const power = (r: Rate) => `${pct(r.rate)} (${r.meanDays.toFixed(1)} d)`;
  const gridHead = ['prior sd', 'risk threshold', 'max FPR (cell)', 'power, paired 14/30/60 d', 'power, routed 80/20 60 d'];
  const gridTable = [
    line(gridHead),
    line(gridHead.map(() => '---')),
    ...grid.map((g) =>
      line([
        String(g.priorSd),
        String(g.threshold),
        `${pct(g.maxFpr)} (${g.maxFprCell})`,
        g.pairedPower.map(pct).join(' / '),
        pct(g.routedPower),
      ]),
    ),
  ].join('\n');
  return [
    `### A/B statistics: simulation study (bench/abSimulation.ts, ${o.experiments} experiments per cell, seed ${o.seed})`,
    '',
    `Per-game pick accuracy, control ${CONTROL_ACCURACY}, challenger ${CONTROL_ACCURACY} × (1 + effect); both models score every game and pick different sides on ${pct(o.disagreement)} of them; ${MIN_GAMES_PER_DAY}–${MIN_GAMES_PER_DAY + GAMES_PER_DAY_SPREAD - 1} games a day, routed by GrowthBook v2 hashes; a look after every day from the first day with ${o.minSamples} games per variant ("first look", median); α = ${ALPHA}; sequential N* = ${DEFAULT_SEQUENTIAL_TUNING} (GrowthBook's default) or ${MEAN_GAMES_PER_DAY} × days; Bayes GB = prior N(0, ${GROWTHBOOK_PRIOR_SD}²) on the relative effect and risk threshold ${GROWTHBOOK_RISK_THRESHOLD} (GrowthBook's defaults); Bayes = prior N(0, ${DEFAULT_PRIOR_SD}²), threshold ${RISK_THRESHOLD_BY_MAX_DAYS.map((r) => `${r.threshold} ${Number.isFinite(r.upTo) ? `up to ${r.upTo} days` : 'beyond'}`).join(', ')} (Bullpen's defaults); either = the first of sequential and Bayes. ${(seconds / 60).toFixed(1)} min on ${cpus().length} cores.`,
    '',
    'False-positive rate, true effect 0 (any winner declared; Wilson 95% interval):',
    '',
    table(0, fpr),
    '',
    'Power, true effect +5% (challenger declared; mean days = E[min(stop, horizon)]):',
    '',
    table(EFFECTS[1], power),
    '',
    `The Bayesian rule's frequentist error over (prior sd, risk threshold), same experiments, worst cell over all analyses and horizons:`,
    '',
    gridTable,
    '',
    `SRM (χ², alert below p = ${SRM_P_THRESHOLD}) on the routed 80/20 counts after ${DAYS} days with correct routing: ${srmAlerts} alerts in ${2 * o.experiments} experiments.`,
    '',
  ].join('\n');
}

interface GridRow {
  priorSd: number;
  threshold: number;
  maxFpr: number;
  maxFprCell: string;
  pairedPower: number[];
  routedPower: number;
}

function main(): void {
  const o = options(process.argv.slice(2));
  const started = performance.now();
  const runs: Record<number, Record<AnalysisKey, Look[][]>> = {};
  let srmAlerts = 0;
  EFFECTS.forEach((effect, e) => {
    runs[effect] = Object.fromEntries(ANALYSES.map((a) => [a.key, [] as Look[][]])) as Record<AnalysisKey, Look[][]>;
    for (let i = 0; i < o.experiments; i++) {
      const rng = createRng((o.seed * 1_000_003 + e * 100_003 + i) | 0);
      const sim = simulate(rng, `sim-${o.seed}-${e}-${i}`, effect, o);
      for (const a of ANALYSES) runs[effect][a.key].push(sim.looks[a.key]);
      if (sim.srmP < SRM_P_THRESHOLD) srmAlerts++;
    }
  });
  const cells: Cell[] = [];
  for (const effect of EFFECTS)
    for (const a of ANALYSES)
      for (const horizon of HORIZONS) {
        const firstValid = runs[effect][a.key].map((looks) => looks.findIndex((l) => l.valid)).filter((d) => d >= 0 && d < horizon);
        const procedures = Object.fromEntries(
          PROCEDURE_NAMES.map((p) => [p, evaluate(runs[effect][a.key], PROCEDURES[p], horizon, effect)]),
        );
        cells.push({
          analysis: a.key,
          horizon,
          effect,
          medianFirstValidDay: firstValid.length > o.experiments / 2 ? (median(firstValid) as number) + 1 : null,
          procedures,
        });
      }
  // The Bayesian rule over (prior sd, threshold): its false-positive rate per analysis and horizon and its power,
  // evaluated once; the grid reads the worst cell over everything, the per-horizon table the worst analysis at each
  // horizon (so a threshold can be chosen per maximum duration).
  const bayesRuns = GRID_PRIOR_SDS.flatMap((priorSd) =>
    GRID_THRESHOLDS.map((threshold) => {
      const proc = firstLook((l) => bayesSide(l, priorSd, threshold));
      return {
        priorSd,
        threshold,
        fpr: ANALYSES.map((a) => HORIZONS.map((horizon) => evaluate(runs[0][a.key], proc, horizon, 0).rate)),
        pairedPower: HORIZONS.map((h) => evaluate(runs[EFFECTS[1]].paired, proc, h, EFFECTS[1]).rate),
        routedPower: evaluate(runs[EFFECTS[1]]['routed 80/20'], proc, DAYS, EFFECTS[1]).rate,
      };
    }),
  );
  const grid: GridRow[] = bayesRuns.map(({ priorSd, threshold, fpr, pairedPower, routedPower }) => {
    let maxFpr = 0;
    let maxFprCell = '';
    ANALYSES.forEach((a, i) =>
      HORIZONS.forEach((horizon, h) => {
        if (fpr[i][h] > maxFpr) [maxFpr, maxFprCell] = [fpr[i][h], `${a.key}, ${horizon} d`];
      }),
    );
    return { priorSd, threshold, maxFpr, maxFprCell, pairedPower, routedPower };
  });
  const bayesByHorizon = HORIZONS.map((horizon, h) => ({
    horizon,
    rows: bayesRuns.map(({ priorSd, threshold, fpr, pairedPower }) => ({
      priorSd,
      threshold,
      maxFpr: Math.max(...fpr.map((byHorizon) => byHorizon[h])),
      pairedPower: pairedPower[h],
    })),
  }));
  const seconds = (performance.now() - started) / 1000;
  const md = markdown(o, cells, grid, srmAlerts, seconds);
  if (o.markdown) writeFileSync(o.markdown, md);
  process.stdout.write(
    `${JSON.stringify(
      {
        options: o,
        machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
        seconds,
        defaults: { priorSd: DEFAULT_PRIOR_SD, riskThresholds: RISK_THRESHOLD_BY_MAX_DAYS, tuning: DEFAULT_SEQUENTIAL_TUNING },
        srmAlerts,
        cells,
        grid,
        bayesByHorizon,
      },
      null,
      1,
    )}\n`,
  );
}

main();
