/** Validation gates: the pure computation of every gate, the summary and the charts from a model's evidence. */
export { computeGates, type GateComputation, type ValidationSummary } from './computeGates';
export type { EvidenceGames, ValidationEvidence } from './evidence';
export { measure, type Measures } from './measures';
export { binomialUpperTail } from './binomialTest';
export { TRIAL_STRATEGIES, PLAN_BANKROLL, planStrategy, describePlan } from './stakingPlan';
export { LEAKAGE_SUSPECTS_NAMED } from './marketGates';
export { overfittingGate, pboPartitions, type OverfittingInput } from './overfittingGate';
export { meanPairwiseSpearman, gainRanks, byMeanGainShare } from './featureStabilityGate';
