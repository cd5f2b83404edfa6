import { describe, expect, it } from 'vitest';
import {
  dataQuality,
  dataQualityMonitor,
  missingValues,
  outOfRange,
  staleFeatures,
  unscoredGames,
} from '../../../src-workers/compute/monitoring';
import { createRng } from '../../../src-workers/compute/stats';
import { normals } from './synthetic';

/** A column with the given share of values knocked out (seeded). */
function withMissing(values: Float64Array, share: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return values.map((v) => (rng.nextFloat() < share ? Number.NaN : v));
}

const HOUR = 3_600_000;

describe('missing values', () => {
  it('alerts above 15% absolute and above 1.1 × the reference share, beyond noise', () => {
    const ref = { columns: { a: withMissing(normals(1, 2430), 0.02, 2), b: withMissing(normals(3, 2430), 0.3, 4) } };
    // a: 30% missing today against 2%: alert. b: 31% against 30%: not above 1.1 × 30%.
    const cur = { columns: { a: withMissing(normals(5, 450), 0.3, 6), b: withMissing(normals(7, 450), 0.31, 8) } };
    const [a, b] = missingValues(ref, cur);
    expect(a.status).toBe('alert');
    expect(a.value).toBeGreaterThan(0.15);
    expect(a.pValue).toBeLessThan(0.001);
    expect(a.explanation).toMatch(/^a: \d+ of 450 games missing/);
    expect(b.value).toBeGreaterThan(0.15);
    expect(b.value).toBeLessThan(1.1 * (b.referenceShare as number));
    expect(b.status).toBe('ok');
  });

  it('a column that breaks on one day alerts on that day’s 15 games', () => {
    const ref = { columns: { sp_era: normals(1, 2430) } };
    const day = normals(2, 15);
    day[3] = Number.NaN;
    day[7] = Number.NaN;
    day[11] = Number.NaN;
    day[12] = Number.NaN;
    const [r] = missingValues(ref, { columns: { sp_era: day } });
    expect(r.value).toBeCloseTo(4 / 15, 12);
    expect(r.status).toBe('alert');
  });

  it('binomial noise on a small day warns instead of alerting on a feature that is normally missing now and then', () => {
    // 8% missing in the reference; 3 of 15 (20%) today is above both thresholds but likely by chance (P ≈ 0.12).
    const ref = { columns: { park_factor: withMissing(normals(1, 2430), 0.08, 2) } };
    const day = normals(3, 15);
    day[0] = day[1] = day[2] = Number.NaN;
    const [r] = missingValues(ref, { columns: { park_factor: day } });
    expect(r.value).toBeCloseTo(0.2, 12);
    expect(r.status).toBe('warn');
    expect(r.pValue).toBeGreaterThan(0.001);
    // With the noise condition off (maxPValue 1) the same day alerts, as the bare thresholds would.
    expect(missingValues(ref, { columns: { park_factor: day } }, { missing: { maxPValue: 1 } })[0].status).toBe('alert');
  });

  it('exempts the first games of a season for season-to-date features, on both sides', () => {
    // Opening week: every team's first game misses its season-to-date record.
    const n = 60;
    const gameOfSeason = Float64Array.from({ length: n }, (_v, i) => 1 + Math.floor(i / 15));
    const opening = Float64Array.from(normals(1, n), (v, i) => (gameOfSeason[i] === 1 ? Number.NaN : v));
    const refGames = Float64Array.from({ length: 2430 }, (_v, i) => 1 + Math.floor(i / 15));
    const ref = {
      columns: { home_win_pct_season: Float64Array.from(normals(2, 2430), (v, i) => (refGames[i] === 1 ? Number.NaN : v)) },
      gameOfSeason: refGames,
    };
    const config = { missing: { seasonToDate: ['home_win_pct_season'], warmupGames: 3 } };
    const [early] = missingValues(ref, { columns: { home_win_pct_season: opening }, gameOfSeason }, config);
    expect(early.exempt).toBe(45);
    expect(early.counted).toBe(15);
    expect(early.missing).toBe(0);
    expect(early.status).toBe('ok');
    expect(early.referenceShare).toBe(0);
    expect(early.explanation).toMatch(/45 early-season games exempt/);
    // Not named season-to-date: the same opening day alerts (25% missing against a reference of about 0.6%).
    const [plain] = missingValues(ref, { columns: { home_win_pct_season: opening }, gameOfSeason });
    expect(plain.status).toBe('alert');
    // Only opening-day games: every row exempt, nothing to judge.
    const [only] = missingValues(
      ref,
      { columns: { home_win_pct_season: opening.slice(0, 15) }, gameOfSeason: gameOfSeason.slice(0, 15) },
      config,
    );
    expect(only.status).toBe('unknown');
    expect(only.explanation).toMatch(/all 15 games are within the first 3 of a season/);
  });

  it('a column absent from the current window alerts', () => {
    const [r] = missingValues({ columns: { a: [1, 2] } }, { columns: {} });
    expect(r.status).toBe('alert');
    expect(r.explanation).toMatch(/no such column/);
  });
});

describe('out of range', () => {
  it('measures the share outside the reference [min, max] and alerts above 5% beyond noise', () => {
    const ref = { columns: { runs_pg: normals(1, 2430, 4.5, 0.9) } };
    const scaled = { columns: { runs_pg: normals(2, 450, 6.75, 1.35) } };
    const [r] = outOfRange(ref, scaled);
    expect(r.range?.[0]).toBe(Math.min(...ref.columns.runs_pg));
    expect(r.range?.[1]).toBe(Math.max(...ref.columns.runs_pg));
    expect(r.value).toBeGreaterThan(0.05);
    expect(r.status).toBe('alert');
    expect(r.expectedShare).toBeCloseTo(2 / 2431, 12);
    const [same] = outOfRange(ref, { columns: { runs_pg: normals(3, 450, 4.5, 0.9) } });
    expect(same.status === 'ok' || same.status === 'warn').toBe(true);
    expect(same.value).toBeLessThan(0.01);
  });

  it('one extreme value on a 15-game day does not alert; two do', () => {
    const ref = { columns: { x: normals(1, 2430) } };
    const day = normals(2, 15);
    day[0] = 99;
    expect(outOfRange(ref, { columns: { x: day } })[0].status).toBe('warn');
    day[1] = -99;
    expect(outOfRange(ref, { columns: { x: day } })[0].status).toBe('alert');
  });

  it('counts unseen categories for categorical features', () => {
    const [r] = outOfRange({ columns: { roof: ['open', 'closed', 'open'] } }, { columns: { roof: ['open', 'dome', 'dome', null] } });
    expect(r.outside).toBe(2);
    expect(r.present).toBe(3);
    expect(r.range).toBeNull();
  });
});

describe('stale features and unscored games', () => {
  it('alerts on features older than their SLA at the passed-in time, and on features never materialised', () => {
    const now = Date.UTC(2016, 6, 4, 12);
    const r = staleFeatures(
      { now, lastUpdated: { fresh: now - 2 * HOUR, old: now - 30 * HOUR, slow: now - 30 * HOUR, never: null } },
      { staleness: { byFeature: { slow: 48 } } },
    );
    expect(r.map((x) => [x.subject, x.status])).toEqual([
      ['fresh', 'ok'],
      ['old', 'alert'],
      ['slow', 'ok'],
      ['never', 'alert'],
    ]);
    expect(r[1].value).toBeCloseTo(30, 12);
    expect(r[1].threshold).toBe(24);
    expect(r[3].explanation).toMatch(/never materialised/);
  });

  it('passes the unscored games through with their reasons: any warns, above 5% alerts', () => {
    const some = unscoredGames({ scored: 29, unscored: { 'no starting pitcher announced': 1, 'no odds': 0 } });
    expect(some.status).toBe('warn');
    expect(some.value).toBeCloseTo(1 / 30, 12);
    expect(some.explanation).toBe('1 of 30 games could not be scored: no starting pitcher announced (1)');
    expect(some.reasons).toEqual([{ reason: 'no starting pitcher announced', games: 1 }]);
    expect(unscoredGames({ scored: 10, unscored: { 'feature missing': 2, 'no odds': 3 } }).status).toBe('alert');
    expect(unscoredGames({ scored: 15, unscored: {} }).status).toBe('ok');
    expect(unscoredGames({ scored: 0, unscored: {} }).status).toBe('unknown');
  });

  it('the combined check lists the features with alerts and its share feeds the drift score', () => {
    const ref = { columns: { a: normals(1, 2430), b: normals(2, 2430), c: normals(3, 2430), d: normals(4, 2430) } };
    const cur = { columns: { a: withMissing(normals(5, 100), 0.5, 6), b: normals(7, 100, 50), c: normals(8, 100), d: normals(9, 100) } };
    const r = dataQuality(ref, cur, {}, { unscored: { scored: 100, unscored: {} } });
    expect(r.alertedFeatures).toEqual(['a', 'b']);
    expect(r.value).toBe(0.5);
    expect(r.status).toBe('alert');
    expect(r.unscored?.status).toBe('ok');
    expect(r.stale).toEqual([]);
    expect(() => dataQuality(ref, cur, { missing: { treshold: 0.2 } } as never)).toThrow(/missing/);
    const now = Date.UTC(2016, 6, 4);
    const viaMonitor = dataQualityMonitor().check(ref, {
      ...cur,
      unscored: { scored: 100, unscored: {} },
      freshness: { now, lastUpdated: { a: now - 48 * HOUR } },
    });
    expect(viaMonitor.stale.map((x) => x.status)).toEqual(['alert']);
    expect(viaMonitor.alertedFeatures).toEqual(r.alertedFeatures);
  });
});
