import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { deflatedSharpeOfBest } from '../../../src-workers/compute/stats';
import { studentTCdf, studentTQuantile, studentTTwoSided } from '../../../src-workers/compute/stats/studentT';
import { bestOfNOverfitting, pairedImprovement } from '../../../src-workers/compute/sweep/bestOfN';

// Reference numbers marked "scipy" come from test/fixtures/sweep/bestOfN.py (numpy + scipy 1.17).

describe("Student's t distribution", () => {
  it('matches printed t tables', () => {
    // Two-sided 5% critical values: 12.706 (1 df), 4.303 (2), 3.182 (3), 2.776 (4), 2.262 (9), 2.042 (30).
    const table: [number, number][] = [
      [1, 12.7062047],
      [2, 4.3026527],
      [3, 3.1824463],
      [4, 2.7764451],
      [9, 2.2621572],
      [30, 2.0422725],
    ];
    for (const [df, q] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 6);
    // With 1 df t is Cauchy: P(T ≤ 1) = ½ + atan(1)/π = 0.75 exactly.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    // With 2 df, P(T ≤ t) = ½ + t / (2√(2 + t²)): at t = 2, ½ + 2/(2√6).
    expect(studentTCdf(2, 2)).toBeCloseTo(0.5 + 1 / Math.sqrt(6), 12);
    expect(studentTTwoSided(0, 5)).toBeCloseTo(1, 12);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451, 6);
  });

  it('inverts its own CDF', () => {
    for (const df of [1, 3, 7, 40])
      for (const p of [0.01, 0.2, 0.5, 0.9, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
  });
});

describe('pairedImprovement', () => {
  it('gives the paired t-interval of a hand-computed case', () => {
    // Log loss (minimize) on 4 folds: default − best = 0.02, 0.01, 0.02, 0.01. Mean 0.015; every difference is
    // 0.005 from it, so sd = √(4·0.005²/3) = 0.005·√(4/3) and se = sd/√4 = 0.005/√3. t(0.975, 3) = 3.1824463
    // (table): half-width 3.1824463·0.005/√3. t = 0.015/(0.005/√3) = 3√3; the relative gain is 0.015 / 0.695.
    const r = pairedImprovement([0.7, 0.69, 0.71, 0.68], [0.68, 0.68, 0.69, 0.67], 'minimize');
    const half = (3.1824463 * 0.005) / Math.sqrt(3);
    expect(r.folds).toBe(4);
    expect(r.absolute).toBeCloseTo(0.015, 12);
    expect(r.relative).toBeCloseTo(0.015 / 0.695, 10);
    expect(r.ci[0]).toBeCloseTo(0.015 - half, 7);
    expect(r.ci[1]).toBeCloseTo(0.015 + half, 7);
    expect(r.pValue).toBeCloseTo(studentTTwoSided(3 * Math.sqrt(3), 3), 12);
    // The table's two-sided 2% and 1% critical values with 3 df, 4.541 and 5.841, bracket 3√3 ≈ 5.196: 0.01 < p < 0.02.
    expect(r.pValue!).toBeGreaterThan(0.01);
    expect(r.pValue!).toBeLessThan(0.02);
  });

  it('matches scipy on a maximized and a minimized objective', () => {
    // scipy: mean, mean/|mean default|, interval, ttest_rel p-value.
    const max = pairedImprovement([0.531, 0.548, 0.522, 0.56, 0.541], [0.544, 0.551, 0.53, 0.566, 0.539], 'maximize');
    expect(max.absolute).toBeCloseTo(0.005599999999999983, 12);
    expect(max.relative).toBeCloseTo(0.0103626943005181, 12);
    expect(max.ci[0]).toBeCloseTo(-0.0013466634338239651, 11);
    expect(max.ci[1]).toBeCloseTo(0.012546663433823931, 11);
    expect(max.pValue).toBeCloseTo(0.08879805140220519, 11);
    const min = pairedImprovement(
      [0.69, 0.684, 0.701, 0.677, 0.689, 0.693, 0.681, 0.688, 0.679, 0.695],
      [0.686, 0.685, 0.694, 0.676, 0.684, 0.69, 0.683, 0.681, 0.678, 0.691],
      'minimize',
    );
    expect(min.absolute).toBeCloseTo(0.0028999999999999694, 12);
    expect(min.relative).toBeCloseTo(0.004216955067616648, 12);
    expect(min.ci[0]).toBeCloseTo(0.0006771435992863769, 11);
    expect(min.ci[1]).toBeCloseTo(0.005122856400713562, 11);
    expect(min.pValue).toBeCloseTo(0.01618741363550455, 11);
  });

  it('orients the difference so positive is better', () => {
    // The "best" is worse by 0.01 on every fold of a minimized loss: −0.01, and a maximized accuracy the other way round.
    expect(pairedImprovement([0.5, 0.6], [0.51, 0.61], 'minimize').absolute).toBeCloseTo(-0.01, 12);
    expect(pairedImprovement([0.5, 0.6], [0.51, 0.61], 'maximize').absolute).toBeCloseTo(0.01, 12);
  });

  it('answers null where a statistic is undefined', () => {
    // One fold: a mean but no spread. Identical differences: the interval is the point, t = ∞, p = 0. All zero: 0/0.
    expect(pairedImprovement([0.7], [0.6], 'minimize')).toMatchObject({ ci: [null, null], pValue: null, folds: 1 });
    const same = pairedImprovement([0.7, 0.6], [0.6, 0.5], 'minimize');
    expect(same.ci[0]).toBeCloseTo(0.1, 12);
    expect(same.ci[1]).toBeCloseTo(0.1, 12);
    expect(same.pValue).toBe(0);
    expect(pairedImprovement([0.7, 0.6], [0.7, 0.6], 'minimize').pValue).toBeNull();
    expect(pairedImprovement([0, 0], [0.1, 0.1], 'maximize').relative).toBeNull();
    expect(() => pairedImprovement([0.7, 0.6], [0.7], 'minimize')).toThrow(BullpenError);
  });
});

describe('bestOfNOverfitting', () => {
  /** r[n][t] = 0.01·sin(0.37·t·(n+1) + n) + 0.002·(n+1), as in the scipy script. */
  const returns = (N: number, T: number) =>
    Array.from({ length: N }, (_, n) => Array.from({ length: T }, (_, t) => 0.01 * Math.sin(0.37 * t * (n + 1) + n) + 0.002 * (n + 1)));

  it('deflates the chosen trial’s Sharpe as the paper’s formula in scipy does', () => {
    // scipy (an independent implementation of Bailey & López de Prado's formula): SR 0.5706, SR0 0.3318, DSR 0.96321.
    // normalCdf is good to about 1e-7, so 6 decimals.
    const r = bestOfNOverfitting(returns(4, 60), 1);
    expect(r.sharpe).toBeCloseTo(0.5706440176626174, 12);
    expect(r.expectedMaxSharpe).toBeCloseTo(0.3318084690097727, 6);
    expect(r.deflatedSharpe).toBeCloseTo(0.963206455824913, 6);
    expect(r).toMatchObject({ trials: 4, days: 60, partitions: 16 });
  });

  it('agrees with deflatedSharpeOfBest when the chosen trial is the highest Sharpe, and is lower for another', () => {
    const series = returns(4, 60);
    const ofBest = deflatedSharpeOfBest(series);
    const chosen = bestOfNOverfitting(series, ofBest.best);
    expect(chosen.deflatedSharpe).toBeCloseTo(ofBest.deflatedSharpe, 12);
    const other = bestOfNOverfitting(series, (ofBest.best + 1) % 4);
    expect(other.deflatedSharpe!).toBeLessThan(chosen.deflatedSharpe!);
  });

  it('gives PBO 0 when one trial wins every period and 1 when the in-sample winner always loses out of sample', () => {
    // Trial 0 is trial 1 plus 0.5 on every day: the same sd and a higher mean in every subset of days, so the
    // in-sample best (trial 0) is the out-of-sample best in every split: logit > 0, PBO 0.
    const base = returns(1, 32)[0];
    expect(bestOfNOverfitting([base.map((v) => v + 0.5), base], 1).pbo).toBe(0);
    // A sums to exactly 0 over its 32 days (the second half mirrors the first) and B = −A. With 16 blocks of 2 days,
    // whichever is better in sample has out-of-sample sum −(in-sample sum): it is the worse one, or tied, out of sample.
    // Both give a logit ≤ 0, so every split counts as overfit: PBO 1.
    const half = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, -7, 9, 3];
    const a = [...half, ...half.map((v) => -v)];
    expect(bestOfNOverfitting([a, a.map((v) => -v)], 0).pbo).toBe(1);
  });

  it('uses fewer partitions on short series and answers null where a statistic is undefined', () => {
    // 20 days: at most 20/2 = 10 blocks, an even number: 10. 3 days: fewer than 2 partitions of 2 days, no PBO.
    expect(bestOfNOverfitting(returns(3, 20), 0).partitions).toBe(10);
    expect(bestOfNOverfitting(returns(3, 3), 0)).toMatchObject({ pbo: null, partitions: 0 });
    // One trial: no PBO (nothing to choose from); its deflated Sharpe is its probabilistic Sharpe (expected max 0).
    const one = bestOfNOverfitting(returns(1, 40), 0);
    expect(one.pbo).toBeNull();
    expect(one.expectedMaxSharpe).toBe(0);
  });

  it('refuses series of different lengths and an index outside them', () => {
    expect(() =>
      bestOfNOverfitting(
        [
          [1, 2, 3],
          [1, 2],
        ],
        0,
      ),
    ).toThrow(/same days/);
    expect(() => bestOfNOverfitting(returns(2, 10), 2)).toThrow(BullpenError);
  });
});
