import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { accuracy, auc, brier, ece, logLoss, marketComparison, modelMetrics, reliabilityCurve } from '../../../src-workers/compute/metrics';

describe('classification metrics on hand-computed fixtures', () => {
  it('log loss is the mean negative log-likelihood', () => {
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo((-Math.log(0.8) - Math.log(0.7)) / 2, 12);
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(0.2899092476, 9);
  });

  it('log loss stays finite for a confident miss by clipping', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('Brier is the mean squared probability error', () => {
    expect(brier([1, 0], [0.8, 0.3])).toBeCloseTo(0.065, 12);
  });

  it('accuracy counts p ≥ 0.5 as a pick of the positive outcome', () => {
    expect(accuracy([1, 0, 1, 0], [0.5, 0.49, 0.2, 0.9])).toBe(0.5);
  });

  it('AUC counts tied scores as one half (7/9 on the tie fixture)', () => {
    expect(auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.4, 0.8, 0.8, 0.9])).toBeCloseTo(7 / 9, 12);
    expect(auc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(auc([1, 1, 0], [0.9, 0.8, 0.1])).toBe(1);
  });

  it('AUC is NaN when only one class is present', () => {
    expect(auc([1, 1], [0.3, 0.6])).toBeNaN();
  });

  it('ECE weights each bin gap by its share of games (0.225 on the two-bin fixture)', () => {
    const y = [0, 1, 1, 1];
    const p = [0.2, 0.3, 0.7, 0.9];
    expect(ece(y, p, 2)).toBeCloseTo(0.225, 12);
    const curve = reliabilityCurve(y, p, 2);
    expect(curve[0]).toMatchObject({ lower: 0, upper: 0.5, count: 2, observedRate: 0.5 });
    expect(curve[0].meanPredicted).toBeCloseTo(0.25, 12);
    expect(curve[1].meanPredicted).toBeCloseTo(0.8, 12);
  });

  it('the reliability curve puts p = 1 in the last bin and leaves empty bins NaN', () => {
    const curve = reliabilityCurve([1, 0], [1, 0], 4);
    expect(curve.map((b) => b.count)).toEqual([1, 0, 0, 1]);
    expect(curve[1].observedRate).toBeNaN();
  });

  it('refuses bad labels, probabilities and lengths with input errors naming the row', () => {
    const bad = [
      () => logLoss([1, 2], [0.5, 0.5]),
      () => brier([1], [1.2]),
      () => auc([1, 0], [0.5]),
      () => accuracy([], []),
      () => ece([1], [0.5], 0),
    ];
    for (const fn of bad) {
      expect(fn).toThrow(BullpenError);
    }
    expect(() => logLoss([1, 2], [0.5, 0.5])).toThrow(/row 1/);
  });

  it('modelMetrics returns the convention names', () => {
    expect(Object.keys(modelMetrics([1, 0], [0.6, 0.4])).sort()).toEqual(['accuracy', 'auc', 'brier', 'ece', 'games', 'logLoss']);
  });
});

const labelsAndScores = fc
  .array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 20 })), { minLength: 2, maxLength: 60 })
  .map((rows) => ({ y: rows.map((r) => r[0]), p: rows.map((r) => r[1] / 20) }));

describe('AUC properties (fast-check)', () => {
  it('equals the brute-force pair count with ties as one half', () => {
    fc.assert(
      fc.property(labelsAndScores, ({ y, p }) => {
        let pairs = 0;
        let wins = 0;
        for (let i = 0; i < y.length; i++)
          for (let j = 0; j < y.length; j++)
            if (y[i] === 1 && y[j] === 0) {
              pairs++;
              wins += p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0;
            }
        const a = auc(y, p);
        if (pairs === 0) expect(a).toBeNaN();
        else expect(a).toBeCloseTo(wins / pairs, 12);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('reversing the scores gives 1 − AUC', () => {
    fc.assert(
      fc.property(labelsAndScores, ({ y, p }) => {
        const a = auc(y, p);
        if (Number.isNaN(a)) return;
        expect(
          auc(
            y,
            p.map((q) => 1 - q),
          ),
        ).toBeCloseTo(1 - a, 12);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('ECE is zero for perfectly calibrated bins and never above 1', () => {
    fc.assert(
      fc.property(labelsAndScores, ({ y, p }) => {
        const e = ece(y, p);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200, seed: 13 },
    );
    // Each bin's mean prediction equals its observed rate: 0.25 with one hit in four, 0.75 with three in four.
    expect(ece([1, 0, 0, 0, 1, 1, 1, 0], [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])).toBeCloseTo(0, 12);
  });
});

describe('marketComparison', () => {
  it('scores the vig-free market on the same games as the model, skipping games without prices', () => {
    const y = [1, 0, 1, 1];
    const model = [0.6, 0.45, 0.55, 0.7];
    // -150/+130 → implied 0.6 / 0.43478; even money; missing; 2.5/1.6
    const home = [1 + 100 / 150, 1.952381, Number.NaN, 2.5];
    const away = [2.3, 1.952381, 1.9, 1.6];
    const c = marketComparison(y, model, home, away);
    expect(c.games).toBe(3);
    const fair0 = 0.6 / (0.6 + 1 / 2.3);
    const fair3 = 0.4 / (0.4 + 0.625);
    expect(c.market.logLoss).toBeCloseTo((-Math.log(fair0) - Math.log(0.5) - Math.log(fair3)) / 3, 9);
    expect(c.model.logLoss).toBeCloseTo((-Math.log(0.6) - Math.log(0.55) - Math.log(0.7)) / 3, 9);
    expect(c.logLossDelta).toBeCloseTo(c.model.logLoss - c.market.logLoss, 12);
    // Market picks: home (fair0 > .5), even (0.5 → home pick, lost), away (fair3 < .5, lost): 1 of 3.
    expect(c.market.accuracy).toBeCloseTo(1 / 3, 12);
    expect(c.meanOverround).toBeCloseTo((0.6 + 1 / 2.3 - 1 + 2 / 1.952381 - 1 + 0.4 + 0.625 - 1) / 3, 9);
  });
});
