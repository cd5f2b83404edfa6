/**
 * One monitoring check, as a deployment runs it every hour: feature drift over 41 features (PSI, KS with its
 * exact p-value, normalised Wasserstein, JS distance), prediction drift, realized performance drift over the
 * 7-day window (two-sample bootstrap, 2,000 resamples), the CBPE estimate, data quality and the composite
 * score, for a 30-day window (~450 games) against a one-season reference (~2,430 games). Synthetic, seeded
 * data shaped like the default feature set (continuous ratings and rates, integer counts with ties, a few
 * features with missing values); the real-data version comes with the replay.
 *
 * Two timings, side by side: with the references prepared once (sorted, binned, bootstrapped — what a
 * replay does, since the reference does not change from day to day) and from scratch. Target: under 200 ms
 * per check. Prints one JSON document (with a ready RESULTS.md row); it does not write RESULTS.md.
 * Run: `npm run bench -- monitoringCheck`.
 */
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  dataQuality,
  driftScore,
  driftScoreInputs,
  estimatedPerformance,
  featureDrift,
  featureReference,
  performanceDrift,
  performanceReference,
  predictionDrift,
  type FeatureColumns,
  type FeatureReference,
  type PerformanceReference,
  type PerformanceSample,
} from '../src-workers/compute/monitoring';
import { createRng, type Rng } from '../src-workers/compute/stats';

const FEATURES = 41;
const REFERENCE_GAMES = 2430;
const WINDOW_GAMES = 450;
const WEEK_GAMES = 100;
const RUNS = 25;
const WARMUP = 3;

function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** Feature j: every sixth an integer count (ties), every tenth missing on 8% of games, the rest continuous. */
function features(rng: Rng, n: number, shift: number): FeatureColumns {
  const out: Record<string, Float64Array> = {};
  for (let j = 0; j < FEATURES; j++) {
    const col = new Float64Array(n);
    const scale = 1 + (j % 7);
    for (let i = 0; i < n; i++) {
      const x = scale * (gaussian(rng) + shift * (j % 3 === 0 ? 1 : 0));
      col[i] = j % 6 === 0 ? Math.round(x) : x;
      if (j % 10 === 0 && rng.nextFloat() < 0.08) col[i] = Number.NaN;
    }
    out[`feature_${String(j).padStart(2, '0')}`] = col;
  }
  return out;
}

function games(rng: Rng, n: number): PerformanceSample {
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  const stake = new Float64Array(n).fill(1);
  const profit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = 1 / (1 + Math.exp(-(0.16 + 0.45 * gaussian(rng))));
    y[i] = rng.nextFloat() < p[i] ? 1 : 0;
    profit[i] = (p[i] >= 0.5 ? 1 : 0) === y[i] ? 0.91 : -1;
  }
  return { p, y, stake, profit };
}

function lastRows(s: PerformanceSample, k: number): PerformanceSample {
  const from = s.y.length - k;
  const cut = (a: ArrayLike<number>) => Float64Array.from({ length: k }, (_v, i) => a[from + i]);
  return { p: cut(s.p), y: cut(s.y), stake: cut(s.stake ?? []), profit: cut(s.profit ?? []) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Inputs {
  refFeatures: FeatureColumns;
  curFeatures: FeatureColumns;
  refGames: PerformanceSample;
  curGames: PerformanceSample;
}

/** One check; the timings of each monitor go into `parts`. */
function check(
  inputs: Inputs,
  prepared: { features: FeatureReference; performance: PerformanceReference } | null,
  parts: Record<string, number[]>,
): number {
  const time = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const out = f();
    (parts[name] ??= []).push(performance.now() - t0);
    return out;
  };
  const started = performance.now();
  const fd = time('featureDrift', () => featureDrift(prepared?.features ?? inputs.refFeatures, inputs.curFeatures));
  const pd = time('predictionDrift', () => predictionDrift(inputs.refGames.p, inputs.curGames.p));
  const week = lastRows(inputs.curGames, WEEK_GAMES);
  const perf = time('performanceDrift', () => performanceDrift(prepared?.performance ?? inputs.refGames, week));
  const est = time('estimatedPerformance', () => estimatedPerformance(inputs.refGames, inputs.curGames.p));
  const dq = time('dataQuality', () =>
    dataQuality({ columns: inputs.refFeatures }, { columns: inputs.curFeatures }, {}, { unscored: { scored: WINDOW_GAMES, unscored: {} } }),
  );
  time('driftScore', () =>
    driftScore(
      driftScoreInputs({ featureDrift: fd, predictionDrift: pd, performanceDrift: perf, dataQuality: dq, estimatedPerformance: est }),
    ),
  );
  return performance.now() - started;
}

function main(): void {
  const rng = createRng(2016);
  const inputs: Inputs = {
    refFeatures: features(rng, REFERENCE_GAMES, 0),
    curFeatures: features(rng, WINDOW_GAMES, 0.1),
    refGames: games(rng, REFERENCE_GAMES),
    curGames: games(rng, WINDOW_GAMES),
  };
  const t0 = performance.now();
  const prepared = { features: featureReference(inputs.refFeatures), performance: performanceReference(inputs.refGames) };
  const prepareMs = performance.now() - t0;

  const preparedParts: Record<string, number[]> = {};
  const scratchParts: Record<string, number[]> = {};
  const preparedMs: number[] = [];
  const scratchMs: number[] = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    // Alternate the two sides so both see the same machine state.
    const a = check(inputs, prepared, r < WARMUP ? {} : preparedParts);
    const b = check(inputs, null, r < WARMUP ? {} : scratchParts);
    if (r >= WARMUP) {
      preparedMs.push(a);
      scratchMs.push(b);
    }
  }
  const medians = (parts: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +median(v).toFixed(2)]));
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a git checkout: the result still says everything else.
  }
  const prep = median(preparedMs);
  const scratch = median(scratchMs);
  const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const result = {
    benchmark: 'monitoringCheck',
    machine,
    features: FEATURES,
    referenceGames: REFERENCE_GAMES,
    windowGames: WINDOW_GAMES,
    performanceWindowGames: WEEK_GAMES,
    runs: RUNS,
    medianMs: { preparedReference: +prep.toFixed(2), fromScratch: +scratch.toFixed(2) },
    prepareReferenceOnceMs: +prepareMs.toFixed(2),
    partsMedianMs: { preparedReference: medians(preparedParts), fromScratch: medians(scratchParts) },
    targetMs: 200,
    row:
      `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${machine} | monitoring check | one check over ${FEATURES} features, ` +
      `${WINDOW_GAMES}-game window vs ${REFERENCE_GAMES}-game reference (synthetic), prepared reference vs from scratch, median of ${RUNS} | ` +
      `${prep.toFixed(1)} ms vs ${scratch.toFixed(1)} ms (target < 200 ms) | ${(scratch / prep).toFixed(2)}× |`,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main();
