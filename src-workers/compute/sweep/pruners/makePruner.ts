import type { PrunerSpec } from '../../../../src-main/shared/sweep/pruning';
import type { Pruner } from '../pruner';
import { HyperbandPruner } from './hyperband';
import { MedianPruner } from './median';
import { SuccessiveHalvingPruner } from './successiveHalving';

/** Never stops a trial. */
export const noPruner: Pruner = { name: 'none', shouldPrune: () => null };

/** The pruner a sweep's spec describes; `folds` is the CV's fold count (Hyperband's default maximum resource). */
export function makePruner(spec: PrunerSpec, folds: number): Pruner {
  switch (spec.type) {
    case 'median':
      return new MedianPruner(spec);
    case 'successive-halving':
      return new SuccessiveHalvingPruner(spec);
    case 'hyperband':
      return new HyperbandPruner({
        minResource: spec.minResource,
        maxResource: spec.maxResource ?? folds,
        reductionFactor: spec.reductionFactor,
      });
    case 'none':
      return noPruner;
  }
}
