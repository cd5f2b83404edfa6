/** Pruners behind the Pruner interface (as Optuna's BasePruner), built from a sweep's PrunerSpec. */
export { makePruner, noPruner } from './makePruner';
export { MedianPruner, percentileOf, type MedianPrunerOptions } from './median';
export { SuccessiveHalvingPruner, promotionCut, rungResource, type SuccessiveHalvingOptions } from './successiveHalving';
export { HyperbandPruner, crc32, type HyperbandOptions } from './hyperband';
export { describeStep, foldOf, iterationOf, isFoldEnd } from './steps';
