import { describe, expect, it } from 'vitest';
import { compareChampionChallenger, judgeProbation, type ComparisonMetric } from '../../../src-workers/compute/retraining';
import { createRng, type Rng } from '../../../src-workers/compute/stats';
import { BullpenError } from '../../../src-main/shared/errors';

/**
 * The expected figures are computed here by direct loops, independently of the implementation; the fixtures
 * are seeded, and each test first asserts the property of its fixture it relies on (above or below the
 * threshold), so a fixture that stopped meaning what the test says fails loudly instead of passing vacuously.
 */

const EPS = 1e-15;
const OPTIONS = { minImprovement: 0.05, ciLevel: 0.95, resamples: 2000, minGames: 100, seed: 7 };

function normal(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** Games with a true home probability in [0.2, 0.8] and outcomes drawn from it. */
function games(seed: number, n: number): { p: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const p = Float64Array.from({ length: n }, () => 0.2 + 0.6 * rng.nextFloat());
  const y = Float64Array.from(p, (q) => (rng.nextFloat() < q ? 1 : 0));
  return { p, y };
}

function meanLogLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    s += y[i] === 1 ? -Math.log(q) : -Math.log(1 - q);
  }
  return s / y.length;
}

function meanAccuracy(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += p[i] >= 0.5 === (y[i] === 1) ? 1 : 0;
  return s / y.length;
}

/** Per-game log-loss improvement of b over a, and its standard deviation. */
function lossDiffs(y: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; sd: number } {
  const d = Array.from({ length: y.length }, (_v, i) => meanLogLoss([y[i]], [a[i]]) - meanLogLoss([y[i]], [b[i]]));
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
  return { mean, sd };
}

/** One unit on the side with p·price > 1 (the larger edge when both), profit per game (0 without a bet). */
function flatEdge(y: ArrayLike<number>, p: ArrayLike<number>, dh: ArrayLike<number>, da: ArrayLike<number>) {
  const profit: number[] = [];
  const bet: boolean[] = [];
  for (let i = 0; i < y.length; i++) {
    const eh = p[i] - 1 / dh[i];
    const ea = 1 - p[i] - 1 / da[i];
    let side: 'home' | 'away' | null = null;
    if (eh > 0 && eh >= ea) side = 'home';
    else if (ea > 0 && ea > eh) side = 'away';
    bet.push(side !== null);
    if (side === 'home') profit.push(y[i] === 1 ? dh[i] - 1 : -1);
    else if (side === 'away') profit.push(y[i] === 0 ? da[i] - 1 : -1);
    else profit.push(0);
  }
  const bets = bet.filter(Boolean).length;
  return { profit, bet, bets, roi: bets ? profit.reduce((s, x) => s + x, 0) / bets : null };
}

describe('compareChampionChallenger: log loss', () => {
  it('deploys a challenger both above the threshold and significant, with the figures of a direct computation', () => {
    const { p, y } = games(1, 3000);
    const champion = new Float64Array(p.length).fill(0.5);
    const r = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'logLoss' });
    const champLoss = meanLogLoss(y, champion);
    const challLoss = meanLogLoss(y, p);
    expect(r.metric).toBe('logLoss');
    expect(r.n).toBe(3000);
    expect(r.champion).toBeCloseTo(champLoss, 12);
    expect(r.challenger).toBeCloseTo(challLoss, 12);
    expect(r.relativeImprovement).toBeCloseTo((champLoss - challLoss) / champLoss, 12);
    expect((champLoss - challLoss) / champLoss).toBeGreaterThan(OPTIONS.minImprovement);
    expect(r.significant).toBe(true);
    expect(r.better).toBe(true);
    expect(r.explanation).toContain('the challenger is better');
    expect(r.explanation).toContain('5.0% required');
  });

  it('gives an interval around the mean per-game improvement as wide as the normal approximation says', () => {
    const { p, y } = games(2, 4000);
    const champion = Float64Array.from(p, (q) => Math.min(0.95, Math.max(0.05, q + 0.1 * (q - 0.5) + 0.03)));
    const r = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'logLoss' });
    const { mean, sd } = lossDiffs(y, champion, p);
    const [lo, hi] = r.ci as [number, number];
    expect(lo).toBeLessThan(mean);
    expect(hi).toBeGreaterThan(mean);
    const normalWidth = 2 * 1.959964 * (sd / Math.sqrt(y.length));
    expect((hi - lo) / normalWidth).toBeGreaterThan(0.85);
    expect((hi - lo) / normalWidth).toBeLessThan(1.15);
  });

  it('refuses a challenger better by more than the threshold on a handful of games (interval reaches 0)', () => {
    // 10 games: the challenger says 0.7 for the home side; 7 home wins, 3 losses. The champion says 0.5.
    const y = [1, 1, 1, 0, 1, 1, 0, 1, 1, 0];
    const champion = new Array(10).fill(0.5);
    const challenger = new Array(10).fill(0.7);
    const r = compareChampionChallenger({ y, champion, challenger }, { ...OPTIONS, minGames: 1, metric: 'logLoss' });
    const rel = (meanLogLoss(y, champion) - meanLogLoss(y, challenger)) / meanLogLoss(y, champion);
    expect(rel).toBeGreaterThan(OPTIONS.minImprovement);
    expect(r.relativeImprovement).toBeCloseTo(rel, 12);
    expect(r.ci[0]).not.toBeNull();
    expect(r.ci[0] as number).toBeLessThanOrEqual(0);
    expect(r.significant).toBe(false);
    expect(r.better).toBe(false);
    expect(r.explanation).toContain('not distinguishable from noise');
  });

  it('refuses a significant improvement below the threshold', () => {
    const { p, y } = games(3, 20000);
    // Slightly under-confident champion: the truth is better on almost every game, but only by a little.
    const champion = Float64Array.from(p, (q) => 0.5 + 0.8 * (q - 0.5));
    const r = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'logLoss' });
    const rel = (meanLogLoss(y, champion) - meanLogLoss(y, p)) / meanLogLoss(y, champion);
    expect(rel).toBeGreaterThan(0);
    expect(rel).toBeLessThan(OPTIONS.minImprovement);
    expect(r.relativeImprovement).toBeCloseTo(rel, 12);
    expect(r.significant).toBe(true);
    expect(r.ci[0] as number).toBeGreaterThan(0);
    expect(r.better).toBe(false);
    expect(r.explanation).toContain('improvement below the threshold');
  });

  it('refuses fewer games than minGames even when the rest holds', () => {
    const { p, y } = games(4, 3000);
    const champion = new Float64Array(p.length).fill(0.5);
    const enough = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'logLoss', minGames: 3000 });
    const short = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'logLoss', minGames: 3001 });
    expect(enough.better).toBe(true);
    expect(short.significant).toBe(true);
    expect(short.better).toBe(false);
    expect(short.explanation).toContain('fewer than the 3,001 games required');
  });

  it('is deterministic for a seed, and the seed drives the resampling', () => {
    const { p, y } = games(5, 500);
    const champion = Float64Array.from(p, (q) => 0.5 + 0.6 * (q - 0.5));
    const options = { ...OPTIONS, metric: 'logLoss' as const };
    const a = compareChampionChallenger({ y, champion, challenger: p }, options);
    const b = compareChampionChallenger({ y, champion, challenger: p }, options);
    const c = compareChampionChallenger({ y, champion, challenger: p }, { ...options, seed: 8 });
    expect(b).toEqual(a);
    expect(c.ci).not.toEqual(a.ci);
    expect(c.relativeImprovement).toBe(a.relativeImprovement);
  });

  it('clips certain probabilities as the metrics do, so a confident miss is finite', () => {
    const y = [1, 0, 1, 0];
    const champion = [0, 1, 0.5, 0.5];
    const challenger = [0.5, 0.5, 0.5, 0.5];
    const r = compareChampionChallenger({ y, champion, challenger }, { ...OPTIONS, minGames: 1, metric: 'logLoss' });
    expect(r.champion).toBeCloseTo(meanLogLoss(y, champion), 10);
    expect(Number.isFinite(r.champion)).toBe(true);
  });

  it('refuses unpaired inputs and bad probabilities as input errors', () => {
    const err = (f: () => unknown): BullpenError => {
      try {
        f();
      } catch (e) {
        return e as BullpenError;
      }
      throw new Error('expected a refusal');
    };
    const e1 = err(() =>
      compareChampionChallenger({ y: [1, 0], champion: [0.5, 0.5], challenger: [0.5] }, { ...OPTIONS, metric: 'logLoss' }),
    );
    expect(e1).toBeInstanceOf(BullpenError);
    expect(e1.code).toBe('COMPARISON_LENGTH_MISMATCH');
    const e2 = err(() =>
      compareChampionChallenger({ y: [1, 0], champion: [0.5, 1.5], challenger: [0.5, 0.5] }, { ...OPTIONS, metric: 'logLoss' }),
    );
    expect(e2.code).toBe('METRIC_BAD_PROBABILITY');
  });
});

describe('compareChampionChallenger: accuracy and ROI', () => {
  it('accuracy: the share of games on the predicted side (0.5 counts as home), compared paired', () => {
    const { p, y } = games(6, 3000);
    const champion = new Float64Array(p.length).fill(0.5);
    const r = compareChampionChallenger({ y, champion, challenger: p }, { ...OPTIONS, metric: 'accuracy' });
    const ac = meanAccuracy(y, champion);
    const ax = meanAccuracy(y, p);
    expect(r.n).toBe(3000);
    expect(r.champion).toBeCloseTo(ac, 12);
    expect(r.challenger).toBeCloseTo(ax, 12);
    expect(r.relativeImprovement).toBeCloseTo((ax - ac) / ac, 12);
    expect((ax - ac) / ac).toBeGreaterThan(OPTIONS.minImprovement);
    expect(r.better).toBe(true);

    const same = compareChampionChallenger({ y, champion: p, challenger: p }, { ...OPTIONS, metric: 'accuracy' });
    expect(same.relativeImprovement).toBe(0);
    expect(same.ci).toEqual([0, 0]);
    expect(same.better).toBe(false);
  });

  it('roi: flat units on positive-edge sides, scored on the games either model bets', () => {
    // Game by game: both bet home; only the challenger bets away; neither bets; only the champion bets home; no prices.
    const y = [1, 0, 1, 0, 1];
    const priceHome = [2.1, 1.5, 1.9, 2.5, Number.NaN];
    const priceAway = [1.8, 2.8, 2.0, 1.6, Number.NaN];
    const champion = [0.6, 0.65, 0.5, 0.45, 0.9];
    const challenger = [0.55, 0.6, 0.5, 0.38, 0.1];
    const r = compareChampionChallenger(
      { y, champion, challenger, priceHome, priceAway },
      { ...OPTIONS, minGames: 1, resamples: 200, metric: 'roi' },
    );
    const c = flatEdge(y, champion, priceHome, priceAway);
    const x = flatEdge(y, challenger, priceHome, priceAway);
    expect(c.bet).toEqual([true, false, false, true, false]);
    expect(x.bet).toEqual([true, true, false, false, false]);
    expect(r.n).toBe(3);
    expect(r.champion).toBeCloseTo(c.roi as number, 12);
    expect(r.challenger).toBeCloseTo(x.roi as number, 12);
    expect(r.relativeImprovement).toBeCloseTo(((x.roi as number) - (c.roi as number)) / (1 + (c.roi as number)), 12);
    expect(r.explanation).toContain('2 challenger and 2 champion bets');
  });

  it('roi: a challenger that knows the true probability beats a coin against a noisy market', () => {
    const rng = createRng(9);
    const { p, y } = games(10, 6000);
    const priceHome = new Float64Array(p.length);
    const priceAway = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      // The market's probability is the truth plus noise, priced with a 2% margin split evenly.
      const m = Math.min(0.9, Math.max(0.1, p[i] + 0.08 * normal(rng)));
      priceHome[i] = 1 / (m * 1.02);
      priceAway[i] = 1 / ((1 - m) * 1.02);
    }
    const champion = new Float64Array(p.length).fill(0.5);
    const r = compareChampionChallenger({ y, champion, challenger: p, priceHome, priceAway }, { ...OPTIONS, metric: 'roi' });
    const c = flatEdge(y, champion, priceHome, priceAway);
    const x = flatEdge(y, p, priceHome, priceAway);
    const either = c.bet.filter((b, i) => b || x.bet[i]).length;
    const rel = ((x.roi as number) - (c.roi as number)) / (1 + (c.roi as number));
    expect(r.n).toBe(either);
    expect(r.champion).toBeCloseTo(c.roi as number, 12);
    expect(r.challenger).toBeCloseTo(x.roi as number, 12);
    expect(r.relativeImprovement).toBeCloseTo(rel, 12);
    expect(rel).toBeGreaterThan(OPTIONS.minImprovement);
    expect(r.significant).toBe(true);
    expect(r.better).toBe(true);
  });

  it('roi: refuses a comparison without prices', () => {
    let caught: unknown;
    try {
      compareChampionChallenger({ y: [1], champion: [0.6], challenger: [0.6] }, { ...OPTIONS, metric: 'roi' as ComparisonMetric });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BullpenError);
    expect((caught as BullpenError).code).toBe('COMPARISON_NO_PRICES');
  });

  it('roi: no bets by either model gives no figures and no deployment', () => {
    const r = compareChampionChallenger(
      { y: [1, 0], champion: [0.5, 0.5], challenger: [0.5, 0.5], priceHome: [1.9, 1.9], priceAway: [1.9, 1.9] },
      { ...OPTIONS, minGames: 1, metric: 'roi' },
    );
    expect(r.n).toBe(0);
    expect(r.champion).toBeNull();
    expect(r.challenger).toBeNull();
    expect(r.ci).toEqual([null, null]);
    expect(r.better).toBe(false);
  });
});

describe('judgeProbation', () => {
  it('rolls back on a planted degradation, with the log losses of a direct computation', () => {
    const rng = createRng(11);
    const { p, y } = games(12, 600);
    // The new model is the truth blurred by noise: over-confident and often on the wrong side.
    const current = Float64Array.from(p, (q) => Math.min(0.97, Math.max(0.03, q + 0.25 * normal(rng))));
    const r = judgeProbation({ y, current, previous: p }, { maxRelativeWorse: 0.02, minGames: 100 });
    const lc = meanLogLoss(y, current);
    const lp = meanLogLoss(y, p);
    expect((lc - lp) / lp).toBeGreaterThan(0.02);
    expect(r.n).toBe(600);
    expect(r.current).toBeCloseTo(lc, 12);
    expect(r.previous).toBeCloseTo(lp, 12);
    expect(r.relativeWorse).toBeCloseTo((lc - lp) / lp, 12);
    expect(r.rollback).toBe(true);
    expect(r.explanation).toContain('roll back');
  });

  it('keeps equal models, and a degradation on fewer games than minGames', () => {
    const { p, y } = games(13, 600);
    const equal = judgeProbation({ y, current: p, previous: p }, { maxRelativeWorse: 0.02, minGames: 100 });
    expect(equal.relativeWorse).toBe(0);
    expect(equal.rollback).toBe(false);

    const few = 60;
    const ys = y.slice(0, few);
    const previous = p.slice(0, few);
    const current = Float64Array.from(ys, (v) => (v === 1 ? 0.1 : 0.9)); // wrong and confident every time
    const r = judgeProbation({ y: ys, current, previous }, { maxRelativeWorse: 0.02, minGames: 100 });
    expect((meanLogLoss(ys, current) - meanLogLoss(ys, previous)) / meanLogLoss(ys, previous)).toBeGreaterThan(0.02);
    expect(r.rollback).toBe(false);
    expect(r.explanation).toContain('fewer than the 100 games');
  });

  it('has no figures before any game settles', () => {
    const r = judgeProbation({ y: [], current: [], previous: [] }, { maxRelativeWorse: 0.02, minGames: 100 });
    expect(r).toMatchObject({ n: 0, current: null, previous: null, relativeWorse: null, rollback: false });
  });
});
