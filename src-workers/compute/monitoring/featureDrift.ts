import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';
import {
  featureTypes,
  inferFeatureType,
  meanAndSd,
  sortedPresent,
  type CategoricalValues,
  type FeatureColumns,
  type FeatureType,
  type NumericValues,
  type PresentValues,
} from './columns';
import { jensenShannonFromCounts } from './jensenShannon';
import { ksTestSorted, type KsMethod } from './ks';
import { fmt, thresholdStatus, type Monitor, type MonitorResult } from './monitor';
import {
  binLabels,
  categoricalBins,
  countCategorical,
  countNumeric,
  numericBins,
  psiFromCounts,
  type BinnedSample,
  type NumericBins,
  type PsiBin,
} from './psi';
import { wassersteinSorted } from './wasserstein';

/**
 * Data drift per feature and the share of drifted features.
 *
 * Every statistic the feature's type allows is computed (numeric: PSI, KS statistic and p-value, Wasserstein
 * normalised by the reference's standard deviation, Jensen–Shannon distance; categorical: PSI and JS over
 * categories; binary: all of them, PSI and JS by category), and one of them, the feature's method, decides
 * whether it drifted. The method and threshold come from the config: per feature first, then per type, then
 * the default, PSI > 0.2 (the original system's rule; PSI > 0.1 warns, the usual "moderate shift").
 *
 * Default thresholds of the other methods: KS statistic > 0.1 (above the 5% critical value of a 2,430-game
 * reference against a 450-game window, about 0.07, and well below the prediction monitor's 0.3); KS p-value
 * < 0.05, normalised Wasserstein > 0.1 and JS distance > 0.1 (Evidently's defaults). A p-value flags any
 * shift at all once samples are large, which is why it is not the default.
 *
 * The dataset drifts when at least half of the measured features drift (Evidently's rule); fewer warns.
 */

export const driftMethods = ['psi', 'ks', 'ksPValue', 'wasserstein', 'jensenShannon'] as const;
export type DriftMethod = (typeof driftMethods)[number];

export const DEFAULT_DRIFT_THRESHOLDS: Readonly<Record<DriftMethod, { threshold: number; warn?: number }>> = {
  psi: { threshold: 0.2, warn: 0.1 },
  ks: { threshold: 0.1 },
  ksPValue: { threshold: 0.05 },
  wasserstein: { threshold: 0.1 },
  jensenShannon: { threshold: 0.1 },
};

/** Methods that need an order on the values: not defined on categories. */
const NUMERIC_ONLY: ReadonlySet<DriftMethod> = new Set(['ks', 'ksPValue', 'wasserstein']);

/** The statistic each method judges by: the Wasserstein method uses the normalised distance. */
const statisticOf: Record<DriftMethod, 'psi' | 'ks' | 'ksPValue' | 'wassersteinNormalized' | 'jensenShannon'> = {
  psi: 'psi',
  ks: 'ks',
  ksPValue: 'ksPValue',
  wasserstein: 'wassersteinNormalized',
  jensenShannon: 'jensenShannon',
};

const methodLabels: Record<DriftMethod, string> = {
  psi: 'PSI',
  ks: 'KS statistic',
  ksPValue: 'KS p-value',
  wasserstein: 'normalised Wasserstein distance',
  jensenShannon: 'Jensen–Shannon distance',
};

export const driftRuleSchema = z
  .object({
    method: z.enum(driftMethods),
    threshold: z.number().nonnegative().optional(),
    warn: z.number().nonnegative().optional(),
  })
  .strict();
export type DriftRule = z.infer<typeof driftRuleSchema>;

export const featureDriftConfigSchema = z
  .object({
    /** Rules per type; a type without one uses PSI with its default thresholds. */
    byType: z.object({ numeric: driftRuleSchema, categorical: driftRuleSchema, binary: driftRuleSchema }).partial().strict().default({}),
    /** Rules per feature, ahead of the type's. */
    byFeature: z.record(z.string(), driftRuleSchema).default({}),
    /** Types per feature, ahead of the inferred one (strings categorical, 0/1 numbers binary, other numbers numeric). */
    types: z.record(z.string(), z.enum(featureTypes)).default({}),
    /** Features to monitor, in this order; default every column of the reference. */
    features: z.array(z.string()).optional(),
    /** Share of drifted features at or above which the dataset drifts. */
    datasetShare: z.number().gt(0).max(1).default(0.5),
  })
  .strict();
export type FeatureDriftConfig = z.input<typeof featureDriftConfigSchema>;
type ParsedConfig = z.output<typeof featureDriftConfigSchema>;

export interface FeatureDriftStatistics {
  psi: number | null;
  ks: number | null;
  ksPValue: number | null;
  ksMethod: KsMethod | null;
  wasserstein: number | null;
  wassersteinNormalized: number | null;
  jensenShannon: number | null;
}

export interface FeatureDriftEntry extends MonitorResult {
  monitor: 'featureDrift';
  subject: string;
  type: FeatureType;
  method: DriftMethod;
  drifted: boolean;
  statistics: FeatureDriftStatistics;
  /** The PSI's bins with both sides' shares, for the distribution charts. */
  bins: PsiBin[];
  n: { reference: number; current: number };
  missing: { reference: number; current: number };
}

/** The dataset-level verdict (value: the share of drifted features) with every feature's own result. */
export interface FeatureDriftResult extends MonitorResult {
  monitor: 'datasetDrift';
  subject: null;
  drifted: number;
  measured: number;
  features: FeatureDriftEntry[];
}

interface PreparedNumeric {
  name: string;
  type: 'numeric';
  present: PresentValues;
  bins: NumericBins | null;
  counts: BinnedSample | null;
  sd: number;
}

interface PreparedCategorical {
  name: string;
  type: 'categorical' | 'binary';
  values: CategoricalValues;
  /** Binary features also get the numeric statistics (KS and Wasserstein of 0/1 are differences of shares). */
  present: PresentValues | null;
  sd: number;
}

/** The reference, binned and sorted once: a replay compares the same reference with a new window every day. */
export interface FeatureReference {
  kind: 'featureReference';
  features: (PreparedNumeric | PreparedCategorical)[];
  config: ParsedConfig;
}

function parseConfig(config: FeatureDriftConfig): ParsedConfig {
  const parsed = featureDriftConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('featureDrift', parsed.error);
  return parsed.data;
}

function ruleFor(config: ParsedConfig, feature: string, type: FeatureType): { method: DriftMethod; threshold: number; warn?: number } {
  const rule = config.byFeature[feature] ?? config.byType[type] ?? { method: 'psi' as const };
  if (type === 'categorical' && NUMERIC_ONLY.has(rule.method))
    throw inputError(
      'MONITOR_METHOD_TYPE',
      `feature ${feature} is categorical: ${methodLabels[rule.method]} needs ordered values; use psi or jensenShannon`,
      { feature, method: rule.method },
    );
  const defaults = DEFAULT_DRIFT_THRESHOLDS[rule.method];
  const threshold = rule.threshold ?? defaults.threshold;
  const warn = rule.warn ?? (rule.threshold === undefined ? defaults.warn : undefined);
  return warn === undefined ? { method: rule.method, threshold } : { method: rule.method, threshold, warn };
}

/** Sorts and bins the reference's columns once for any number of checks. */
export function featureReference(reference: FeatureColumns, config: FeatureDriftConfig = {}): FeatureReference {
  const parsed = parseConfig(config);
  const names = parsed.features ?? Object.keys(reference);
  const features = names.map((name): PreparedNumeric | PreparedCategorical => {
    const values = reference[name];
    if (!values)
      throw inputError('MONITOR_NO_REFERENCE_COLUMN', `the reference has no column ${name}: monitor only features it holds`, {
        feature: name,
      });
    const type = parsed.types[name] ?? inferFeatureType(values);
    ruleFor(parsed, name, type);
    if (type === 'numeric') {
      const present = sortedPresent(values as NumericValues);
      const bins = present.sorted.length ? numericBins(present.sorted) : null;
      return { name, type, present, bins, counts: bins ? countNumeric(bins, present) : null, sd: meanAndSd(present.sorted).sd };
    }
    const present = type === 'binary' ? sortedPresent(toNumbers(values)) : null;
    return { name, type, values: values as CategoricalValues, present, sd: present ? meanAndSd(present.sorted).sd : Number.NaN };
  });
  return { kind: 'featureReference', features, config: parsed };
}

function toNumbers(values: NumericValues | CategoricalValues): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? Number.NaN : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }
  return out;
}

const emptyStatistics = (): FeatureDriftStatistics => ({
  psi: null,
  ks: null,
  ksPValue: null,
  ksMethod: null,
  wasserstein: null,
  wassersteinNormalized: null,
  jensenShannon: null,
});

function numericStatistics(ref: PresentValues, cur: PresentValues, sd: number, stats: FeatureDriftStatistics): void {
  if (!ref.sorted.length || !cur.sorted.length) return;
  const ks = ksTestSorted(ref.sorted, cur.sorted);
  stats.ks = ks.statistic;
  stats.ksPValue = ks.pValue;
  stats.ksMethod = ks.method;
  stats.wasserstein = wassersteinSorted(ref.sorted, cur.sorted);
  stats.wassersteinNormalized = sd > 0 ? stats.wasserstein / sd : null;
}

function checkFeature(prepared: PreparedNumeric | PreparedCategorical, current: FeatureColumns, config: ParsedConfig): FeatureDriftEntry {
  const { name, type } = prepared;
  const rule = ruleFor(config, name, type);
  const statistics = emptyStatistics();
  const values = current[name];
  let bins: PsiBin[] = [];
  let n = { reference: 0, current: 0 };
  let missing = { reference: 0, current: values ? values.length : 0 };
  let reason: string | null = values ? null : `the current window has no column ${name}`;
  if (values) {
    let refCounts: BinnedSample;
    let curCounts: BinnedSample;
    let labels: string[];
    if (prepared.type === 'numeric') {
      const cur = sortedPresent(values as NumericValues);
      refCounts = prepared.counts ?? { counts: new Float64Array(0), missing: prepared.present.missing };
      curCounts = prepared.bins ? countNumeric(prepared.bins, cur) : { counts: new Float64Array(0), missing: cur.missing };
      labels = prepared.bins ? binLabels(prepared.bins) : [];
      numericStatistics(prepared.present, cur, prepared.sd, statistics);
    } else {
      const catBins = categoricalBins(prepared.values, values as CategoricalValues);
      refCounts = countCategorical(catBins, prepared.values);
      curCounts = countCategorical(catBins, values as CategoricalValues);
      labels = binLabels(catBins);
      if (prepared.present) {
        const cur = sortedPresent(toNumbers(values));
        numericStatistics(prepared.present, cur, prepared.sd, statistics);
      }
    }
    const p = psiFromCounts(labels, refCounts, curCounts);
    statistics.psi = p.value;
    statistics.jensenShannon = jensenShannonFromCounts(refCounts.counts, curCounts.counts).value;
    bins = p.bins;
    missing = p.missing;
    n = { reference: sum(refCounts.counts), current: sum(curCounts.counts) };
    reason = p.reason;
    if (!reason && rule.method === 'wasserstein' && statistics.wassersteinNormalized === null)
      reason = 'the reference is constant: no scale to normalise the Wasserstein distance by';
  }
  const value = reason ? null : statistics[statisticOf[rule.method]];
  const status = thresholdStatus(value, rule.threshold, rule.warn, rule.method === 'ksPValue');
  const label = methodLabels[rule.method];
  const relation = rule.method === 'ksPValue' ? (status === 'alert' ? '<' : '≥') : status === 'alert' ? '>' : '≤';
  const explanation =
    value === null
      ? `${name}: cannot measure drift: ${reason}`
      : `${name}: ${label} ${fmt(value)} ${relation} ${fmt(rule.threshold)}${status === 'alert' ? ', drifted' : status === 'warn' ? `, above the warning level ${fmt(rule.warn ?? null)}` : ''} (${n.current} current values, ${missing.current} missing)`;
  return {
    monitor: 'featureDrift',
    subject: name,
    value,
    threshold: rule.threshold,
    status,
    explanation,
    type,
    method: rule.method,
    drifted: status === 'alert',
    statistics,
    bins,
    n,
    missing,
  };
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/** Per-feature drift of a current window against the reference, and whether the dataset as a whole drifted. A prepared reference carries the config it was prepared with; `config` applies to raw columns. */
export function featureDrift(
  reference: FeatureColumns | FeatureReference,
  current: FeatureColumns,
  config: FeatureDriftConfig = {},
): FeatureDriftResult {
  const prepared = isFeatureReference(reference) ? reference : featureReference(reference, config);
  const features = prepared.features.map((f) => checkFeature(f, current, prepared.config));
  const measured = features.filter((f) => f.value !== null).length;
  const drifted = features.filter((f) => f.drifted).length;
  const share = measured ? drifted / measured : null;
  const threshold = prepared.config.datasetShare;
  const status = share === null ? 'unknown' : share >= threshold ? 'alert' : drifted > 0 ? 'warn' : 'ok';
  const names = features.filter((f) => f.drifted).map((f) => f.subject);
  const explanation =
    share === null
      ? 'no feature could be measured'
      : `${drifted} of ${measured} features drifted (${fmt(share)}; the dataset drifts at ${fmt(threshold)} or more)${names.length ? `: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}` : ''}`;
  return { monitor: 'datasetDrift', subject: null, value: share, threshold, status, explanation, drifted, measured, features };
}

/** The feature-drift monitor behind the common interface; pass a featureReference() to bin the reference once. */
export function featureDriftMonitor(
  config: FeatureDriftConfig = {},
): Monitor<FeatureColumns | FeatureReference, FeatureColumns, FeatureDriftResult> {
  return { name: 'datasetDrift', check: (reference, current) => featureDrift(reference, current, config) };
}

function isFeatureReference(x: FeatureColumns | FeatureReference): x is FeatureReference {
  return (x as FeatureReference).kind === 'featureReference' && Array.isArray((x as FeatureReference).features);
}
