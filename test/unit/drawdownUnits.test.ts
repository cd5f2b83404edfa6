import { describe, expect, it } from 'vitest';
import { drawdownUnits } from '../../src-renderer/src/components/ml/runCharts';

describe('the drawdown chart', () => {
  it('plots units below the running peak of the bankroll, so a flat bettor who goes broke is not shown below -100%', () => {
    expect(drawdownUnits([100, 103, 101, 104, 90, -20])).toEqual([0, 0, -2, 0, -14, -124]);
  });
});
