import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';
import { checkBinary, LOG_LOSS_EPSILON } from '../metrics/classification';
import { quantileSorted } from '../stats/bootstrap';
import { createRng, type Rng } from '../stats/rng';
import { fmt, pct, worstStatus, type Monitor, type MonitorResult, type MonitorStatus } from './monitor';

/**
 * Concept (performance) drift: realized log loss, accuracy, Brier score and ROI over the current window
 * against the reference period. A metric alerts when both hold:
 * - its relative drop exceeds 10%: (current − reference) / reference for log loss and Brier (higher is
 *   worse), (reference − current) / reference for accuracy; for ROI, which sits near zero and changes sign,
 *   the drop is taken on the gross return per unit staked, (reference − current) / (1 + reference ROI), so
 *   10% means 0.1 less returned per unit of stake;
 * - the drop is distinguishable from noise: the 95% two-sided percentile bootstrap interval of the
 *   degradation (current minus reference, signed so positive is worse) lies entirely above zero. A 7-day
 *   MLB window holds about 100 games, where accuracy alone moves by ±10% from luck.
 * A drop above 10% whose interval still reaches zero warns ("within noise"); both figures are reported.
 *
 * The bootstrap is two-sample (both the window and the reference are resampled, independently, with
 * seeded generators), written here because stats/bootstrap resamples one sample. The reference's replicates
 * depend only on the reference and the seed, so performanceReference() computes them once per replay.
 * A resample with no stake has no ROI and is left out of the ROI interval.
 */

export const performanceMetrics = ['logLoss', 'accuracy', 'brier', 'roi'] as const;
export type PerformanceMetric = (typeof performanceMetrics)[number];

export const performanceDriftConfigSchema = z
  .object({
    relativeDrop: z.number().gt(0).default(0.1),
    /** Two-sided level of the bootstrap interval of the degradation. */
    confidence: z.number().gt(0).lt(1).default(0.95),
    /** 2,000 resamples keep a 95% percentile interval's endpoints stable to about a tenth of their width. */
    resamples: z.int().min(100).default(2000),
    seed: z.int().default(1),
    metrics: z
      .array(z.enum(performanceMetrics))
      .min(1)
      .default([...performanceMetrics]),
  })
  .strict();
export type PerformanceDriftConfig = z.input<typeof performanceDriftConfigSchema>;
type ParsedConfig = z.output<typeof performanceDriftConfigSchema>;

/** Settled games: outcome y (1 = home win), predicted probability p, and optionally the bet's stake and profit. */
export interface PerformanceSample {
  y: ArrayLike<number>;
  p: ArrayLike<number>;
  stake?: ArrayLike<number>;
  profit?: ArrayLike<number>;
}

export interface PerformanceReference {
  kind: 'performanceReference';
  config: ParsedConfig;
  n: number;
  values: Record<PerformanceMetric, number | null>;
  replicates: Record<PerformanceMetric, Float64Array>;
}

export interface PerformanceMetricResult extends MonitorResult {
  monitor: 'performanceDrift';
  subject: PerformanceMetric;
  /** The metric over the reference and over the current window. */
  reference: number | null;
  current: number | null;
  /** Current minus reference, signed so that positive is worse. */
  degradation: number | null;
  degradationCi: [number, number] | null;
  /** The value: degradation over the reference (over 1 + reference ROI for ROI). */
  relativeDrop: number | null;
  /** Whether the interval of the degradation lies above zero. */
  distinguishable: boolean | null;
}

export interface PerformanceDriftResult extends MonitorResult {
  monitor: 'performanceDrift';
  subject: null;
  metrics: PerformanceMetricResult[];
  n: { reference: number; current: number };
  confidence: number;
}

const labels: Record<PerformanceMetric, string> = { logLoss: 'log loss', accuracy: 'accuracy', brier: 'Brier score', roi: 'ROI' };
/** +1 when a higher value is worse. */
const worseWhenHigher: Record<PerformanceMetric, boolean> = { logLoss: true, accuracy: false, brier: true, roi: false };
const CURRENT_STREAM = 0x5bd1e995;
/** Largest n with n² ≤ 2³²: one 32-bit draw then yields two indices. */
const PAIRED_DRAW_MAX_N = 65_535;

interface PerGame {
  n: number;
  logLoss: Float64Array;
  hit: Float64Array;
  brier: Float64Array;
  stake: Float64Array | null;
  profit: Float64Array | null;
}

function perGame(sample: PerformanceSample, what: string): PerGame {
  const { y, p } = sample;
  // An empty window (no game settled yet) is measured as unknown, not refused.
  if (y.length > 0 || p.length > 0) checkBinary(y, p, what);
  const n = y.length;
  const logLoss = new Float64Array(n);
  const hit = new Float64Array(n);
  const brier = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p[i]));
    logLoss[i] = y[i] === 1 ? -Math.log(q) : -Math.log(1 - q);
    hit[i] = (p[i] >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
    brier[i] = (p[i] - y[i]) ** 2;
  }
  if ((sample.stake === undefined) !== (sample.profit === undefined))
    throw inputError('MONITOR_ROI_INPUT', `${what}: ROI needs both stake and profit per game, got only one`);
  let stake: Float64Array | null = null;
  let profit: Float64Array | null = null;
  if (sample.stake && sample.profit) {
    if (sample.stake.length !== n || sample.profit.length !== n)
      throw inputError('MONITOR_ROI_LENGTH', `${what}: ${n} games but ${sample.stake.length} stakes and ${sample.profit.length} profits`, {
        games: n,
      });
    stake = Float64Array.from(sample.stake);
    profit = Float64Array.from(sample.profit);
  }
  return { n, logLoss, hit, brier, stake, profit };
}

/** The four metrics over the whole sample. */
function metricsOf(g: PerGame): Record<PerformanceMetric, number> {
  let ll = 0;
  let hit = 0;
  let br = 0;
  let stake = 0;
  let profit = 0;
  for (let i = 0; i < g.n; i++) {
    ll += g.logLoss[i];
    hit += g.hit[i];
    br += g.brier[i];
    if (g.stake && g.profit) {
      stake += g.stake[i];
      profit += g.profit[i];
    }
  }
  return { logLoss: ll / g.n, accuracy: hit / g.n, brier: br / g.n, roi: stake > 0 ? profit / stake : Number.NaN };
}

/** n uniform indices in [0, n): two per draw of the generator while n² fits its 32 bits (v mod n and ⌊v / n⌋ of a uniform v < n² are independent and uniform). */
function drawIndices(rng: Rng, n: number, idx: Int32Array): void {
  if (n <= PAIRED_DRAW_MAX_N) {
    const nn = n * n;
    for (let k = 0; k < n; k += 2) {
      const v = rng.nextInt(nn);
      idx[k] = v % n;
      if (k + 1 < n) idx[k + 1] = (v - (v % n)) / n;
    }
  } else for (let k = 0; k < n; k++) idx[k] = rng.nextInt(n);
}

/** Bootstrap replicates of the four metrics; the generator is the check's one cost, so the loop stays flat. */
function replicate(g: PerGame, rng: Rng, resamples: number): Record<PerformanceMetric, Float64Array> {
  const reps = {
    logLoss: new Float64Array(resamples),
    accuracy: new Float64Array(resamples),
    brier: new Float64Array(resamples),
    roi: new Float64Array(resamples),
  };
  const { n, logLoss, hit, brier } = g;
  if (n === 0) {
    for (const m of performanceMetrics) reps[m].fill(Number.NaN);
    return reps;
  }
  const stakes = g.stake ?? new Float64Array(n);
  const profits = g.profit ?? new Float64Array(n);
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    drawIndices(rng, n, idx);
    let ll = 0;
    let h = 0;
    let br = 0;
    let st = 0;
    let pr = 0;
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      ll += logLoss[i];
      h += hit[i];
      br += brier[i];
      st += stakes[i];
      pr += profits[i];
    }
    reps.logLoss[b] = ll / n;
    reps.accuracy[b] = h / n;
    reps.brier[b] = br / n;
    reps.roi[b] = st > 0 ? pr / st : Number.NaN;
  }
  return reps;
}

function pointValues(g: PerGame): Record<PerformanceMetric, number | null> {
  if (g.n === 0) return { logLoss: null, accuracy: null, brier: null, roi: null };
  const m = metricsOf(g);
  return { ...m, roi: Number.isFinite(m.roi) ? m.roi : null };
}

function parseConfig(config: PerformanceDriftConfig): ParsedConfig {
  const parsed = performanceDriftConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('performanceDrift', parsed.error);
  return parsed.data;
}

/** The reference's metrics and bootstrap replicates, computed once for every window compared with it. */
export function performanceReference(reference: PerformanceSample, config: PerformanceDriftConfig = {}): PerformanceReference {
  const parsed = parseConfig(config);
  const g = perGame(reference, 'performance reference');
  return {
    kind: 'performanceReference',
    config: parsed,
    n: g.n,
    values: pointValues(g),
    replicates: replicate(g, createRng(parsed.seed), parsed.resamples),
  };
}

function scaleOf(metric: PerformanceMetric, reference: number): number {
  return metric === 'roi' ? 1 + reference : Math.abs(reference);
}

function judge(
  metric: PerformanceMetric,
  ref: number | null,
  cur: number | null,
  refReps: Float64Array,
  curReps: Float64Array,
  config: ParsedConfig,
): PerformanceMetricResult {
  const label = labels[metric];
  const base = { monitor: 'performanceDrift' as const, subject: metric, threshold: config.relativeDrop, reference: ref, current: cur };
  if (ref === null || cur === null) {
    const side = ref === null ? 'the reference' : 'the current window';
    return {
      ...base,
      value: null,
      status: 'unknown',
      explanation: `${label}: cannot compare: ${side} has ${metric === 'roi' ? 'no stake' : 'no games'}`,
      degradation: null,
      degradationCi: null,
      relativeDrop: null,
      distinguishable: null,
    };
  }
  const sign = worseWhenHigher[metric] ? 1 : -1;
  const degradation = sign * (cur - ref);
  const diffs: number[] = [];
  for (let b = 0; b < curReps.length; b++) {
    const d = sign * (curReps[b] - refReps[b]);
    if (Number.isFinite(d)) diffs.push(d);
  }
  const sorted = Float64Array.from(diffs).sort();
  const alpha = (1 - config.confidence) / 2;
  const ci: [number, number] | null = sorted.length ? [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)] : null;
  const scale = scaleOf(metric, ref);
  const relativeDrop = scale > 0 ? degradation / scale : null;
  const distinguishable = ci ? ci[0] > 0 : null;
  const big = relativeDrop !== null && relativeDrop > config.relativeDrop;
  const status: MonitorStatus = relativeDrop === null ? 'unknown' : big && distinguishable ? 'alert' : big ? 'warn' : 'ok';
  const ciText = ci ? `[${fmt(ci[0])}, ${fmt(ci[1])}]` : 'n/a';
  const explanation =
    `${label} ${fmt(cur)} against ${fmt(ref)}: relative drop ${pct(relativeDrop)} ${big ? '>' : '≤'} ${pct(config.relativeDrop)}, ` +
    `${Math.round(config.confidence * 100)}% interval of the degradation ${ciText}` +
    (status === 'alert' ? ': a real drop' : status === 'warn' ? ': within noise' : '');
  return { ...base, value: relativeDrop, status, explanation, degradation, degradationCi: ci, relativeDrop, distinguishable };
}

/** Realized performance of the current window against the reference, metric by metric, with bootstrap intervals. A prepared reference carries the config it was prepared with; `config` applies to a raw sample. */
export function performanceDrift(
  reference: PerformanceSample | PerformanceReference,
  current: PerformanceSample,
  config: PerformanceDriftConfig = {},
): PerformanceDriftResult {
  const prepared = isPerformanceReference(reference) ? reference : performanceReference(reference, config);
  const parsed = prepared.config;
  const g = perGame(current, 'performance window');
  const curValues = pointValues(g);
  const curReps = replicate(g, createRng(parsed.seed ^ CURRENT_STREAM), parsed.resamples);
  const metrics = parsed.metrics.map((m) => judge(m, prepared.values[m], curValues[m], prepared.replicates[m], curReps[m], parsed));
  const status = worstStatus(metrics.map((m) => m.status));
  const drops = metrics.filter((m) => m.relativeDrop !== null);
  const worst = drops.length ? drops.reduce((a, b) => ((b.relativeDrop as number) > (a.relativeDrop as number) ? b : a)) : null;
  const flagged = metrics.filter((m) => m.status === 'alert' || m.status === 'warn');
  const explanation = worst
    ? `${g.n} games against ${prepared.n}: largest relative drop ${pct(worst.relativeDrop)} (${labels[worst.subject]})` +
      (flagged.length
        ? `; ${flagged.map((m) => `${labels[m.subject]} ${m.status === 'alert' ? 'dropped' : 'dropped within noise'}`).join(', ')}`
        : '')
    : 'no metric could be compared';
  return {
    monitor: 'performanceDrift',
    subject: null,
    value: worst ? worst.relativeDrop : null,
    threshold: parsed.relativeDrop,
    status,
    explanation,
    metrics,
    n: { reference: prepared.n, current: g.n },
    confidence: parsed.confidence,
  };
}

function isPerformanceReference(x: PerformanceSample | PerformanceReference): x is PerformanceReference {
  return (x as PerformanceReference).kind === 'performanceReference';
}

export function performanceDriftMonitor(
  config: PerformanceDriftConfig = {},
): Monitor<PerformanceSample | PerformanceReference, PerformanceSample, PerformanceDriftResult> {
  return { name: 'performanceDrift', check: (reference, current) => performanceDrift(reference, current, config) };
}
