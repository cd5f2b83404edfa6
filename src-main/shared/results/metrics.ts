import { z } from 'zod';
import { count, measured } from './numbers';

/** The metric set every model reports on a set of predictions (names from docs/CONVENTIONS.md). */
export const modelMetricsSchema = z.object({
  games: count,
  logLoss: measured,
  brier: measured,
  auc: measured,
  accuracy: measured,
  ece: measured,
});
export type ModelMetricsData = z.output<typeof modelMetricsSchema>;

/** The closing market scored on the same games as the model (games with both prices). */
export const marketComparisonSchema = z.object({
  games: count,
  model: modelMetricsSchema,
  market: modelMetricsSchema,
  meanOverround: measured,
  /** model − market: a negative log loss delta means the model beat the line (suspicious when large). */
  logLossDelta: measured,
  accuracyDelta: measured,
});
export type MarketComparisonData = z.output<typeof marketComparisonSchema>;

/** The short market summary a job result carries beside its metrics. */
export const marketSummarySchema = z.object({ games: count, logLoss: measured, accuracy: measured });

/** One bin of a reliability diagram; the means are null for an empty bin. */
export const reliabilityBinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count,
  meanPredicted: measured,
  observedRate: measured,
});
export type ReliabilityBinData = z.output<typeof reliabilityBinSchema>;
