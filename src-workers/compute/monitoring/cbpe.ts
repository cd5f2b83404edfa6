import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';
import { checkBinary, LOG_LOSS_EPSILON } from '../metrics/classification';
import { normalQuantile } from '../stats/normal';
import { isMissingNumber, type NumericValues } from './columns';
import { fmt, pct, worstStatus, type Monitor, type MonitorResult, type MonitorStatus } from './monitor';
import type { PerformanceSample } from './performanceDrift';

/**
 * Confidence-based performance estimation (NannyML's CBPE) for a binary classifier, before outcomes arrive.
 * If the probabilities are calibrated, a game predicted at p (side chosen at p ≥ 0.5) is won with
 * probability max(p, 1 − p) and costs −p·ln p − (1 − p)·ln(1 − p) in log loss on average, so:
 *   expected accuracy = mean(max(p, 1 − p)), expected log loss = mean(binary entropy of p).
 * It assumes calibration and no concept drift (the relation between features and outcome unchanged); a
 * miscalibrated model gets a wrong estimate, which is why the reference can calibrate it first.
 *
 * Calibration, optional: Platt scaling fitted on the reference, q = σ(a · logit(p) + b), by Newton's method
 * on the log-likelihood. Two parameters are well determined by a season of games and keep q strictly inside
 * (0, 1), so the expected log loss stays finite; NannyML's default, isotonic regression, is a step function
 * that can reach 0 or 1 on a few games. With a calibration, q is trusted as the chance of a home win while
 * the model keeps its own decisions and probabilities: a game counts q (p ≥ 0.5) or 1 − q as a win, and
 * −q·ln p − (1 − q)·ln(1 − p) as log loss; without one q = p and these are the formulas above.
 *
 * Sampling uncertainty: given the probabilities, each game's correctness is Bernoulli(c) with c its
 * expected win, and its log loss takes −ln p or −ln(1 − p) with probabilities q and 1 − q, independently;
 * the realized metric over n games then has variance Σ Var_i / n², with Var_i = c(1 − c) for accuracy and
 * q(1 − q)·ln²(p / (1 − p)) for log loss. The interval (normal approximation, 95% by default) is where the
 * realized metric should land if the assumptions hold: analytic, where NannyML estimates the spread from
 * the reference's chunks.
 */

export interface PlattCalibration {
  a: number;
  b: number;
}

export interface CbpeEstimate {
  n: number;
  missing: number;
  expectedAccuracy: number | null;
  accuracySe: number | null;
  accuracyInterval: [number, number] | null;
  expectedLogLoss: number | null;
  logLossSe: number | null;
  logLossInterval: [number, number] | null;
  confidence: number;
  calibrated: boolean;
}

const PLATT_MAX_ITERATIONS = 100;
const PLATT_TOLERANCE = 1e-10;

const clipP = (p: number) => Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
const logit = (p: number) => {
  const q = clipP(p);
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Platt scaling on the logit of the probabilities, fitted by Newton's method with step halving. */
export function fitPlatt(y: ArrayLike<number>, p: ArrayLike<number>): PlattCalibration {
  checkBinary(y, p, 'fitPlatt');
  const n = y.length;
  const x = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    x[i] = logit(p[i]);
    positives += y[i];
  }
  if (positives === 0 || positives === n)
    throw inputError(
      'MONITOR_CALIBRATION_ONE_CLASS',
      `calibration needs both outcomes in the reference; all ${n} games have outcome ${y[0]}`,
    );
  const nll = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * x[i] + b;
      // log(1 + e^z) − y·z, stable for large |z|.
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
    return s;
  };
  let a = 1;
  let b = 0;
  let current = nll(a, b);
  for (let it = 0; it < PLATT_MAX_ITERATIONS; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const q = sigmoid(a * x[i] + b);
      const r = q - y[i];
      const w = q * (1 - q);
      ga += r * x[i];
      gb += r;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = nll(a - da, b - db);
    while (next > current && step > 1e-8) {
      step /= 2;
      next = nll(a - step * da, b - step * db);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const improvement = current - next;
    current = next;
    if (Math.abs(da) + Math.abs(db) < PLATT_TOLERANCE || improvement < PLATT_TOLERANCE * n * 1e-3) break;
  }
  return { a, b };
}

export function applyPlatt(calibration: PlattCalibration, p: number): number {
  return sigmoid(calibration.a * logit(p) + calibration.b);
}

/** Label-free estimate of accuracy and log loss from (calibrated) probabilities, with the interval of the realized value. */
export function cbpe(p: NumericValues, options: { confidence?: number; calibration?: PlattCalibration } = {}): CbpeEstimate {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw inputError('MONITOR_BAD_CONFIDENCE', `confidence must lie strictly between 0 and 1, got ${confidence}`, { confidence });
  const z = normalQuantile(0.5 + confidence / 2);
  let n = 0;
  let missing = 0;
  let acc = 0;
  let accVar = 0;
  let ll = 0;
  let llVar = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (isMissingNumber(v)) {
      missing++;
      continue;
    }
    const raw = v as number;
    if (raw < 0 || raw > 1)
      throw inputError('MONITOR_BAD_PROBABILITY', `probability at row ${i} is ${raw}, expected a number in [0, 1]`, { row: i });
    // q: the probability of a home win the estimate trusts; the model still bets its own side and pays its own log loss.
    const pm = clipP(raw);
    const q = options.calibration ? clipP(applyPlatt(options.calibration, raw)) : pm;
    n++;
    const c = raw >= 0.5 ? q : 1 - q;
    acc += c;
    accVar += c * (1 - c);
    const l1 = -Math.log(pm);
    const l0 = -Math.log(1 - pm);
    ll += q * l1 + (1 - q) * l0;
    llVar += q * (1 - q) * (l1 - l0) ** 2;
  }
  const base = { n, missing, confidence, calibrated: options.calibration !== undefined };
  if (n === 0)
    return {
      ...base,
      expectedAccuracy: null,
      accuracySe: null,
      accuracyInterval: null,
      expectedLogLoss: null,
      logLossSe: null,
      logLossInterval: null,
    };
  const expectedAccuracy = acc / n;
  const accuracySe = Math.sqrt(accVar) / n;
  const expectedLogLoss = ll / n;
  const logLossSe = Math.sqrt(llVar) / n;
  return {
    ...base,
    expectedAccuracy,
    accuracySe,
    accuracyInterval: [expectedAccuracy - z * accuracySe, expectedAccuracy + z * accuracySe],
    expectedLogLoss,
    logLossSe,
    logLossInterval: [expectedLogLoss - z * logLossSe, expectedLogLoss + z * logLossSe],
  };
}

export const estimatedPerformanceConfigSchema = z
  .object({
    relativeDrop: z.number().gt(0).default(0.1),
    confidence: z.number().gt(0).lt(1).default(0.95),
    calibration: z.enum(['none', 'platt']).default('none'),
  })
  .strict();
export type EstimatedPerformanceConfig = z.input<typeof estimatedPerformanceConfigSchema>;

export interface EstimatedMetricResult extends MonitorResult {
  monitor: 'estimatedPerformance';
  subject: 'accuracy' | 'logLoss';
  reference: number;
  estimate: number | null;
  interval: [number, number] | null;
  relativeDrop: number | null;
  /** Whether the reference's value lies outside the estimate's interval on the better side. */
  distinguishable: boolean | null;
}

export interface EstimatedPerformanceResult extends MonitorResult {
  monitor: 'estimatedPerformance';
  subject: null;
  estimate: CbpeEstimate;
  metrics: EstimatedMetricResult[];
  calibration: PlattCalibration | null;
}

/**
 * The CBPE estimate of the current window against the reference's realized accuracy and log loss. Like the
 * realized monitor, a metric alerts when its estimated relative drop exceeds 10% and the reference's value
 * lies outside the estimate's interval on the better side (the drop is more than sampling noise); a large
 * drop inside the interval warns.
 */
export function estimatedPerformance(
  reference: PerformanceSample,
  current: NumericValues,
  config: EstimatedPerformanceConfig = {},
): EstimatedPerformanceResult {
  const parsed = estimatedPerformanceConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('estimatedPerformance', parsed.error);
  const { relativeDrop, confidence, calibration } = parsed.data;
  checkBinary(reference.y, reference.p, 'estimatedPerformance reference');
  const platt = calibration === 'platt' ? fitPlatt(reference.y, reference.p) : null;
  const estimate = cbpe(current, platt ? { confidence, calibration: platt } : { confidence });
  let hits = 0;
  let ll = 0;
  for (let i = 0; i < reference.y.length; i++) {
    const q = clipP(reference.p[i]);
    hits += (reference.p[i] >= 0.5 ? 1 : 0) === reference.y[i] ? 1 : 0;
    ll -= reference.y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  const refAcc = hits / reference.y.length;
  const refLl = ll / reference.y.length;
  const metric = (
    subject: 'accuracy' | 'logLoss',
    ref: number,
    est: number | null,
    interval: [number, number] | null,
  ): EstimatedMetricResult => {
    const label = subject === 'accuracy' ? 'estimated accuracy' : 'estimated log loss';
    if (est === null || interval === null)
      return {
        monitor: 'estimatedPerformance',
        subject,
        value: null,
        threshold: relativeDrop,
        status: 'unknown',
        explanation: `${label}: no predictions in the current window`,
        reference: ref,
        estimate: null,
        interval: null,
        relativeDrop: null,
        distinguishable: null,
      };
    const drop = subject === 'accuracy' ? (ref - est) / ref : (est - ref) / ref;
    const beyondNoise = subject === 'accuracy' ? ref > interval[1] : ref < interval[0];
    const big = drop > relativeDrop;
    const status: MonitorStatus = big && beyondNoise ? 'alert' : big ? 'warn' : 'ok';
    return {
      monitor: 'estimatedPerformance',
      subject,
      value: drop,
      threshold: relativeDrop,
      status,
      explanation:
        `${label} ${fmt(est)} [${fmt(interval[0])}, ${fmt(interval[1])}] against realized ${fmt(ref)} on the reference: ` +
        `relative drop ${pct(drop)} ${big ? '>' : '≤'} ${pct(relativeDrop)}${status === 'alert' ? ': beyond sampling noise' : status === 'warn' ? ': within sampling noise' : ''}` +
        ' (assumes calibrated probabilities)',
      reference: ref,
      estimate: est,
      interval,
      relativeDrop: drop,
      distinguishable: beyondNoise,
    };
  };
  const metrics = [
    metric('accuracy', refAcc, estimate.expectedAccuracy, estimate.accuracyInterval),
    metric('logLoss', refLl, estimate.expectedLogLoss, estimate.logLossInterval),
  ];
  const worst = metrics.reduce((a, b) => ((b.value ?? -Infinity) > (a.value ?? -Infinity) ? b : a));
  return {
    monitor: 'estimatedPerformance',
    subject: null,
    value: worst.value,
    threshold: relativeDrop,
    status: worstStatus(metrics.map((m) => m.status)),
    explanation: metrics.map((m) => m.explanation).join('; '),
    estimate,
    metrics,
    calibration: platt,
  };
}

export function estimatedPerformanceMonitor(
  config: EstimatedPerformanceConfig = {},
): Monitor<PerformanceSample, NumericValues, EstimatedPerformanceResult> {
  return { name: 'estimatedPerformance', check: (reference, current) => estimatedPerformance(reference, current, config) };
}
