import { describe, expect, it } from 'vitest';
import {
  checksByDate,
  driftHeatmap,
  extrasOf,
  performanceSeries,
  predictionDistribution,
  qualityRows,
  timelineTraces,
  type MonitorResultData,
} from '../../../src-renderer/src/lib/monitoring/monitoringCharts';
import type { LoggedPrediction, MonitorCheck } from '../../../src-main/shared/results/operations';

const result = (monitor: string, subject: string | null, value: number | null, extra: Record<string, unknown> = {}): MonitorResultData =>
  ({
    monitor,
    subject,
    value,
    threshold: 0.2,
    status: value !== null && value > 0.2 ? 'alert' : 'ok',
    explanation: `${monitor} ${subject}`,
    ...extra,
  }) as MonitorResultData;

function check(
  id: string,
  checkedAt: string,
  to: string | null,
  results: MonitorResultData[],
  driftScore: number | null = 0.1,
): MonitorCheck {
  return { id, deploymentId: 'd', checkedAt, window: { from: to ? '2012-04-01' : null, to }, driftScore, results };
}

describe('monitoring charts', () => {
  it('keeps the latest check of each judged date, oldest date first', () => {
    const a = check('a', '2026-01-01T10:00:00Z', '2012-04-10', []);
    const b = check('b', '2026-01-01T11:00:00Z', '2012-04-10', []);
    const c = check('c', '2026-01-01T09:00:00Z', '2012-04-09', []);
    expect(checksByDate([a, b, c]).map((x) => x.id)).toEqual(['c', 'b']);
  });

  it('builds the heatmap from the judged dates only, features in the newest check’s order, gaps where a feature was not judged', () => {
    const checks = [
      check('new', '2026-01-03T00:00:00Z', '2012-04-12', [result('featureDrift', 'b', 0.3), result('featureDrift', 'a', 0.1)]),
      check('old', '2026-01-02T00:00:00Z', '2012-04-11', [result('featureDrift', 'a', 0.05), result('featureDrift', 'c', 0.4)]),
      check('early', '2026-01-01T00:00:00Z', '2012-04-10', [result('datasetDrift', null, null)]),
    ];
    const h = driftHeatmap(checks);
    expect(h.dates).toEqual(['2012-04-11', '2012-04-12']);
    expect(h.features).toEqual(['b', 'a', 'c']);
    expect(h.z).toEqual([
      [null, 0.3],
      [0.05, 0.1],
      [0.4, null],
    ]);
    expect(h.unjudged).toEqual(['2012-04-10']);
    expect(h.threshold).toBe(0.2);
  });

  it('draws one alert marker per date and severity, on the drift score of that date', () => {
    const traces = timelineTraces(
      [
        { date: '2012-04-10', value: 0.2 },
        { date: '2012-04-11', value: 0.4 },
      ],
      [
        { date: '2012-04-11', monitor: 'featureDrift', subject: 'x', value: 0.3, severity: 'warn' },
        { date: '2012-04-11', monitor: 'featureDrift', subject: 'y', value: 0.5, severity: 'warn' },
        { date: '2012-04-10', monitor: 'driftScore', subject: null, value: 0.8, severity: 'alert' },
      ],
      0.7,
    );
    const warn = traces.find((t) => t.name === 'warnings opened')!;
    expect(warn.x).toEqual(['2012-04-11']);
    expect(warn.y).toEqual([0.4]);
    expect(warn.hovertext?.[0]).toContain('featureDrift x');
    expect(warn.hovertext?.[0]).toContain('featureDrift y');
    expect(traces.find((t) => t.name === 'alerts opened')!.y).toEqual([0.2]);
    expect(traces.find((t) => t.name === 'alert above 0.7')!.y).toEqual([0.7, 0.7]);
  });

  it('reads realized and estimated drops with their intervals over the reference when the check carries them, and the bare drops when not', () => {
    const withExtras = check('x', '2026-01-01T00:00:00Z', '2012-05-01', [
      result('performanceDrift', 'accuracy', 0.05, { reference: 0.5, current: 0.475, degradationCi: [-0.01, 0.06] }),
      result('estimatedPerformance', 'accuracy', 0.02, { reference: 0.5, estimate: 0.49, interval: [0.46, 0.52] }),
    ]);
    const [p] = performanceSeries([withExtras], 'accuracy').points;
    expect(p.realized).toBe(0.05);
    expect(p.realizedInterval).toEqual([-0.02, 0.12]);
    expect(p.estimated).toBe(0.02);
    // Accuracy: a lower estimate is a larger drop, so the interval's ends swap.
    expect(p.estimatedInterval![0]).toBeCloseTo(-0.04);
    expect(p.estimatedInterval![1]).toBeCloseTo(0.08);
    const bare = check('y', '2026-01-01T00:00:00Z', '2012-05-01', [result('performanceDrift', 'logLoss', 0.03)]);
    expect(performanceSeries([bare], 'logLoss').points).toEqual([
      expect.objectContaining({ realized: 0.03, realizedInterval: null, estimated: null, estimatedInterval: null }),
    ]);
    expect(extrasOf(result('x', null, 1, { interval: ['a', 1] })).interval).toBeNull();
  });

  it('draws the reference’s decile shares when the check has them, else the window’s logged predictions alone', () => {
    const logged = [0.41, 0.43, 0.62, 0.1].map(
      (p, i) => ({ seq: i, kind: 'prediction', gameDate: i === 3 ? '2012-03-01' : '2012-04-05', p }) as LoggedPrediction,
    );
    const bare = check('a', '2026-01-01T00:00:00Z', '2012-04-30', [result('predictionDrift', null, 0.1)]);
    const current = predictionDistribution(bare, logged)!;
    expect(current.source).toBe('current');
    expect(current.n).toBe(3);
    expect(current.labels[0]).toBe('0.40–0.45');
    expect(current.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    const bins = [
      { label: '[0, 0.5)', reference: 0.5, current: 0.7 },
      { label: '[0.5, 1]', reference: 0.5, current: 0.3 },
    ];
    const deciles = predictionDistribution(
      check('b', '2026-01-01T00:00:00Z', '2012-04-30', [result('predictionDrift', null, 0.1, { bins })]),
      logged,
    )!;
    expect(deciles).toMatchObject({ source: 'deciles', reference: [0.5, 0.5], current: [0.7, 0.3] });
  });

  it('lists data quality per feature, worst first', () => {
    const rows = qualityRows(
      check('q', '2026-01-01T00:00:00Z', '2012-04-30', [
        result('missingValues', 'a', 0.01),
        result('outOfRange', 'a', 0),
        result('missingValues', 'b', 0.3),
        result('dataQuality', null, 0.5),
      ]),
    );
    expect(rows.map((r) => [r.feature, r.status])).toEqual([
      ['b', 'alert'],
      ['a', 'ok'],
    ]);
    expect(rows[1].outOfRange?.value).toBe(0);
  });
});
