/** Hyperparameter sweeps in the worker: samplers (TPE, random, grid) and multi-objective bookkeeping. */
export type { Sampler, SampleContext } from './sampler';
export { trialSeed, purposeSeed } from './seeds';
export { RandomSampler, sampleUniform, sampleSpaceUniform } from './randomSampler';
export { GridSampler, gridSize, gridValues, SeededPermutation, DEFAULT_GRID_POINTS, type GridOptions } from './gridSampler';
export { TpeSampler, DEFAULT_TPE_OPTIONS, type TpeOptions } from './tpe/tpeSampler';
export { ParzenEstimator, defaultWeights } from './tpe/parzenEstimator';
export { gamma, splitTrials } from './tpe/split';
export {
  toLoss,
  dominates,
  nonDominatedRanks,
  nonDominatedRanksOfLosses,
  paretoFront,
  referencePoint,
  hypervolume,
  hypervolumeOfLosses,
  selectHypervolumeSubset,
} from './pareto';
export { makeSampler, type SamplerOptions } from './samplers';
