import { describe, expect, it } from 'vitest';
import { experimentConfig, parseSplit, sequentialTuning } from '../../../src-main/engine/operations/experiments/experimentSettings';
import { experimentOptionsSchema } from '../../../src-main/shared/results/experiments';
import {
  analyzeMetric,
  DEFAULT_RISK_THRESHOLD,
  GROWTHBOOK_RISK_THRESHOLD,
  RISK_THRESHOLD_BY_MAX_DAYS,
  riskThresholdFor,
} from '../../../src-workers/compute/experiments';

const configFor = (maxDays: number) => experimentConfig(experimentOptionsSchema.parse({ maxDays }));

describe('experiment settings', () => {
  it('gives longer experiments a smaller Bayesian risk threshold, never a larger one, and stores it with the experiment', () => {
    const days = [1, 14, 30, 59, 60, 61, 90, 120, 121, 183, 366];
    const thresholds = days.map(riskThresholdFor);
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]).toBeLessThanOrEqual(thresholds[i - 1]);
    expect(riskThresholdFor(14)).toBe(DEFAULT_RISK_THRESHOLD);
    expect(riskThresholdFor(183)).toBeLessThan(riskThresholdFor(60));
    // Every step of the schedule is far below GrowthBook's web-traffic default and takes effect just past its bound.
    for (const [i, step] of RISK_THRESHOLD_BY_MAX_DAYS.entries()) {
      expect(step.threshold).toBeLessThan(GROWTHBOOK_RISK_THRESHOLD / 100 + Number.EPSILON);
      if (Number.isFinite(step.upTo)) {
        expect(riskThresholdFor(step.upTo)).toBe(step.threshold);
        expect(riskThresholdFor(step.upTo + 1)).toBe(RISK_THRESHOLD_BY_MAX_DAYS[i + 1].threshold);
      }
    }
    for (const d of days) {
      const config = configFor(d);
      expect(config.riskThreshold).toBe(riskThresholdFor(d));
      expect(config.sequentialTuning).toBe(sequentialTuning(d));
    }
  });

  it('a look that stops a 60-day experiment can leave a season-long one running: the stricter threshold needs more evidence', () => {
    // 900 paired per-game log-loss differences (control − challenger oriented by the analysis), a fixed noise
    // pattern shifted by a growing edge for the challenger: the stored threshold decides where each stops.
    const noise = Array.from({ length: 900 }, (_, i) => 0.03 * Math.sin(i * 1.7) + 0.02 * Math.cos(i * 0.31));
    const stops = (edge: number, maxDays: number) => {
      const config = configFor(maxDays);
      const diffs = Float64Array.from(noise, (x) => x - edge);
      const a = analyzeMetric(
        { kind: 'paired', diffs, controlMean: 0.69 },
        {
          direction: 'lower',
          alpha: config.alpha,
          tuning: config.sequentialTuning,
          prior: config.prior,
          riskThreshold: config.riskThreshold,
        },
      );
      return a.bayesian.stop;
    };
    const edges = Array.from({ length: 200 }, (_, i) => i * 0.00005);
    const first = (maxDays: number) => edges.findIndex((e) => stops(e, maxDays));
    expect(stops(0, 60)).toBe(false);
    expect(first(60)).toBeGreaterThan(0);
    // The season-long experiment needs a strictly larger edge before its rule stops, and stops once the edge is large.
    expect(first(183)).toBeGreaterThan(first(60));
    expect(stops(edges[edges.length - 1], 183)).toBe(true);
  });

  it('refuses a split that is not two shares summing to 100', () => {
    expect(parseSplit('80/20')).toEqual([80, 20]);
    for (const bad of ['80/30', '100/0', 'a/b', '80-20']) expect(() => parseSplit(bad)).toThrow(/CONTROL\/CHALLENGER/);
  });
});
