import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  driftComponents,
  driftScore,
  driftScoreInputs,
  featureDrift,
  featureDriftMonitor,
  featureReference,
  ksTest,
  predictionDrift,
  predictionDriftMonitor,
  psi,
  worstStatus,
  type DriftScoreInputs,
} from '../../../src-workers/compute/monitoring';
import { calibratedGames, normals } from './synthetic';

function columns(seed: number, n: number, shift: Record<string, number> = {}) {
  return {
    elo_diff: normals(seed, n, 30 + (shift.elo_diff ?? 0), 80),
    home_runs_scored_pg_last10: normals(seed + 1, n, 4.5 * (shift.runsScale ?? 1), 0.9 * (shift.runsScale ?? 1)),
    home_streak: Float64Array.from(normals(seed + 2, n, 0, 2), (v) => Math.round(v)),
    day_game: Float64Array.from(normals(seed + 3, n), (v) => (v > 0.4 + (shift.dayGame ?? 0) ? 1 : 0)),
    roof: Array.from(normals(seed + 4, n), (v) => (v > 1 ? 'closed' : v > 0 ? 'open' : 'none')),
  };
}

describe('feature drift', () => {
  it('flags the shifted features with the default PSI > 0.2 and reports every statistic', () => {
    const r = featureDrift(columns(1, 2430), columns(100, 450, { runsScale: 1.5 }));
    const byName = Object.fromEntries(r.features.map((f) => [f.subject, f]));
    expect(byName.home_runs_scored_pg_last10.drifted).toBe(true);
    expect(byName.home_runs_scored_pg_last10.status).toBe('alert');
    expect(byName.home_runs_scored_pg_last10.method).toBe('psi');
    expect(byName.home_runs_scored_pg_last10.threshold).toBe(0.2);
    expect(byName.elo_diff.drifted).toBe(false);
    expect(byName.day_game.type).toBe('binary');
    expect(byName.roof.type).toBe('categorical');
    expect(byName.roof.statistics.ks).toBeNull();
    expect(byName.roof.statistics.psi).not.toBeNull();
    const s = byName.elo_diff.statistics;
    for (const k of ['psi', 'ks', 'ksPValue', 'wasserstein', 'wassersteinNormalized', 'jensenShannon'] as const)
      expect(s[k]).not.toBeNull();
    expect(s.ksMethod).toBe('exact');
    expect(r.drifted).toBe(1);
    expect(r.measured).toBe(5);
    expect(r.value).toBeCloseTo(0.2, 12);
    expect(r.status).toBe('warn');
    expect(byName.home_runs_scored_pg_last10.explanation).toMatch(/^home_runs_scored_pg_last10: PSI [\d.]+ > 0.2, drifted/);
  });

  it('the same distribution drifts nowhere', () => {
    const r = featureDrift(columns(1, 2430), columns(200, 450));
    expect(r.features.map((f) => f.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r.value).toBe(0);
    expect(r.status).toBe('ok');
  });

  it('takes the method and threshold per feature first, then per type', () => {
    const ref = columns(1, 2430);
    const cur = columns(300, 450, { elo_diff: 12 });
    const r = featureDrift(ref, cur, {
      byType: { numeric: { method: 'wasserstein' } },
      byFeature: { elo_diff: { method: 'ksPValue', threshold: 0.01 } },
    });
    const byName = Object.fromEntries(r.features.map((f) => [f.subject, f]));
    expect(byName.elo_diff.method).toBe('ksPValue');
    expect(byName.elo_diff.value).toBe(byName.elo_diff.statistics.ksPValue);
    // A p-value alarms below its threshold.
    expect(byName.elo_diff.status).toBe((byName.elo_diff.value as number) < 0.01 ? 'alert' : 'ok');
    expect(byName.home_streak.method).toBe('wasserstein');
    expect(byName.home_streak.value).toBe(byName.home_streak.statistics.wassersteinNormalized);
    expect(byName.home_streak.threshold).toBe(0.1);
    expect(byName.roof.method).toBe('psi');
    expect(byName.day_game.method).toBe('psi');
  });

  it('refuses an ordered method on a categorical feature and a config typo, naming them', () => {
    const ref = columns(1, 100);
    expect(() => featureDrift(ref, ref, { byFeature: { roof: { method: 'ks' } } })).toThrow(/roof is categorical/);
    try {
      featureDrift(ref, ref, { byTyp: {} } as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BullpenError);
      expect((e as BullpenError).code).toBe('INVALID_INPUT');
    }
  });

  it('a prepared reference gives the same result as the raw columns', () => {
    const ref = columns(1, 2430);
    const cur = columns(7, 450, { elo_diff: 40 });
    const prepared = featureReference(ref);
    expect(featureDrift(prepared, cur)).toEqual(featureDrift(ref, cur));
    expect(featureDriftMonitor().check(prepared, cur)).toEqual(featureDrift(ref, cur));
  });

  it('a column absent from the current window or all missing is unknown, not drifted', () => {
    const ref = columns(1, 500);
    const { elo_diff: _dropped, ...rest } = columns(2, 100);
    const cur = { ...rest, home_streak: new Float64Array(100).fill(Number.NaN) };
    const r = featureDrift(ref, cur);
    const byName = Object.fromEntries(r.features.map((f) => [f.subject, f]));
    expect(byName.elo_diff.status).toBe('unknown');
    expect(byName.elo_diff.explanation).toMatch(/no column elo_diff/);
    expect(byName.home_streak.status).toBe('unknown');
    expect(byName.home_streak.explanation).toMatch(/every current value is missing/);
    expect(r.measured).toBe(3);
  });

  it('the dataset drifts when at least half the measured features do', () => {
    const r = featureDrift(columns(1, 2430), columns(9, 450, { runsScale: 1.5, elo_diff: 60, dayGame: -1 }));
    expect(r.drifted).toBeGreaterThanOrEqual(3);
    expect(r.status).toBe('alert');
  });
});

describe('prediction drift', () => {
  it('alerts on KS > 0.3, warns on PSI > 0.2 below that, and is quiet on the same distribution', () => {
    const ref = calibratedGames(1, 2430).p;
    const same = predictionDrift(ref, calibratedGames(2, 450).p);
    expect(same.status).toBe('ok');
    expect(same.value).toBe(same.ks.statistic);
    const confident = predictionDrift(ref, calibratedGames(3, 450, 2).p);
    expect(confident.value).toBeGreaterThan(0.3);
    expect(confident.status).toBe('alert');
    const shifted = Float64Array.from(calibratedGames(4, 450).p, (p) => Math.min(1, p + 0.06));
    const mid = predictionDrift(ref, shifted);
    expect(mid.ks.statistic).toBeLessThanOrEqual(0.3);
    expect(mid.psi.value).toBeGreaterThan(0.2);
    expect(mid.status).toBe('warn');
    expect(predictionDriftMonitor({ ksThreshold: 0.05 }).check(ref, shifted).status).toBe('alert');
    expect(mid.ks).toEqual(ksTest(ref, shifted));
    expect(mid.psi).toEqual(psi(ref, shifted));
  });

  it('is unknown without current predictions', () => {
    const r = predictionDrift([0.5, 0.6], []);
    expect(r.status).toBe('unknown');
    expect(r.value).toBeNull();
  });
});

describe('composite drift score', () => {
  const input = fc.record(
    Object.fromEntries(driftComponents.map((c) => [c, fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: null })])) as Record<
      (typeof driftComponents)[number],
      fc.Arbitrary<number | null>
    >,
  );

  it('stays within [0, 1] for any inputs', () => {
    fc.assert(
      fc.property(input, (x) => {
        const v = driftScore(x).value;
        return v === null ? driftComponents.every((c) => x[c] === null) : v >= 0 && v <= 1;
      }),
    );
  });

  it('never decreases when any one monitor gets worse', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...driftComponents), fc.double({ min: 0, max: 2, noNaN: true }), (x, c, bump) => {
        if (x[c] === null) return true;
        const before = driftScore(x).value as number;
        const after = driftScore({ ...x, [c]: (x[c] as number) + bump }).value as number;
        return after >= before - 1e-15;
      }),
    );
  });

  it('follows the documented weights and saturates each component at its alert level', () => {
    const full: DriftScoreInputs = { features: 0.25, prediction: 0.15, performance: 0, dataQuality: 0, estimatedPerformance: 0 };
    expect(driftScore(full).value).toBeCloseTo(0.4 * 0.5 + 0.2 * 0.5, 12);
    expect(driftScore({ ...full, features: 0.9 }).components.features.component).toBe(1);
    const alarmed = driftScore({ features: 0.5, prediction: 0.3, performance: 0.1, dataQuality: 0, estimatedPerformance: 0 });
    expect(alarmed.value).toBeCloseTo(0.8, 12);
    expect(alarmed.status).toBe('alert');
    // Features alone, however wide the drift, stay below the alert level.
    expect(driftScore({ features: 1, prediction: 0, performance: 0, dataQuality: 0, estimatedPerformance: 0 }).status).toBe('ok');
    // Before outcomes arrive the performance weight is left out and the rest renormalised.
    expect(driftScore({ features: 0.5, prediction: 0.3, dataQuality: 0, estimatedPerformance: 0 }).value).toBeCloseTo(0.6 / 0.8, 12);
    expect(driftScore({}).status).toBe('unknown');
  });

  it('reads its inputs off the monitors, counting only performance drops beyond noise', () => {
    const ref = columns(1, 2430);
    const inputs = driftScoreInputs({ featureDrift: featureDrift(ref, columns(9, 450, { runsScale: 1.5 })) });
    expect(inputs.features).toBeCloseTo(0.2, 12);
    expect(inputs.performance).toBeNull();
    const perf = {
      metrics: [
        { relativeDrop: 0.3, distinguishable: false },
        { relativeDrop: 0.05, distinguishable: true },
      ],
    };
    expect(driftScoreInputs({ performanceDrift: perf as never }).performance).toBe(0.05);
  });

  it('worstStatus ranks alert over warn over ok, unknown only when nothing measured', () => {
    expect(worstStatus(['ok', 'unknown', 'warn'])).toBe('warn');
    expect(worstStatus(['unknown', 'unknown'])).toBe('unknown');
    expect(worstStatus(['ok', 'alert', 'warn'])).toBe('alert');
  });
});
