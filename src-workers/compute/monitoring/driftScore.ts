import { z } from 'zod';
import { validationError } from '../../../src-main/shared/errors';
import type { EstimatedPerformanceResult } from './cbpe';
import type { DataQualityResult } from './dataQuality';
import type { FeatureDriftResult } from './featureDrift';
import { fmt, thresholdStatus, type MonitorResult } from './monitor';
import type { PerformanceDriftResult } from './performanceDrift';
import type { PredictionDriftResult } from './predictionDrift';

/**
 * Composite drift score in [0, 1]: a weighted mean of one component per monitor, each in [0, 1] and scaled so
 * it reaches 1 exactly at its own monitor's alert level:
 *
 *   features              0.4 × min(1, share of drifted features / 0.5)      (0.5: the dataset-drift share)
 *   prediction            0.2 × min(1, KS statistic of predictions / 0.3)
 *   performance           0.2 × min(1, relative drop / 0.1), counting only drops beyond noise (bootstrap
 *                               interval above zero), the worst metric; 0 when none is
 *   dataQuality           0.1 × min(1, share of features with a missing-value or out-of-range alert / 0.25)
 *   estimatedPerformance  0.1 × min(1, CBPE relative drop / 0.1), again only beyond noise
 *
 * score = Σ wᵢ·cᵢ / Σ wᵢ over the components that could be measured (before any outcome arrives the
 * performance component is absent, and the others carry the whole weight). Each component is
 * non-decreasing in its input and the score is non-decreasing in each component, bounded by [0, 1], and
 * 0.7 (the original alert level) means monitors holding 70% of the weight are at their alert levels: drift
 * in the features alone, however wide, cannot raise it, since it is one monitor's view. Above 0.5 warns.
 */

export const driftComponents = ['features', 'prediction', 'performance', 'dataQuality', 'estimatedPerformance'] as const;
export type DriftComponent = (typeof driftComponents)[number];

export const driftScoreConfigSchema = z
  .object({
    weights: z
      .object({
        features: z.number().nonnegative().default(0.4),
        prediction: z.number().nonnegative().default(0.2),
        performance: z.number().nonnegative().default(0.2),
        dataQuality: z.number().nonnegative().default(0.1),
        estimatedPerformance: z.number().nonnegative().default(0.1),
      })
      .strict()
      .default({ features: 0.4, prediction: 0.2, performance: 0.2, dataQuality: 0.1, estimatedPerformance: 0.1 }),
    /** The input value at which each component reaches 1. */
    saturation: z
      .object({
        features: z.number().positive().default(0.5),
        prediction: z.number().positive().default(0.3),
        performance: z.number().positive().default(0.1),
        dataQuality: z.number().positive().default(0.25),
        estimatedPerformance: z.number().positive().default(0.1),
      })
      .strict()
      .default({ features: 0.5, prediction: 0.3, performance: 0.1, dataQuality: 0.25, estimatedPerformance: 0.1 }),
    threshold: z.number().min(0).max(1).default(0.7),
    warn: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type DriftScoreConfig = z.input<typeof driftScoreConfigSchema>;

/** Each monitor's input to the score; null or absent when that monitor could not measure. */
export type DriftScoreInputs = Partial<Record<DriftComponent, number | null>>;

export interface DriftScoreResult extends MonitorResult {
  monitor: 'driftScore';
  subject: null;
  components: Record<DriftComponent, { input: number | null; component: number | null; weight: number }>;
}

/** The weighted, renormalised score above from each monitor's figure. */
export function driftScore(inputs: DriftScoreInputs, config: DriftScoreConfig = {}): DriftScoreResult {
  const parsed = driftScoreConfigSchema.safeParse(config);
  if (!parsed.success) throw validationError('driftScore', parsed.error);
  const { weights, saturation, threshold, warn } = parsed.data;
  let weighted = 0;
  let weightSum = 0;
  const components = {} as DriftScoreResult['components'];
  for (const name of driftComponents) {
    const input = inputs[name];
    const usable = input !== null && input !== undefined && !Number.isNaN(input);
    const component = usable ? Math.min(1, Math.max(0, input) / saturation[name]) : null;
    components[name] = { input: usable ? input : null, component, weight: weights[name] };
    if (component !== null && weights[name] > 0) {
      weighted += weights[name] * component;
      weightSum += weights[name];
    }
  }
  const value = weightSum > 0 ? weighted / weightSum : null;
  const status = thresholdStatus(value, threshold, warn);
  const parts = driftComponents
    .filter((n) => components[n].component !== null)
    .map((n) => `${n} ${fmt(components[n].component)}×${fmt(weights[n])}`)
    .join(', ');
  return {
    monitor: 'driftScore',
    subject: null,
    value,
    threshold,
    status,
    explanation:
      value === null
        ? 'no monitor could be measured'
        : `drift score ${fmt(value)} (${status === 'alert' ? '>' : '≤'} ${fmt(threshold)}) from ${parts}`,
    components,
  };
}

/** Worst relative drop among metrics whose drop is beyond noise; 0 when none is, null when nothing was compared. */
function confirmedDrop(metrics: readonly { relativeDrop: number | null; distinguishable: boolean | null }[]): number | null {
  const measured = metrics.filter((m) => m.relativeDrop !== null);
  if (!measured.length) return null;
  let worst = 0;
  for (const m of measured) if (m.distinguishable) worst = Math.max(worst, m.relativeDrop as number);
  return worst;
}

/** The score's inputs read off the monitors' results; a monitor not run is left out. */
export function driftScoreInputs(results: {
  featureDrift?: FeatureDriftResult;
  predictionDrift?: PredictionDriftResult;
  performanceDrift?: PerformanceDriftResult;
  dataQuality?: DataQualityResult;
  estimatedPerformance?: EstimatedPerformanceResult;
}): DriftScoreInputs {
  return {
    features: results.featureDrift?.value ?? null,
    prediction: results.predictionDrift?.value ?? null,
    performance: results.performanceDrift ? confirmedDrop(results.performanceDrift.metrics) : null,
    dataQuality: results.dataQuality?.value ?? null,
    estimatedPerformance: results.estimatedPerformance ? confirmedDrop(results.estimatedPerformance.metrics) : null,
  };
}
