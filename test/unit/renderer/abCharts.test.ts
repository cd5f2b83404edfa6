import { describe, expect, it } from 'vitest';
import type { BoundaryPoint, MetricTest, RampState } from '../../../src-main/shared/results/experiments';
import { boundaryTraces, interval, metricValue, percent, rampSteps, verdict } from '../../../src-renderer/src/lib/ab/abCharts';

const point = (date: string, effect: number, seq: [number, number], fixed: [number, number], significant = false): BoundaryPoint => ({
  date,
  day: 1,
  n: 10,
  effect,
  sequentialCi: seq,
  fixedCi: fixed,
  probabilityToBeat: 0.5,
  expectedLossChallenger: 0.01,
  sequentialSignificant: significant,
  bayesianStop: false,
});

const metricTest = (effect: number, sequential: boolean, fixed: boolean): MetricTest =>
  ({
    metric: 'logLoss',
    direction: 'lower',
    effect,
    sequential: { pValue: 0.5, ci: [0, 0], relativeCi: [0, 0], significant: sequential },
    fixed: { pValue: 0.5, ci: [0, 0], relativeCi: [0, 0], significant: fixed },
  }) as unknown as MetricTest;

describe('A/B screen charts', () => {
  it('draws the confidence sequence as a band, the fixed-horizon interval dashed, the effect, zero, and the days the band left 0', () => {
    const points = [point('2012-04-01', 0.01, [-0.2, 0.22], [-0.05, 0.07]), point('2012-04-02', 0.05, [0.01, 0.09], [0.03, 0.07], true)];
    const traces = boundaryTraces(points);
    const [low, high, fixedLow, fixedHigh, effect, zero, stops] = traces;
    expect(traces).toHaveLength(7);
    expect(low.y).toEqual([-0.2, 0.01]);
    expect(high.y).toEqual([0.22, 0.09]);
    expect(high.fill).toBe('tonexty');
    expect([fixedLow.y, fixedHigh.y]).toEqual([
      [-0.05, 0.03],
      [0.07, 0.07],
    ]);
    expect(fixedLow.line?.dash).toBe('dash');
    expect(effect.y).toEqual([0.01, 0.05]);
    expect(zero.y).toEqual([0, 0]);
    expect(stops.x).toEqual(['2012-04-02']);
  });

  it('draws nothing but the band, fixed lines and effect without points, and no stop markers before the band leaves 0', () => {
    expect(boundaryTraces([])).toHaveLength(5);
    expect(boundaryTraces([point('2012-04-01', 0, [-1, 1], [-0.5, 0.5])]).map((t) => t.name)).not.toContain(
      'band excludes 0 (sequential stop)',
    );
  });

  it('writes rates as percentages and losses as figures', () => {
    expect(metricValue('roi', 0.1234)).toBe('12.34%');
    expect(metricValue('logLoss', 0.65432)).toBe('0.6543');
    expect(interval('accuracy', [0.5, null])).toBe('[50.00%, —]');
    expect(percent(0.000025)).toBe('0.0025%');
  });

  it('calls a sequential result by its sign, and a fixed-horizon-only one what it is', () => {
    expect(verdict(metricTest(0.02, true, true)).text).toBe('challenger better');
    expect(verdict(metricTest(-0.02, true, true)).text).toBe('challenger worse');
    expect(verdict(metricTest(0.02, false, true)).text).toContain('fixed-horizon only');
    expect(verdict(metricTest(0.02, false, false)).text).toBe('no significant difference');
  });

  it("marks the ramp's steps done, current and to come", () => {
    const ramp: RampState = {
      steps: [5, 10, 25, 50, 100],
      current: 2,
      status: 'ramping',
      completed: [
        { step: 0, share: 5, at: '2012-04-02', check: 'ok', games: 30 },
        { step: 1, share: 10, at: '2012-04-04', check: 'ok', games: 60 },
      ],
    };
    expect(rampSteps(ramp).map((s) => [s.share, s.state, s.at])).toEqual([
      [5, 'done', '2012-04-02'],
      [10, 'done', '2012-04-04'],
      [25, 'current', null],
      [50, 'next', null],
      [100, 'next', null],
    ]);
  });
});
