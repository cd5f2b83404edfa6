/** Retraining's pure decisions: champion against challenger out of sample, and the probation check after a promotion. */
export {
  compareChampionChallenger,
  judgeProbation,
  type ComparisonMetric,
  type ComparisonOptions,
  type ComparisonResult,
  type PairedSample,
  type ProbationResult,
} from './comparison';
