import { describe, expect, it } from 'vitest';
import { gateResultSchema } from '../../../src-main/shared/results/validation';
import { validationPolicySchema } from '../../../src-main/shared/validationPolicy';
import { MLB_GAME_DAYS_PER_YEAR } from '../../../src-workers/compute/backtest';
import { computeGates, overfittingGate, pboPartitions, type OverfittingInput } from '../../../src-workers/compute/validation';
import { featureStabilityGate } from '../../../src-workers/compute/validation/featureStabilityGate';
import { type GameRow, april, evidenceOf, gamesOf } from './evidenceFixtures';

const defaults = validationPolicySchema.parse({}).gates;

describe('feature-importance stability on three folds', () => {
  // Gains of features a, b, c, d in three folds (each fold's total is 100, so gains are also shares):
  //   F1 40 30 20 10   ranks (1 = most) a1 b2 c3 d4
  //   F2 35 40 15 10                    b1 a2 c3 d4
  //   F3 50 20 25  5                    a1 c2 b3 d4
  // Spearman with no ties is 1 − 6Σd²/(n(n² − 1)), n = 4 → 1 − Σd²/10:
  //   F1–F2: d = (1, −1, 0, 0), Σd² = 2 → 0.8;  F1–F3: d = (0, 1, −1, 0) → 0.8;  F2–F3: d = (−1, 2, −1, 0), Σd² = 6 → 0.4.
  // Mean (0.8 + 0.8 + 0.4)/3 = 2/3.
  const importance = {
    features: ['a', 'b', 'c', 'd'],
    foldGains: [
      [40, 30, 20, 10],
      [35, 40, 15, 10],
      [50, 20, 25, 5],
    ],
  };

  it('gates the mean pairwise Spearman correlation: 2/3 passes 0.6 and fails 0.7', () => {
    const pass = featureStabilityGate(importance, { ...defaults.featureStability, min: 0.6, topK: 2 });
    expect(pass.gate.value).toBeCloseTo(2 / 3, 12);
    expect(pass.gate.passed).toBe(true);
    const fail = featureStabilityGate(importance, { ...defaults.featureStability, min: 0.7, topK: 2 });
    expect(fail.gate.passed).toBe(false);
    expect(fail.gate.explanation).toContain('mean pairwise Spearman 0.67 is below 0.70');
  });

  it('reports, without gating, the share of the top k in every fold’s top k', () => {
    // Mean shares: a (0.40 + 0.35 + 0.50)/3 = 0.417, b 0.30, c 0.20, d 0.083 → top 2 = a, b.
    // Fold top 2s: F1 {a, b}, F2 {b, a}, F3 {a, c}: a is in all three, b misses F3 → share 1/2.
    const { gate, chart } = featureStabilityGate(importance, { ...defaults.featureStability, min: 0.6, topK: 2 });
    expect(gate.details).toMatchObject({ topK: 2, topKShare: 0.5, stableFeatures: ['a'], unstableFeatures: ['b'], folds: 3, pairs: 3 });
    expect(gate.explanation).toContain("1 of the top 2 features is in every fold's top 2 (reported, not gated)");
    // The chart: per fold, the rank of a and of b.
    expect(chart).toEqual({
      features: ['a', 'b'],
      ranksByFold: [
        [1, 2],
        [2, 1],
        [1, 3],
      ],
    });
  });

  it('counts a fold pair with an undefined correlation (all gains equal) as 0', () => {
    // F1–F2 is 1 (same order); F3 grew no split, so both pairs with it are undefined → (1 + 0 + 0)/3.
    const g = featureStabilityGate(
      {
        features: ['a', 'b', 'c'],
        foldGains: [
          [3, 2, 1],
          [6, 4, 2],
          [0, 0, 0],
        ],
      },
      defaults.featureStability,
    );
    expect(g.gate.value).toBeCloseTo(1 / 3, 12);
    expect(g.gate.details.undefinedPairs).toBe(2);
  });

  it('fails, asking for a CV with at least 2 folds, when there is no importance or a single fold', () => {
    for (const imp of [null, { features: ['a', 'b'], foldGains: [[1, 2]] }]) {
      const g = featureStabilityGate(imp, defaults.featureStability).gate;
      expect(g).toMatchObject({ value: null, passed: false });
      expect(g.explanation).toMatch(
        /^Feature-importance stability cannot be measured: it needs the gain importances of a CV with at least 2 folds/,
      );
    }
  });
});

/** The plan's own returns on 8 days: X alternates ±0.01; trials are X shifted by a constant. */
const X = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01];

function input(over: Partial<OverfittingInput>): OverfittingInput {
  return {
    trialReturns: [],
    trialNames: [],
    plan: 0,
    planBets: 100,
    sweepTrials: 1,
    pathSharpesDaily: [],
    policy: defaults.overfitting,
    ...over,
  };
}

describe('overfitting: deflated Sharpe and PBO on hand-built daily returns', () => {
  // flat = X − 0.005, edge = X, kelly (the plan) = X + 0.005: same spread, so kelly's Sharpe beats the others on
  // every subset of days and CSCV's in-sample best (kelly) is also out-of-sample best in every split → PBO 0.
  // Kelly: values 0.015/−0.005, mean 0.005, deviations ±0.01, sample sd √(8·1e-4/7) → daily Sharpe 0.5·√(7/8) = 0.467707;
  // skewness 0, kurtosis (non-excess) 1 (a symmetric two-point distribution). Strategy Sharpes −s, 0, s → sample
  // variance V = s² = 0.21875. With N = 3 tries the luck benchmark is
  //   SR0 = √V·((1 − γ)Φ⁻¹(1 − 1/3) + γΦ⁻¹(1 − 1/(3e))) = 0.467707·(0.422784·0.430727 + 0.577216·1.161957) = 0.398863,
  // and DSR = Φ((s − SR0)·√(T − 1)/√(1 − 0·s + (1 − 1)/4·s²)) = Φ(0.068844·√7) = Φ(0.182145) = 0.572266.
  const shifted = (c: number) => Float64Array.from(X, (x) => x + c);
  const trials = [shifted(-0.005), shifted(0), shifted(0.005)];
  const base = { trialReturns: trials, trialNames: ['flat', 'edge', 'kelly'], plan: 2 };

  it('reports DSR 0.572 and PBO 0, so the gate fails at the 0.95 default and passes at 0.5', () => {
    const g = overfittingGate(input(base));
    expect(g.value).toBeCloseTo(0.572266, 5);
    expect(g.details.pbo).toBe(0);
    expect(g.details.pboPartitions).toBe(4); // 8 days → 4 partitions of 2 days, C(4, 2) = 6 splits
    expect(g.details.pboCombinations).toBe(6);
    expect(g.details.sharpeVariance).toBeCloseTo(0.21875, 12);
    expect(g.details.expectedMaxSharpe).toBeCloseTo(0.398863 * Math.sqrt(MLB_GAME_DAYS_PER_YEAR), 4);
    expect(g.details.probabilisticSharpe).toBeCloseTo(0.892038, 5); // Φ(0.467707·√7) = Φ(1.237437)
    expect(g.passed).toBe(false);
    expect(g.explanation).toContain('Deflated Sharpe 0.57 after 3 tries');
    expect(g.explanation).toContain('is below 0.95, and PBO 0.00 over flat, edge and kelly is within 0.50');
    const lenient = overfittingGate(input({ ...base, policy: { ...defaults.overfitting, minDeflatedSharpe: 0.5 } }));
    expect(lenient.passed).toBe(true);
    expect(gateResultSchema.parse(lenient)).toEqual(lenient);
  });

  it('deflates harder when the model came out of a sweep: 10 trials each → 30 tries', () => {
    // SR0 = 0.467707·(0.422784·Φ⁻¹(1 − 1/30) + 0.577216·Φ⁻¹(1 − 1/(30e))) = 0.969740 → Φ((0.467707 − 0.969740)·√7) = Φ(−1.328255) = 0.092047.
    const g = overfittingGate(input({ ...base, sweepTrials: 10 }));
    expect(g.details.trials).toBe(30);
    expect(g.value).toBeCloseTo(0.092047, 5);
  });

  it('takes the Sharpe spread from the CPCV paths when they exist', () => {
    // Paths with daily Sharpes 0.4 and 0.6: sample variance 0.02 (instead of the strategies' 0.21875).
    const g = overfittingGate(input({ ...base, pathSharpesDaily: [0.4, 0.6] }));
    expect(g.details.sharpeVariance).toBeCloseTo(0.02, 12);
    expect(g.details.sharpeVarianceFrom).toBe('cpcv paths');
  });

  it('fails on PBO 1 when the in-sample winner always loses out of sample', () => {
    // Two trials A = X + s_b and B = X − s_b, with shifts per 2-day partition s = (4, 2, −1, −5)·0.001 summing to 0.
    // Any two partitions' shifts sum to −(the other two's) and never to 0, so whichever trial has the higher mean in
    // sample has the lower one out of sample. Within a partition X is ±0.01, so B's values are A's negated: equal
    // spread, opposite mean → opposite Sharpe. Every one of the 6 splits ranks the winner last: PBO = 6/6.
    const s = [0.004, 0.002, -0.001, -0.005];
    const a = Float64Array.from(X, (x, t) => x + s[Math.floor(t / 2)]);
    const b = Float64Array.from(X, (x, t) => x - s[Math.floor(t / 2)]);
    const g = overfittingGate(
      input({ trialReturns: [a, b], trialNames: ['A', 'B'], plan: 0, policy: { ...defaults.overfitting, minDeflatedSharpe: 0 } }),
    );
    expect(g.details.pbo).toBe(1);
    expect(g.passed).toBe(false);
    expect(g.explanation).toContain('PBO 1.00 over A and B is above 0.50');
  });

  it('fails saying the window is too short below 8 game days', () => {
    expect(pboPartitions(8)).toBe(4);
    expect(pboPartitions(7)).toBe(2);
    expect(pboPartitions(100)).toBe(16);
    const g = overfittingGate(input({ ...base, trialReturns: trials.map((t) => t.slice(0, 7)) }));
    expect(g).toMatchObject({ value: null, passed: false });
    expect(g.explanation).toContain('needs at least 8 game days (4 partitions of 2), the evaluation has 7');
  });
});

describe('overfitting through computeGates: trials and CPCV path Sharpes', () => {
  // CPCV window: three days at 2.0/2.0, home won, won, lost. Path 1 says 0.7 (Kelly stakes 5% on home), path 2 says
  // 0.3 (5% on away). Day returns: path 1 +0.05, +0.05, −0.05 → mean 1/60, deviations 1/30, 1/30, −1/15, sample
  // variance (2/900 + 4/900)/2 = 1/300, sd 1/√300 → daily Sharpe (1/60)·√300 = 1/(2√3) = 0.288675; path 2 the negative.
  const cpcvRows: GameRow[] = [1, 1, 0].map((y, i) => ({ date: april(20 + i), y: y as 0 | 1, p: 0.5, home: 2, away: 2 }));
  const evaluation: GameRow[] = [1, 1, 0, 1, 0, 1, 0, 1, 1, 0].map((y, i) => ({
    date: april(i + 1),
    y: y as 0 | 1,
    p: 0.7,
    home: 2,
    away: 2,
  }));
  const cpcv = { games: gamesOf(cpcvRows), paths: [new Float64Array([0.7, 0.7, 0.7]), new Float64Array([0.3, 0.3, 0.3])] };
  const out = computeGates(evidenceOf(evaluation, {}, { cpcv, sweepTrials: 4 }));

  it('annualizes each path’s Sharpe for the chart and uses their spread for the deflated Sharpe', () => {
    const s = 1 / (2 * Math.sqrt(3));
    const annual = s * Math.sqrt(MLB_GAME_DAYS_PER_YEAR);
    expect(out.charts.pathSharpes).toHaveLength(2);
    expect(out.charts.pathSharpes[0]).toBeCloseTo(annual, 10);
    expect(out.charts.pathSharpes[1]).toBeCloseTo(-annual, 10);
    const g = out.gates.find((x) => x.name === 'overfitting')!;
    // Variance of (s, −s) with n − 1 = 1: 2s² = 1/6.
    expect(g.details.sharpeVariance).toBeCloseTo(1 / 6, 12);
    expect(g.details.sharpeVarianceFrom).toBe('cpcv paths');
    // Three staking strategies × 4 sweep trials.
    expect(g.details.trials).toBe(12);
    expect(out.summary.trials).toBe(12);
  });
});
