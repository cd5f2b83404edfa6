import { describe, expect, it } from 'vitest';
import { warmStartSpace } from '../../../src-main/engine/sweeps/warmStart';
import { parseSearchSpace } from '../../../src-main/engine/sweeps/spaceFile';
import { DEFAULT_SEARCH_SPACE } from '../../../src-main/shared/sweep/distributions';
import { DEFAULT_LGB_PARAMS, resolveParams } from '../../../src-main/engine/modeling/defaultParams';

const bounds = (space: ReturnType<typeof warmStartSpace>['space'], name: string) => {
  const d = space.params.find((p) => p.name === name)!.distribution;
  return d.type === 'categorical' ? d.choices : [d.low, d.high];
};

describe('a sweep warm-started from a trained model', () => {
  it("enqueues Bullpen's default recipe exactly, widening only the bounds that exclude it", () => {
    const w = warmStartSpace(DEFAULT_SEARCH_SPACE, resolveParams({}, 7));
    // Aliases are matched by parameter: min_data_in_leaf is min_child_samples, lambda_l2 is reg_lambda.
    expect(w.enqueued).toEqual({
      num_leaves: DEFAULT_LGB_PARAMS.num_leaves,
      learning_rate: DEFAULT_LGB_PARAMS.learning_rate,
      feature_fraction: DEFAULT_LGB_PARAMS.feature_fraction,
      bagging_fraction: DEFAULT_LGB_PARAMS.bagging_fraction,
      bagging_freq: DEFAULT_LGB_PARAMS.bagging_freq,
      min_child_samples: DEFAULT_LGB_PARAMS.min_data_in_leaf,
      max_depth: -1,
      reg_alpha: 0,
      reg_lambda: DEFAULT_LGB_PARAMS.lambda_l2,
    });
    expect(bounds(w.space, 'min_child_samples')).toEqual([5, DEFAULT_LGB_PARAMS.min_data_in_leaf]);
    expect(bounds(w.space, 'max_depth')).toEqual([-1, 15]);
    expect(bounds(w.space, 'num_leaves')).toEqual([10, 300]);
    expect(bounds(w.space, 'learning_rate')).toEqual([0.01, 0.3]);
    // Nothing of the base parameters (objective, seed, …) becomes a fixed parameter.
    expect(w.fixed).toEqual({});
  });

  it('keeps what the space does not search as fixed, and leaves to the sampler what the space cannot hold', () => {
    const space = parseSearchSpace(
      `
learning_rate: {type: float, low: 0.01, high: 0.3, log: true}
bagging_freq: {type: int, low: 1, high: 7, step: 2}
boosting: {type: categorical, choices: [gbdt, dart]}
drop_rate: {type: float, low: 0.05, high: 0.5, when: {boosting: [dart]}}
`,
      'test space',
    );
    const w = warmStartSpace(space, {
      learning_rate: 0,
      bagging_freq: 2,
      boosting: 'goss',
      drop_rate: 0.1,
      min_sum_hessian_in_leaf: 3,
      seed: 1,
    });
    // log bound ≤ 0, off the step grid, not a choice, conditional: sampled, not enqueued, bounds unchanged.
    expect(w.enqueued).toEqual({});
    expect(bounds(w.space, 'learning_rate')).toEqual([0.01, 0.3]);
    expect(bounds(w.space, 'bagging_freq')).toEqual([1, 7]);
    expect(w.fixed).toEqual({ min_sum_hessian_in_leaf: 3 });
  });
});
