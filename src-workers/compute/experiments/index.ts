/** A/B tests between models: GrowthBook-compatible routing and the statistics of each daily look. */
export { assignVariant, bucketRanges, chooseVariant, fnv1a32, hashV2, splitWeights } from './routing';
export {
  analysisOptionsSchema,
  analyzeMetric,
  decide,
  DEFAULT_PRIOR_SD,
  DEFAULT_RISK_THRESHOLD,
  DEFAULT_SEQUENTIAL_TUNING,
  gaussianPosterior,
  GROWTHBOOK_RISK_THRESHOLD,
  powerAgainst,
  procedures,
  sequentialHalfwidth,
  sequentialPValue,
  sequentialRho,
  srm,
  SRM_P_THRESHOLD,
  type AnalysisOptions,
  type Decision,
  type DecisionRules,
  type GaussianPosterior,
  type MetricAnalysis,
  type MetricSample,
  type ParsedAnalysisOptions,
  type Procedure,
  type SrmResult,
} from './statistics';
export { chiSquareSf, normalCdf, normalQuantileAccurate, normalSf, regularizedGammaQ } from './distributions';
