import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';
import { binomialUpperTail } from '../validation/binomialTest';
import { categoryKey, holdsLabels, isMissingCategory, type CategoricalValues, type FeatureColumns, type NumericValues } from './columns';
import { fmt, pct, thresholdStatus, worstStatus, type Monitor, type MonitorResult, type MonitorStatus } from './monitor';

/**
 * Data quality of the games a model scores, run on each day's games as well as on the rolling window, so a
 * column that breaks alerts the next day.
 *
 * Missing values, per feature: alert when the current share of missing values is above 15% (absolute),
 * above 1.1 × the reference's share, and unlikely under the reference's share: the exact binomial tail
 * P(X ≥ k | n, reference share) is below 0.001. The third condition is ours: a day holds about 15 games,
 * where binomial noise alone takes a feature normally missing on 5% of games above 15% on roughly one day
 * in ten. When the reference never misses the feature, any missing value passes it. Above both thresholds but
 * not beyond noise warns.
 *
 * Season-to-date features (tag `season-to-date`: win % this season, runs per game this season, a pitcher's
 * team record in his starts this season) are legitimately missing in the first games of a season: a team's
 * first game has no season record, a pitcher's first start none of his own. For the features the config
 * names, rows whose game-of-season number (the lower of the two teams' games played this season, plus one)
 * is at most `warmupGames` (default 10: two turns of a five-man rotation) are left out of both the reference's
 * and the current share and counted as exempt; if every current row is exempt the feature reads unknown.
 * Rows without a game-of-season number are never exempt.
 *
 * Out of range, per feature: the share of current values outside the reference's [min, max] (for categorical
 * features: categories the reference never had). Under no change that share is about 2 / (n_ref + 1), under
 * 0.1% for a season's reference, so a share above 5% is a real change of range; a percentile range such as
 * [p0.5, p99.5] would put 1% outside by construction and make the share noise. The same binomial condition
 * (against 2 / (n_ref + 1)) keeps one extreme value on a 15-game day from alerting; above 1% warns.
 *
 * Stale features: a feature whose last materialisation is older than its freshness SLA (24 hours for the
 * built-in features) alerts; one never materialised alerts too. Times are passed in (epoch milliseconds), so
 * a replay's clock and the live clock are the same code.
 *
 * Unscored games: the share of games the deployment could not score, with the reasons counted by the
 * caller; any warns, above 5% alerts.
 */

export const dataQualityConfigSchema = z
  .object({
    missing: z
      .object({
        threshold: z.number().min(0).max(1).default(0.15),
        referenceMultiple: z.number().min(0).default(1.1),
        /** Binomial tail under the reference's share below which the excess is more than noise; 1 turns the condition off. */
        maxPValue: z.number().gt(0).max(1).default(0.001),
        seasonToDate: z.array(z.string()).default([]),
        warmupGames: z.int().min(0).default(10),
      })
      .strict()
      .default({ threshold: 0.15, referenceMultiple: 1.1, maxPValue: 0.001, seasonToDate: [], warmupGames: 10 }),
    outOfRange: z
      .object({
        threshold: z.number().min(0).max(1).default(0.05),
        warn: z.number().min(0).max(1).default(0.01),
        maxPValue: z.number().gt(0).max(1).default(0.001),
      })
      .strict()
      .default({ threshold: 0.05, warn: 0.01, maxPValue: 0.001 }),
    staleness: z
      .object({
        slaHours: z.number().positive().default(24),
        byFeature: z.record(z.string(), z.number().positive()).default({}),
      })
      .strict()
      .default({ slaHours: 24, byFeature: {} }),
    unscored: z
      .object({
        threshold: z.number().min(0).max(1).default(0.05),
        warn: z.number().min(0).max(1).default(0),
      })
      .strict()
      .default({ threshold: 0.05, warn: 0 }),
  })
  .strict();
export type DataQualityConfig = z.input<typeof dataQualityConfigSchema>;
type ParsedConfig = z.output<typeof dataQualityConfigSchema>;

/** Rows of games with their feature columns and, optionally, each game's number in the season (1 = a team's opener). */
export interface QualitySample {
  columns: FeatureColumns;
  gameOfSeason?: ArrayLike<number>;
}

export interface MissingResult extends MonitorResult {
  monitor: 'missingValues';
  subject: string;
  /** Share of missing values among the rows counted (current window). */
  referenceShare: number | null;
  missing: number;
  counted: number;
  exempt: number;
  pValue: number | null;
}

export interface OutOfRangeResult extends MonitorResult {
  monitor: 'outOfRange';
  subject: string;
  range: [number, number] | null;
  outside: number;
  present: number;
  /** Share expected outside [min, max] with no change: 2 / (n_ref + 1). */
  expectedShare: number | null;
  pValue: number | null;
}

export interface StaleResult extends MonitorResult {
  monitor: 'staleFeature';
  subject: string;
  lastUpdated: number | null;
}

export interface UnscoredResult extends MonitorResult {
  monitor: 'unscoredGames';
  subject: null;
  scored: number;
  unscored: number;
  reasons: { reason: string; games: number }[];
}

export interface FreshnessInput {
  /** The clock's time of the check, epoch milliseconds. */
  now: number;
  /** Last materialisation per feature, epoch milliseconds; null when never materialised. */
  lastUpdated: Readonly<Record<string, number | null>>;
}

export interface UnscoredInput {
  scored: number;
  /** Games that could not be scored, by reason. */
  unscored: Readonly<Record<string, number>>;
}

export interface DataQualityResult extends MonitorResult {
  monitor: 'dataQuality';
  subject: null;
  missing: MissingResult[];
  outOfRange: OutOfRangeResult[];
  stale: StaleResult[];
  unscored: UnscoredResult | null;
  /** Features with a missing-value or out-of-range alert. */
  alertedFeatures: string[];
}

function parseConfig(config: DataQualityConfig): ParsedConfig {
  const parsed = dataQualityConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('dataQuality', parsed.error);
  return parsed.data;
}

function missingCounts(values: NumericValues | CategoricalValues, exemptRow: ((i: number) => boolean) | null) {
  let missing = 0;
  let counted = 0;
  let exempt = 0;
  const labels = holdsLabels(values);
  for (let i = 0; i < values.length; i++) {
    if (exemptRow && exemptRow(i)) {
      exempt++;
      continue;
    }
    counted++;
    const v = values[i];
    // isMissingCategory / isMissingNumber inlined: this runs over every value of every feature.
    if (v === null || v === undefined || (typeof v === 'number' && (labels ? v !== v : v - v !== 0))) missing++;
  }
  return { missing, counted, exempt };
}

function warmupFilter(sample: QualitySample, warmupGames: number): ((i: number) => boolean) | null {
  const g = sample.gameOfSeason;
  if (!g) return null;
  return (i) => g[i] <= warmupGames;
}

/** Missing share per feature against the thresholds above. */
export function missingValues(reference: QualitySample, current: QualitySample, config: DataQualityConfig = {}): MissingResult[] {
  const { missing: cfg } = parseConfig(config);
  const seasonToDate = new Set(cfg.seasonToDate);
  return Object.keys(reference.columns).map((feature): MissingResult => {
    const exemptable = seasonToDate.has(feature);
    const ref = missingCounts(reference.columns[feature], exemptable ? warmupFilter(reference, cfg.warmupGames) : null);
    const values = current.columns[feature];
    const base = { monitor: 'missingValues' as const, subject: feature, threshold: cfg.threshold };
    if (!values)
      return {
        ...base,
        value: 1,
        status: 'alert',
        explanation: `${feature}: the current window has no such column`,
        referenceShare: ref.counted ? ref.missing / ref.counted : null,
        missing: 0,
        counted: 0,
        exempt: 0,
        pValue: null,
      };
    const cur = missingCounts(values, exemptable ? warmupFilter(current, cfg.warmupGames) : null);
    const referenceShare = ref.counted ? ref.missing / ref.counted : null;
    if (cur.counted === 0) {
      const why = cur.exempt
        ? `all ${cur.exempt} games are within the first ${cfg.warmupGames} of a season (season-to-date feature)`
        : 'no games';
      return { ...base, value: null, status: 'unknown', explanation: `${feature}: ${why}`, referenceShare, ...cur, pValue: null };
    }
    const share = cur.missing / cur.counted;
    const refShare = referenceShare ?? 0;
    const pValue = binomialUpperTail(cur.missing, cur.counted, refShare);
    const aboveAbsolute = share > cfg.threshold;
    const aboveReference = share > cfg.referenceMultiple * refShare;
    const beyondNoise = pValue < cfg.maxPValue;
    const status: MonitorStatus = aboveAbsolute && aboveReference ? (beyondNoise ? 'alert' : 'warn') : 'ok';
    const exemptNote = cur.exempt ? `, ${cur.exempt} early-season games exempt` : '';
    const explanation =
      `${feature}: ${cur.missing} of ${cur.counted} games missing (${pct(share)}${exemptNote}); alert above ${pct(cfg.threshold)} and ` +
      `${fmt(cfg.referenceMultiple)} × the reference's ${pct(referenceShare)}` +
      (status === 'alert'
        ? `, P = ${fmt(pValue)} under the reference share`
        : status === 'warn'
          ? `, but P = ${fmt(pValue)}: within noise`
          : '');
    return { ...base, value: share, status, explanation, referenceShare, ...cur, pValue };
  });
}

/** Share of current values outside the reference's [min, max] (unseen categories for categorical features). */
export function outOfRange(reference: QualitySample, current: QualitySample, config: DataQualityConfig = {}): OutOfRangeResult[] {
  const { outOfRange: cfg } = parseConfig(config);
  return Object.keys(reference.columns).map((feature): OutOfRangeResult => {
    const refValues = reference.columns[feature];
    const curValues = current.columns[feature] ?? [];
    const base = { monitor: 'outOfRange' as const, subject: feature, threshold: cfg.threshold };
    let range: [number, number] | null = null;
    let outside = 0;
    let present = 0;
    let refPresent = 0;
    if (holdsLabels(refValues)) {
      const seen = new Set<string>();
      for (let i = 0; i < refValues.length; i++) {
        const v = refValues[i] as CategoricalValues[number];
        if (!isMissingCategory(v)) {
          seen.add(categoryKey(v));
          refPresent++;
        }
      }
      for (let i = 0; i < curValues.length; i++) {
        const v = curValues[i] as CategoricalValues[number];
        if (isMissingCategory(v)) continue;
        present++;
        if (!seen.has(categoryKey(v))) outside++;
      }
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < refValues.length; i++) {
        const v = refValues[i];
        if (typeof v !== 'number' || v - v !== 0) continue;
        refPresent++;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (refPresent) range = [lo, hi];
      for (let i = 0; i < curValues.length; i++) {
        const v = curValues[i];
        if (typeof v !== 'number' || v - v !== 0) continue;
        present++;
        if (v < lo || v > hi) outside++;
      }
    }
    if (refPresent === 0 || present === 0)
      return {
        ...base,
        value: null,
        status: 'unknown',
        explanation: `${feature}: ${refPresent === 0 ? 'the reference has no values' : 'no current values'}`,
        range,
        outside,
        present,
        expectedShare: null,
        pValue: null,
      };
    const share = outside / present;
    const expectedShare = 2 / (refPresent + 1);
    const pValue = binomialUpperTail(outside, present, expectedShare);
    let status = thresholdStatus(share, cfg.threshold, cfg.warn);
    if (status === 'alert' && !(pValue < cfg.maxPValue)) status = 'warn';
    const where = range ? `outside the reference's [${fmt(range[0])}, ${fmt(range[1])}]` : 'in categories the reference never had';
    return {
      ...base,
      value: share,
      status,
      explanation: `${feature}: ${outside} of ${present} values ${where} (${pct(share)}; alert above ${pct(cfg.threshold)})`,
      range,
      outside,
      present,
      expectedShare,
      pValue,
    };
  });
}

const HOUR_MS = 3_600_000;

/** Features whose last update is older than their SLA at the given time. */
export function staleFeatures(input: FreshnessInput, config: DataQualityConfig = {}): StaleResult[] {
  const { staleness: cfg } = parseConfig(config);
  if (!Number.isFinite(input.now)) throw inputError('MONITOR_BAD_CLOCK', `the check time must be epoch milliseconds, got ${input.now}`);
  return Object.entries(input.lastUpdated).map(([feature, last]): StaleResult => {
    const sla = cfg.byFeature[feature] ?? cfg.slaHours;
    if (last === null)
      return {
        monitor: 'staleFeature',
        subject: feature,
        value: null,
        threshold: sla,
        status: 'alert',
        explanation: `${feature}: never materialised (freshness SLA ${fmt(sla)} h)`,
        lastUpdated: null,
      };
    const ageHours = (input.now - last) / HOUR_MS;
    const status = thresholdStatus(ageHours, sla);
    return {
      monitor: 'staleFeature',
      subject: feature,
      value: ageHours,
      threshold: sla,
      status,
      explanation: `${feature}: last updated ${fmt(ageHours)} h ago, SLA ${fmt(sla)} h${status === 'alert' ? ': stale' : ''}`,
      lastUpdated: last,
    };
  });
}

/** Share of games that could not be scored, with the reasons as counted by the caller. */
export function unscoredGames(input: UnscoredInput, config: DataQualityConfig = {}): UnscoredResult {
  const { unscored: cfg } = parseConfig(config);
  const reasons = Object.entries(input.unscored)
    .filter(([, games]) => games > 0)
    .map(([reason, games]) => ({ reason, games }))
    .sort((a, b) => b.games - a.games || (a.reason < b.reason ? -1 : 1));
  const unscored = reasons.reduce((s, r) => s + r.games, 0);
  const total = input.scored + unscored;
  const share = total ? unscored / total : null;
  const status = share === null ? 'unknown' : thresholdStatus(share, cfg.threshold, cfg.warn);
  const why = reasons.map((r) => `${r.reason} (${r.games})`).join(', ');
  return {
    monitor: 'unscoredGames',
    subject: null,
    value: share,
    threshold: cfg.threshold,
    status,
    explanation: total ? `${unscored} of ${total} games could not be scored${why ? `: ${why}` : ''}` : 'no games to score',
    scored: input.scored,
    unscored,
    reasons,
  };
}

/** Every data-quality monitor at once; stale features and unscored games only when their inputs are given. */
export function dataQuality(
  reference: QualitySample,
  current: QualitySample,
  config: DataQualityConfig = {},
  extra: { freshness?: FreshnessInput; unscored?: UnscoredInput } = {},
): DataQualityResult {
  parseConfig(config);
  const missing = missingValues(reference, current, config);
  const range = outOfRange(reference, current, config);
  const stale = extra.freshness ? staleFeatures(extra.freshness, config) : [];
  const unscored = extra.unscored ? unscoredGames(extra.unscored, config) : null;
  const alerted = new Set([...missing, ...range].filter((r) => r.status === 'alert').map((r) => r.subject));
  const alertedFeatures = Object.keys(reference.columns).filter((f) => alerted.has(f));
  const features = Object.keys(reference.columns).length;
  const all = [...missing, ...range, ...stale, ...(unscored ? [unscored] : [])];
  const flagged = all.filter((r) => r.status === 'alert');
  return {
    monitor: 'dataQuality',
    subject: null,
    value: features ? alertedFeatures.length / features : null,
    threshold: 0,
    status: worstStatus(all.map((r) => r.status)),
    explanation: flagged.length
      ? `${flagged.length} data-quality alerts: ${flagged
          .slice(0, 5)
          .map((r) => r.explanation)
          .join('; ')}${flagged.length > 5 ? '; …' : ''}`
      : `no data-quality alert over ${features} features`,
    missing,
    outOfRange: range,
    stale,
    unscored,
    alertedFeatures,
  };
}

/** The current side of the data-quality monitor: the window's rows plus, when known, freshness and unscored games. */
export interface QualityWindow extends QualitySample {
  freshness?: FreshnessInput;
  unscored?: UnscoredInput;
}

export function dataQualityMonitor(config: DataQualityConfig = {}): Monitor<QualitySample, QualityWindow, DataQualityResult> {
  return {
    name: 'dataQuality',
    check: (reference, current) => dataQuality(reference, current, config, { freshness: current.freshness, unscored: current.unscored }),
  };
}
