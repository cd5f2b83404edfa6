import { describe, expect, it } from 'vitest';
import { gateResultSchema, validationChartsSchema, validationSummarySchema } from '../../../src-main/shared/results/validation';
import { gateNames, validationPolicySchema } from '../../../src-main/shared/validationPolicy';
import { tasks } from '../../../src-workers/tasks';
import { binomialUpperTail, computeGates, type GateComputation } from '../../../src-workers/compute/validation';
import { MLB_GAME_DAYS_PER_YEAR } from '../../../src-workers/compute/backtest';
import { type GameRow, april, evidenceOf } from './evidenceFixtures';

const ANNUAL = Math.sqrt(MLB_GAME_DAYS_PER_YEAR);

function gate(out: GateComputation, name: (typeof gateNames)[number]) {
  const g = out.gates.find((x) => x.name === name);
  if (!g) throw new Error(`gate ${name} missing from ${out.gates.map((x) => x.name).join(', ')}`);
  return g;
}

/**
 * Ten games, one a day, at even money (2.0 both sides, so the vig-free market says 0.5), the model at 0.6 on
 * the home side of every one; home won 6 of 10: W W L W L W L W W L.
 */
const luckyOutcomes = [1, 1, 0, 1, 0, 1, 0, 1, 1, 0] as const;
const lucky: GameRow[] = luckyOutcomes.map((y, i) => ({ date: april(i + 1), y, p: 0.6, home: 2, away: 2 }));

describe('business and significance gates under a flat plan (a lucky ROI)', () => {
  const out = computeGates(evidenceOf(lucky, { staking: { strategy: 'flat', stake: 0.01 }, gates: { bets: { min: 10 } } }));

  it('passes roi on +20% but fails roiSignificance because the 95% bootstrap interval includes 0', () => {
    // Flat 0.01 on home every game: profit 6·0.01·(2−1) − 4·0.01 = 0.02 on 10·0.01 = 0.10 staked → ROI 0.2 ≥ 0.03.
    const roi = gate(out, 'roi');
    expect(roi.value).toBeCloseTo(0.2, 12);
    expect(roi.passed).toBe(true);
    // A resample's ROI is 2·W*/10 − 1 with W* ~ Binomial(10, 0.6). P(W* ≤ 2) = 0.0123 and P(W* ≤ 3) = 0.0548, so the
    // 2.5% quantile sits at W* = 3 → 2·0.3 − 1 = −0.4; P(W* ≤ 8) = 0.9536 and P(W* ≤ 9) = 0.9940, so the 97.5% quantile
    // sits at W* = 9 → +0.8. (Of 2,000 seeded resamples about 734 have W* ≤ 5, i.e. ROI ≤ 0.)
    const sig = gate(out, 'roiSignificance');
    expect(sig.details.low).toBeCloseTo(-0.4, 10);
    expect(sig.details.high).toBeCloseTo(0.8, 10);
    expect(sig.value).toBeCloseTo(-0.4, 10);
    expect(sig.threshold).toBe(0);
    expect(sig.passed).toBe(false);
    expect(sig.explanation).toBe('ROI +20.0% but its 95% bootstrap interval [−40.0%, +80.0%] includes 0: the profit may be luck');
    expect(out.charts.roi).toEqual({ value: roi.value, low: sig.details.low, high: sig.details.high, level: 0.95 });
  });

  it('annualizes the Sharpe of daily returns and measures drawdown as a fraction of the peak', () => {
    // Daily returns on the fixed starting bankroll 1: six +0.01, four −0.01 → mean 0.002; deviations +0.008 (×6) and
    // −0.012 (×4): Σd² = 6·6.4e-5 + 4·1.44e-4 = 9.6e-4, sample variance 9.6e-4/9 → daily Sharpe 0.002/√(9.6e-4/9).
    const daily = 0.002 / Math.sqrt(9.6e-4 / 9);
    expect(daily).toBeCloseTo(0.193649, 6);
    expect(gate(out, 'sharpe').value).toBeCloseTo(daily * ANNUAL, 10);
    expect(gate(out, 'sharpe').passed).toBe(true);
    // Bankroll 1.01 1.02 1.01 1.02 1.01 1.02 1.01 1.02 1.03 1.02: the deepest fall is 1.02 → 1.01, 0.01/1.02 of the peak
    // (1.03 → 1.02 is 0.01/1.03, less). The same bets at 1 unit: 1 2 1 2 1 2 1 2 3 2 units, worst fall 1 unit.
    const dd = gate(out, 'maxDrawdown');
    expect(dd.value).toBeCloseTo(0.01 / 1.02, 12);
    expect(dd.passed).toBe(true);
    expect(dd.details.flatDrawdownUnits).toBeCloseTo(1, 12);
    expect(out.charts.equity.flatUnits).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 3, 2]);
    expect(out.charts.equity.dates).toEqual(lucky.map((r) => r.date));
  });

  it('counts bets against the minimum', () => {
    expect(gate(out, 'bets')).toMatchObject({ value: 10, threshold: 10, passed: true });
    const strict = computeGates(evidenceOf(lucky, { staking: { strategy: 'flat' } }));
    expect(gate(strict, 'bets')).toMatchObject({ value: 10, threshold: 300, passed: false });
    expect(gate(strict, 'bets').explanation).toContain('fewer than the 300 needed');
  });

  it('returns results that are exactly the stored report shapes, and the same ones every time', () => {
    for (const g of out.gates) expect(gateResultSchema.parse(g)).toEqual(g);
    expect(validationChartsSchema.parse(out.charts)).toEqual(out.charts);
    expect(validationSummarySchema.parse(out.summary)).toEqual(out.summary);
    expect(out.gates.map((g) => g.name)).toEqual(gateNames);
    expect(out.disabledGates).toEqual([]);
    expect(computeGates(evidenceOf(lucky, { staking: { strategy: 'flat', stake: 0.01 }, gates: { bets: { min: 10 } } }))).toEqual(out);
  });
});

describe('maximum drawdown under fractional Kelly on a hand-built sequence', () => {
  // p 0.7 at 2.0/2.0: Kelly (0.7·2 − 1)/(2 − 1) = 0.4, × 0.25 = 0.10, capped at 0.05 of the day-start bankroll;
  // edge 0.7 − 0.5 = 0.2 ≥ 0.02. Days: 04-01 W; 04-02 L, L (both staked on the day-start bankroll); 04-03 W; 04-04 L.
  const rows: GameRow[] = [
    { date: april(1), y: 1, p: 0.7, home: 2, away: 2 },
    { date: april(2), y: 0, p: 0.7, home: 2, away: 2 },
    { date: april(2), y: 0, p: 0.7, home: 2, away: 2 },
    { date: april(3), y: 1, p: 0.7, home: 2, away: 2 },
    { date: april(4), y: 0, p: 0.7, home: 2, away: 2 },
  ];
  const out = computeGates(evidenceOf(rows, { gates: { maxDrawdown: { max: 0.1 } } }));

  it('is the largest fall as a fraction of the running peak, one point per game day', () => {
    // 1 → +0.05 = 1.05 (peak) → two losses of 0.05·1.05 = 0.0525 → 0.945, 0.105/1.05 = 0.10 under the peak
    // → +0.05·0.945 = 0.99225 (0.055 under) → −0.05·0.99225 = 0.9426375, 1 − 0.9426375/1.05 = 0.10225 under.
    expect(out.charts.equity.bankroll.map((b) => Number(b!.toFixed(10)))).toEqual([1.05, 0.945, 0.99225, 0.9426375]);
    const dd = out.charts.equity.drawdown;
    [0, 0.1, 0.055, 0.10225].forEach((want, t) => expect(dd[t]).toBeCloseTo(want, 12));
    const g = gate(out, 'maxDrawdown');
    expect(g.value).toBeCloseTo(0.10225, 12);
    expect(g.passed).toBe(false);
    expect(g.explanation).toMatch(/^Maximum drawdown 10\.2% of the peak bankroll is beyond the 10\.0% limit/);
    // The same bets at 1 unit: +1, −2, +1, −1 → 1, −1, 0, −1; worst fall 1 → −1 = 2 units.
    expect(out.charts.equity.flatUnits).toEqual([1, -1, 0, -1]);
    expect(g.details.flatDrawdownUnits).toBe(2);
    expect(out.summary.maxDrawdown).toBeCloseTo(0.10225, 12);
  });

  it('computes ROI on the stakes Kelly actually placed and Sharpe on day-start returns', () => {
    // Staked 0.05 + 2·0.0525 + 0.04725 + 0.0496125 = 0.2518625; profit 0.9426375 − 1 = −0.0573625.
    expect(gate(out, 'roi').value).toBeCloseTo(-0.0573625 / 0.2518625, 12);
    expect(gate(out, 'roi').passed).toBe(false);
    // Day returns +0.05, −0.10, +0.05, −0.05: mean −0.0125; Σd² = 0.0625² ·2 + 0.0875² + 0.0375² = 0.016875,
    // sample variance 0.005625, sd 0.075 → daily Sharpe −1/6, annualized −√183/6.
    expect(gate(out, 'sharpe').value).toBeCloseTo(-ANNUAL / 6, 10);
    expect(gate(out, 'sharpe').passed).toBe(false);
    // A loss is not called a lucky profit.
    expect(gate(out, 'roiSignificance').passed).toBe(false);
    expect(gate(out, 'roiSignificance').explanation).not.toContain('profit may be luck');
  });

  it('clamps the drawdown at 1 when the bankroll is wiped out', () => {
    // Flat stakes of the whole starting bankroll (1.0): the first loss leaves 0, the second −1; the fraction would be 2.
    const ruin = computeGates(
      evidenceOf(
        [
          { date: april(1), y: 0, p: 0.7, home: 2, away: 2 },
          { date: april(2), y: 0, p: 0.7, home: 2, away: 2 },
        ],
        { staking: { strategy: 'flat', stake: 1 } },
      ),
    );
    expect(gate(ruin, 'maxDrawdown').value).toBe(1);
    expect(ruin.charts.equity.drawdown).toEqual([1, 1]);
    expect(gate(ruin, 'maxDrawdown').explanation).toContain('wiped out');
  });
});

describe('accuracy and its exact binomial test on a tiny case', () => {
  // Favoured side = home when p ≥ 0.5 (0.5 counts as home). The first eight are right, the last two wrong: 8 of 10.
  const ps = [0.7, 0.3, 0.5, 0.6, 0.8, 0.2, 0.65, 0.4, 0.55, 0.45];
  const ys = [1, 0, 1, 1, 1, 0, 1, 0, 0, 1] as const;
  const rows: GameRow[] = ps.map((p, i) => ({ date: april(i + 1), y: ys[i], p, home: 1.9, away: 1.9 }));
  const policy = (alpha: number) => ({ gates: { accuracy: { min: 0.75, baseline: 0.5 }, accuracySignificance: { alpha } } });

  it('fails at alpha 0.05 when P(X ≥ 8 | 10, 0.5) = 56/1024 = 0.0547', () => {
    // C(10,8) + C(10,9) + C(10,10) = 45 + 10 + 1 = 56 outcomes of 2¹⁰ = 1024.
    const out = computeGates(evidenceOf(rows, policy(0.05)));
    expect(gate(out, 'accuracy')).toMatchObject({ value: 0.8, threshold: 0.75, passed: true });
    const sig = gate(out, 'accuracySignificance');
    expect(sig.value).toBeCloseTo(56 / 1024, 12);
    expect(sig.passed).toBe(false);
    expect(sig.explanation).toContain('8 of 10');
    expect(sig.explanation).toContain('p = 0.055 ≥ 0.05');
    expect(gate(computeGates(evidenceOf(rows, policy(0.06))), 'accuracySignificance').passed).toBe(true);
  });

  it('gives exact tails, and tails that add up on thousands of games', () => {
    expect(binomialUpperTail(9, 10, 0.5)).toBeCloseTo(11 / 1024, 14);
    expect(binomialUpperTail(10, 10, 0.55)).toBeCloseTo(0.55 ** 10, 14);
    expect(binomialUpperTail(0, 10, 0.55)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.55)).toBe(0);
    // Symmetry at p = 0.5: P(X ≥ k) + P(X ≥ n − k + 1) = P(X ≥ k) + P(X ≤ k − 1) = 1, here on a season of games
    // (gammaln of 2431 ≈ 1.7e4 carries about 1e-12 of relative error into each tail).
    expect(binomialUpperTail(1300, 2430, 0.5) + binomialUpperTail(1131, 2430, 0.5)).toBeCloseTo(1, 10);
    // P(X ≥ 1) = 1 − 0.45^3 for three games at 0.55.
    expect(binomialUpperTail(1, 3, 0.55)).toBeCloseTo(1 - 0.45 ** 3, 14);
  });
});

/**
 * Four games at 1.6/2.4: implied 0.625 and 0.41667, so the vig-free market says home 0.625/1.041667 = 0.6 for all.
 * The model says 0.7, 0.4, 0.8, 0.5 and outcomes are 1, 0, 1, 1.
 */
const sharp: GameRow[] = [
  { date: april(1), y: 1, p: 0.7, home: 1.6, away: 2.4 },
  { date: april(2), y: 0, p: 0.4, home: 1.6, away: 2.4 },
  { date: april(3), y: 1, p: 0.8, home: 1.6, away: 2.4 },
  { date: april(4), y: 1, p: 0.5, home: 1.6, away: 2.4 },
];
const top = ['home_runs_today', 'elo_diff', 'starter_era', 'bullpen_rest', 'park_factor', 'temperature'];

describe('model against the closing market, and the leakage sentinel', () => {
  const out = computeGates(evidenceOf(sharp, {}, { topFeatures: top }));

  it('measures model − market log loss on the paired games with its standard error', () => {
    // Per game, model − market: ln(0.6/0.7), ln(0.4/0.6), ln(0.6/0.8), ln(0.6/0.5) (the y = 0 game scores 1 − p).
    const diffs = [Math.log(6 / 7), Math.log(2 / 3), Math.log(3 / 4), Math.log(6 / 5)];
    // Their mean is ln((6/7)(2/3)(3/4)(6/5))/4 = ln(216/420)/4 = ln(18/35)/4 ≈ −0.1662.
    const mean = Math.log(18 / 35) / 4;
    const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / 3);
    const g = gate(out, 'marketLogLoss');
    expect(g.value).toBeCloseTo(mean, 12);
    expect(g.passed).toBe(true); // better than the market is within "at most 0.02 worse"
    expect(g.details.standardError).toBeCloseTo(sd / 2, 12);
    expect(g.details.marketLogLoss).toBeCloseTo((3 * -Math.log(0.6) - Math.log(0.4)) / 4, 12);
    expect(g.explanation).toContain('0.1662 better');
  });

  it('flags suspected leakage when the model beats the market and names the top features to inspect', () => {
    // Log-loss advantage −ln(18/35)/4 = 0.1662 > 0.005; accuracy 4/4 against the market's 3/4 (it always says home): +25 points > 2.
    const g = gate(out, 'leakage');
    expect(g.passed).toBe(false);
    expect(g.value).toBeCloseTo(-Math.log(18 / 35) / 4, 12);
    expect(g.details.accuracyAdvantage).toBeCloseTo(0.25, 12);
    expect(g.explanation).toMatch(/^suspected leakage: log loss 0\.4459 beats the closing market's 0\.6122 by 0\.1662/);
    expect(g.explanation).toContain("accuracy 100.0% beats the closing market's 75.0% by 25.0%");
    expect(g.details.features).toEqual(top.slice(0, 5));
    expect(g.explanation).toContain('home_runs_today, elo_diff, starter_era, bullpen_rest and park_factor');
    expect(g.explanation).not.toContain('temperature');
  });

  it('flags suspected leakage from the guard alone and names the guard’s features', () => {
    // The model equals the market (0.6 everywhere): no advantage, but the guard found a feature computed from the result.
    const fair = sharp.map((r) => ({ ...r, p: 0.6 }));
    const guarded = computeGates(
      evidenceOf(fair, {}, { topFeatures: top, leakageGuard: { passed: false, leakingFeatures: ['home_final_score'] } }),
    );
    const g = gate(guarded, 'leakage');
    expect(g.passed).toBe(false);
    expect(g.value).toBeCloseTo(0, 12);
    expect(g.explanation).toBe('suspected leakage: the leakage guard flagged home_final_score');
    expect(g.details.features).toEqual(['home_final_score']);
    expect(g.details.featuresFrom).toBe('leakage guard');
    const clean = gate(computeGates(evidenceOf(fair, {}, { topFeatures: top })), 'leakage');
    expect(clean.passed).toBe(true);
    expect(clean.explanation).toMatch(/^No sign of leakage/);
  });
});

describe('calibration (ECE) by hand', () => {
  // Bin [0.6, 0.7): p 0.62, 0.64, 0.66, outcomes 1, 1, 0 → mean 0.64, observed 2/3, gap 0.02667 on 3 games.
  // Bin [0.3, 0.4): p 0.3, outcome 0 → gap 0.3 on 1 game. ECE = (3·(2/3 − 0.64) + 0.3)/4 = (0.08 + 0.3)/4 = 0.095.
  const rows: GameRow[] = [
    { date: april(1), y: 1, p: 0.62, home: 1.9, away: 1.9 },
    { date: april(2), y: 1, p: 0.64, home: 1.9, away: 1.9 },
    { date: april(3), y: 0, p: 0.66, home: 1.9, away: 1.9 },
    { date: april(4), y: 0, p: 0.3, home: 1.9, away: 1.9 },
  ];

  it('passes at maxEce 0.10 and fails at 0.09, with the reliability bins in the chart', () => {
    const out = computeGates(evidenceOf(rows, { gates: { calibration: { maxEce: 0.1 } } }));
    expect(gate(out, 'calibration').value).toBeCloseTo(0.095, 12);
    expect(gate(out, 'calibration').passed).toBe(true);
    expect(gate(computeGates(evidenceOf(rows, { gates: { calibration: { maxEce: 0.09 } } })), 'calibration').passed).toBe(false);
    const bins = out.charts.calibration;
    expect(bins).toHaveLength(10);
    expect(bins[6].count).toBe(3);
    expect(bins[6].meanPredicted).toBeCloseTo(0.64, 12);
    expect(bins[6].observedRate).toBeCloseTo(2 / 3, 12);
    expect(bins[3]).toMatchObject({ count: 1, observedRate: 0 });
    expect(bins[0]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
  });
});

describe('policy switches and values that cannot be measured', () => {
  it('leaves a gate with enabled: false out of the gates and lists it as disabled', () => {
    const out = computeGates(evidenceOf(lucky, { gates: { roi: { enabled: false }, overfitting: { enabled: false } } }));
    expect(out.gates.map((g) => g.name)).toEqual(gateNames.filter((n) => n !== 'roi' && n !== 'overfitting'));
    expect(out.disabledGates).toEqual(['roi', 'overfitting']);
    // The summary still carries the plan's ROI: a disabled gate is not judged, but the number is still shown.
    expect(out.summary.roi).not.toBeNull();
  });

  it('fails every gate that needs prices, bets or a CV, saying why, when no game has prices', () => {
    const unpriced = lucky.map((r) => ({ ...r, home: Number.NaN, away: Number.NaN }));
    const out = computeGates(evidenceOf(unpriced));
    for (const name of ['roi', 'maxDrawdown', 'sharpe', 'roiSignificance', 'overfitting'] as const) {
      const g = gate(out, name);
      expect(g, name).toMatchObject({ value: null, passed: false });
      expect(g.explanation, name).toContain('cannot be measured: ');
      expect(g.explanation, name).toContain('no evaluation game has both closing prices');
    }
    for (const name of ['marketLogLoss', 'leakage'] as const) {
      expect(gate(out, name)).toMatchObject({ value: null, passed: false });
      expect(gate(out, name).explanation).toContain('cannot be compared with the market');
    }
    expect(gate(out, 'featureStability').explanation).toContain('CV with at least 2 folds');
    expect(gate(out, 'bets')).toMatchObject({ value: 0, passed: false });
    // Accuracy needs no prices: 6 of 10.
    expect(gate(out, 'accuracy').value).toBeCloseTo(0.6, 12);
    expect(out.summary).toMatchObject({
      games: 10,
      pricedGames: 0,
      bets: 0,
      roi: null,
      sharpe: null,
      maxDrawdown: null,
      marketLogLoss: null,
    });
    for (const g of out.gates) expect(gateResultSchema.parse(g)).toEqual(g);
  });

  it('fails the plan gates when the plan finds no bet, rather than passing on zeros', () => {
    // p 0.51 at 2.0/2.0: edge 0.01 < 0.02 and Kelly needs the same edge, so the default plan bets nothing.
    const out = computeGates(evidenceOf(lucky.map((r) => ({ ...r, p: 0.51 }))));
    expect(gate(out, 'maxDrawdown')).toMatchObject({ value: null, passed: false });
    expect(gate(out, 'maxDrawdown').explanation).toContain('placed no bet on 10 priced games');
    expect(gate(out, 'sharpe').passed).toBe(false);
  });
});

describe('the validationGates worker task', () => {
  const ctx = { progress: () => {}, throwIfCancelled: () => {}, cancelled: () => false, pause: () => {} };

  it('checks the evidence, fills in the policy defaults and answers with computeGates', async () => {
    const evidence = evidenceOf(lucky);
    const sent = { ...evidence, policy: { staking: { strategy: 'flat' as const } } };
    const parsed = tasks.validationGates.payload.parse(sent);
    expect(parsed.policy.gates.roi.min).toBe(0.03);
    const result = await tasks.validationGates.run(parsed, ctx);
    expect(result.value).toEqual(computeGates({ ...evidence, policy: validationPolicySchema.parse({ staking: { strategy: 'flat' } }) }));
    const plain = { ...evidence, games: { ...evidence.games, label: Array.from(evidence.games.label) } };
    expect(tasks.validationGates.payload.safeParse(plain).success).toBe(false);
    expect(tasks.validationGates.payload.safeParse({ ...evidence, sweepTrials: 0 }).success).toBe(false);
    expect(tasks.validationGates.payload.safeParse({ ...evidence, policy: { gates: { acuracy: {} } } }).success).toBe(false);
  });
});
