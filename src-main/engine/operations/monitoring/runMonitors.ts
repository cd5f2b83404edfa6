import {
  driftScore,
  driftScoreInputs,
  estimatedPerformance,
  featureDrift,
  missingValues,
  outOfRange,
  performanceDrift,
  predictionDrift,
  staleFeatures,
  unscoredGames,
  worstStatus,
  type DataQualityConfig,
  type FeatureColumns,
  type FreshnessInput,
  type MissingResult,
  type MonitorResult,
  type MonitorStatus,
  type OutOfRangeResult,
  type PerformanceSample,
  type PsiResult,
  type UnscoredInput,
} from '../../../../src-workers/compute/monitoring';
import type { OpsPolicy } from '../../../shared/operations/opsPolicy';
import type { PhaseReference, PreparedReference } from './references';

/**
 * One check's statistics, pure: the prepared reference and the current windows in, every monitor's result
 * and the composite drift score out. The windows (see duckDbMonitoring.ts) are:
 * - drift: the predictions of the last `driftDays` game days up to the latest predicted date (features and
 *   predicted probabilities);
 * - day: the games of that latest date alone, for data quality, so a column that breaks alerts after one day;
 * - performance: settled games of the last `performanceDays` up to the latest settled date (realized
 *   metrics), and the predictions of the last `performanceDays` up to the latest predicted date (the CBPE
 *   estimate, which needs no outcome).
 */

export interface FeatureWindow {
  from: string;
  to: string;
  games: number;
  columns: FeatureColumns;
  gameOfSeason: Float64Array;
}

export interface CurrentWindows {
  drift: FeatureWindow & { predictions: Float64Array };
  /** The reference games of the same days of the season; null when the window is too small to judge drift (`driftNote` says why). */
  phase: PhaseReference | null;
  driftNote: string | null;
  day: FeatureWindow;
  /** Settled games of the performance window; null before enough outcomes are known (`performanceNote` says why). */
  performance: (PerformanceSample & { from: string; to: string }) | null;
  performanceNote: string | null;
  /** Predictions of the performance window (settled or not), for the label-free estimate. */
  estimate: Float64Array;
  unscored: UnscoredInput | null;
  /** Live checks only: a replay serves point-in-time rows materialised as of each replayed day, fresh by construction. */
  freshness: FreshnessInput | null;
}

export interface MonitorOutcome {
  results: MonitorResult[];
  driftScore: number | null;
}

const rank: Record<MonitorStatus, number> = { unknown: 0, ok: 1, warn: 2, alert: 3 };

export function dataQualityConfig(policy: OpsPolicy, reference: PreparedReference): DataQualityConfig {
  return {
    missing: {
      threshold: policy.quality.maxMissing,
      referenceMultiple: policy.quality.missingRatio,
      seasonToDate: reference.seasonToDate,
      warmupGames: policy.quality.exemptFirstGames,
    },
    staleness: { slaHours: policy.quality.staleHours },
  };
}

/**
 * The sample the range check reads: season-to-date features blanked in a team's first games, where a rate
 * over one or two games (12 runs a game) lies legitimately outside any season's range — the same rows the
 * missing-value rule exempts.
 */
function warmupBlanked(sample: { columns: FeatureColumns; gameOfSeason: Float64Array }, seasonToDate: string[], warmupGames: number) {
  const columns: Record<string, FeatureColumns[string]> = { ...sample.columns };
  for (const name of seasonToDate) {
    const values = sample.columns[name] as Float64Array | undefined;
    if (!values) continue;
    columns[name] = values.map((v, i) => (sample.gameOfSeason[i] <= warmupGames ? Number.NaN : v));
  }
  return { columns, gameOfSeason: sample.gameOfSeason };
}

/**
 * Data quality is judged on the latest day and on the rolling window; each feature keeps the worse of the
 * two (the window's on a tie: more games), its explanation saying which.
 */
function worseOf<T extends MissingResult | OutOfRangeResult>(day: T[], window: T[], dayLabel: string, windowLabel: string): T[] {
  const byFeature = new Map(day.map((r) => [r.subject, r]));
  return window.map((w) => {
    const d = byFeature.get(w.subject);
    const pick = d && rank[d.status] > rank[w.status] ? { r: d, label: dayLabel } : { r: w, label: windowLabel };
    return { ...pick.r, explanation: `${pick.label}: ${pick.r.explanation}` };
  });
}

/**
 * What a check stores of a result: the common fields, plus the few figures the Monitoring screen and the
 * Prometheus gauges read beside the value (every statistic of a feature's drift, a metric's reference and
 * current values with its interval, the CBPE estimate with its interval). Bins and bootstrap replicates
 * stay out of the workspace.
 */
const EXTRAS = ['method', 'statistics', 'reference', 'current', 'degradationCi', 'estimate', 'interval', 'n'] as const;

function stored(r: MonitorResult): MonitorResult {
  const out: Record<string, unknown> = {
    monitor: r.monitor,
    subject: r.subject,
    value: r.value,
    threshold: r.threshold,
    status: r.status,
    explanation: r.explanation,
  };
  const extra = r as unknown as Record<string, unknown>;
  for (const k of EXTRAS) {
    const v = extra[k];
    // The CBPE summary's estimate is a whole object of its own; a metric's is a number.
    if (v !== undefined && (typeof v !== 'object' || v === null || k !== 'estimate')) out[k] = v;
  }
  if (r.monitor === 'predictionDrift' && 'psi' in extra) {
    const p = extra as unknown as { psi: PsiResult; ks: { pValue: number | null } };
    out.statistics = { psi: p.psi.value, ks: r.value, ksPValue: p.ks.pValue };
    out.bins = p.psi.bins.map(({ label, reference, current }) => ({ label, reference, current }));
  }
  return out as unknown as MonitorResult;
}

export function runMonitors(reference: PreparedReference, policy: OpsPolicy, windows: CurrentWindows): MonitorOutcome {
  const quality = dataQualityConfig(policy, reference);
  const phase = windows.phase;
  const drift = phase ? featureDrift(phase.features, windows.drift.columns) : null;
  const prediction = phase
    ? predictionDrift(phase.predictions, windows.drift.predictions, {
        ksThreshold: policy.predictionDrift.ks,
        psiThreshold: policy.predictionDrift.psi,
      })
    : null;
  const note = windows.driftNote ?? 'the window is too small';
  const unmeasured: MonitorResult[] = phase
    ? []
    : [
        {
          monitor: 'datasetDrift',
          subject: null,
          value: null,
          threshold: 0.5,
          status: 'unknown',
          explanation: `drift not judged: ${note}`,
        },
        {
          monitor: 'predictionDrift',
          subject: null,
          value: null,
          threshold: policy.predictionDrift.ks,
          status: 'unknown',
          explanation: `drift not judged: ${note}`,
        },
      ];
  const phaseText = phase ? ` against ${phase.games} reference games of days ${phase.from}..${phase.to} of their season` : '';
  const performance =
    windows.performance && reference.performanceReference ? performanceDrift(reference.performanceReference, windows.performance) : null;
  const estimated = estimatedPerformance(reference.sample, windows.estimate, {
    relativeDrop: policy.performance.relativeDrop,
    confidence: policy.performance.ciLevel,
  });
  const dayLabel = `latest day ${windows.day.to} (${windows.day.games} games)`;
  const windowLabel = `${windows.drift.from}..${windows.drift.to} (${windows.drift.games} games)`;
  const daySample = { columns: windows.day.columns, gameOfSeason: windows.day.gameOfSeason };
  const windowSample = { columns: windows.drift.columns, gameOfSeason: windows.drift.gameOfSeason };
  const missing = worseOf(
    missingValues(reference.quality, daySample, quality),
    missingValues(reference.quality, windowSample, quality),
    dayLabel,
    windowLabel,
  );
  const range = worseOf(
    outOfRange(reference.quality, warmupBlanked(daySample, reference.seasonToDate, policy.quality.exemptFirstGames), quality),
    outOfRange(reference.quality, warmupBlanked(windowSample, reference.seasonToDate, policy.quality.exemptFirstGames), quality),
    dayLabel,
    windowLabel,
  );
  const stale = windows.freshness ? staleFeatures(windows.freshness, quality) : [];
  const unscored = windows.unscored ? unscoredGames(windows.unscored, quality) : null;
  const broken = new Set([...missing, ...range].filter((r) => r.status === 'alert').map((r) => r.subject));
  const qualityShare = reference.featureNames.length ? broken.size / reference.featureNames.length : null;
  const qualityAll = [...missing, ...range, ...stale, ...(unscored ? [unscored] : [])];
  const qualitySummary: MonitorResult = {
    monitor: 'dataQuality',
    subject: null,
    value: qualityShare,
    threshold: 0,
    status: worstStatus(qualityAll.map((r) => r.status)),
    explanation: broken.size
      ? `${broken.size} of ${reference.featureNames.length} features broken (missing or out of range): ${[...broken].slice(0, 8).join(', ')}${broken.size > 8 ? ', …' : ''}`
      : `no missing-value or out-of-range alert over ${reference.featureNames.length} features`,
  };
  const inputs = {
    ...driftScoreInputs({
      ...(drift ? { featureDrift: drift } : {}),
      ...(prediction ? { predictionDrift: prediction } : {}),
      ...(performance ? { performanceDrift: performance } : {}),
      estimatedPerformance: estimated,
    }),
    dataQuality: qualityShare,
  };
  const score = driftScore(inputs, { threshold: policy.driftScore.alert, warn: Math.min(0.5, policy.driftScore.alert) });
  const results: MonitorResult[] = [
    ...(drift ? [{ ...drift, explanation: drift.explanation + phaseText }, ...drift.features] : []),
    ...(prediction ? [{ ...prediction, explanation: prediction.explanation + phaseText }] : []),
    ...unmeasured,
    ...(performance
      ? [performance, ...performance.metrics]
      : [
          {
            monitor: 'performanceDrift' as const,
            subject: null,
            value: null,
            threshold: policy.performance.relativeDrop,
            status: 'unknown' as const,
            explanation: `realized performance not judged: ${windows.performanceNote ?? 'no outcome known yet'}`,
          },
        ]),
    estimated,
    ...estimated.metrics,
    ...missing,
    ...range,
    ...stale,
    ...(unscored ? [unscored] : []),
    qualitySummary,
    score,
  ].map(stored);
  return { results, driftScore: score.value };
}
