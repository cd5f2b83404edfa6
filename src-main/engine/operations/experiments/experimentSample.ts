import { ece, LOG_LOSS_EPSILON } from '../../../../src-workers/compute/metrics';
import { normalQuantile } from '../../../../src-workers/compute/stats';
import type { AnalyzedMetric, ExperimentVariant, VariantMetrics } from '../../../shared/results/experiments';

/**
 * The experiment's games as the analysis reads them: each settled game with its routed variant and both
 * models' latest predictions (with the bet each placed or would have placed), turned into the per-game
 * values the tests compare. Pure: the store reads the rows, the statistics are in compute/experiments.
 */

export interface VariantPrediction {
  p: number;
  /** The bet's side (the target's first side: home, over) or null without a bet. */
  side: 'first' | 'second' | null;
  stake: number;
  priceFirst: number | null;
  priceSecond: number | null;
}

export interface ExperimentGame {
  gameId: string;
  date: string;
  /** The routed variant (whose bet is placed). */
  variant: ExperimentVariant;
  /** The challenger's share in force when the game was routed. */
  share: number;
  /** 1/0 once the result is known at the clock's time, else null. */
  outcome: number | null;
  control: VariantPrediction | null;
  challenger: VariantPrediction | null;
}

/** Which way is better for each metric (calibration: the per-game Brier score). */
export const METRIC_DIRECTION: Record<AnalyzedMetric, 'higher' | 'lower'> = {
  logLoss: 'lower',
  calibration: 'lower',
  accuracy: 'higher',
  roi: 'higher',
};

const CI_LEVEL = 0.95;
const Z = normalQuantile(1 - (1 - CI_LEVEL) / 2);

export function gameLogLoss(y: number, p: number): number {
  const q = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
  return y === 1 ? -Math.log(q) : -Math.log(1 - q);
}

/** The profit of a prediction's bet on the game's outcome (0 without a bet). */
export function betProfit(v: VariantPrediction, y: number): number {
  if (v.side === null || !(v.stake > 0)) return 0;
  const price = v.side === 'first' ? v.priceFirst : v.priceSecond;
  if (price === null) return 0;
  const won = v.side === 'first' ? y === 1 : y === 0;
  return won ? v.stake * (price - 1) : -v.stake;
}

const hasBet = (v: VariantPrediction): boolean => v.side !== null && v.stake > 0;

/** A metric's value for one game and prediction; roi is the return per unit staked and only exists where a bet was placed. */
export function gameValue(metric: AnalyzedMetric, v: VariantPrediction, y: number): number | null {
  switch (metric) {
    case 'logLoss':
      return gameLogLoss(y, v.p);
    case 'accuracy':
      return (v.p >= 0.5 ? 1 : 0) === y ? 1 : 0;
    case 'calibration':
      return (v.p - y) ** 2;
    case 'roi':
      return hasBet(v) ? betProfit(v, y) / v.stake : null;
  }
}

const settled = (games: readonly ExperimentGame[]) => games.filter((g) => g.outcome !== null);

/** Each variant's values on the settled games routed to it (the routed analysis: the original's design). */
export function routedSample(
  games: readonly ExperimentGame[],
  metric: AnalyzedMetric,
): { control: Float64Array; challenger: Float64Array } {
  const out: Record<ExperimentVariant, number[]> = { control: [], challenger: [] };
  for (const g of settled(games)) {
    const v = g[g.variant];
    if (!v) continue;
    const x = gameValue(metric, v, g.outcome as number);
    if (x !== null) out[g.variant].push(x);
  }
  return { control: Float64Array.from(out.control), challenger: Float64Array.from(out.challenger) };
}

/**
 * Per-game differences (challenger − control) on every settled game both models scored. For roi, the bet
 * outcomes: on the games either model bet, each model's profit per unit (0 where it did not bet), so both
 * sides are measured on one common set of games; controlMean is control's mean over the same set.
 */
export function pairedSample(games: readonly ExperimentGame[], metric: AnalyzedMetric): { diffs: Float64Array; controlMean: number } {
  const diffs: number[] = [];
  let controlSum = 0;
  for (const g of settled(games)) {
    if (!g.control || !g.challenger) continue;
    const y = g.outcome as number;
    if (metric === 'roi') {
      if (!hasBet(g.control) && !hasBet(g.challenger)) continue;
      const c = betProfit(g.control, y);
      diffs.push(betProfit(g.challenger, y) - c);
      controlSum += c;
      continue;
    }
    const c = gameValue(metric, g.control, y) as number;
    diffs.push((gameValue(metric, g.challenger, y) as number) - c);
    controlSum += c;
  }
  return { diffs: Float64Array.from(diffs), controlMean: diffs.length ? controlSum / diffs.length : Number.NaN };
}

/** Settled games both models scored: the paired sample's size for the per-game metrics. */
export function pairedGames(games: readonly ExperimentGame[]): number {
  return settled(games).filter((g) => g.control && g.challenger).length;
}

function meanCi(xs: readonly number[]): { mean: number | null; ci: [number | null, number | null] } {
  const n = xs.length;
  if (!n) return { mean: null, ci: [null, null] };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci: [null, null] };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = (Z * Math.sqrt(variance)) / Math.sqrt(n);
  return { mean, ci: [mean - half, mean + half] };
}

/** Wilson's interval of a proportion (stays inside [0, 1] with few games). */
function wilson(hits: number, n: number): [number | null, number | null] {
  if (!n) return [null, null];
  const p = hits / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [centre - half, centre + half];
}

/** One variant's realized metrics on its settled routed games, with 95% intervals (normal; Wilson for accuracy). */
export function variantMetrics(games: readonly ExperimentGame[], variant: ExperimentVariant): VariantMetrics & { games: number } {
  const mine = settled(games).filter((g) => g.variant === variant && g[variant] !== null);
  const ll: number[] = [];
  const br: number[] = [];
  const rois: number[] = [];
  let hits = 0;
  let profit = 0;
  const y = new Float64Array(mine.length);
  const p = new Float64Array(mine.length);
  mine.forEach((g, i) => {
    const v = g[variant] as VariantPrediction;
    const o = g.outcome as number;
    y[i] = o;
    p[i] = v.p;
    ll.push(gameLogLoss(o, v.p));
    br.push((v.p - o) ** 2);
    hits += (v.p >= 0.5 ? 1 : 0) === o ? 1 : 0;
    if (hasBet(v)) {
      const won = betProfit(v, o);
      profit += won;
      rois.push(won / v.stake);
    }
  });
  const logLoss = meanCi(ll);
  const brier = meanCi(br);
  const roi = meanCi(rois);
  return {
    games: mine.length,
    logLoss: logLoss.mean,
    logLossCi: logLoss.ci,
    accuracy: mine.length ? hits / mine.length : null,
    accuracyCi: wilson(hits, mine.length),
    brier: brier.mean,
    brierCi: brier.ci,
    ece: mine.length ? ece(y, p) : null,
    roi: roi.mean,
    roiCi: roi.ci,
    bets: rois.length,
    profit,
  };
}

/** The challenger's cumulative profit on the bets actually placed for it (games routed to it, settled). */
export function challengerPlacedProfit(games: readonly ExperimentGame[]): number {
  let profit = 0;
  for (const g of settled(games)) if (g.variant === 'challenger' && g.challenger) profit += betProfit(g.challenger, g.outcome as number);
  return profit;
}

/** Routed counts, and the counts the shares in force expected: the sample-ratio check's input (games routed at share 0 or 1 say nothing). */
export function routingCounts(games: readonly ExperimentGame[]): { counts: [number, number]; expected: [number, number] } {
  const counts: [number, number] = [0, 0];
  const expected: [number, number] = [0, 0];
  for (const g of games) {
    if (!(g.share > 0 && g.share < 1)) continue;
    counts[g.variant === 'control' ? 0 : 1]++;
    expected[0] += 1 - g.share;
    expected[1] += g.share;
  }
  return { counts, expected };
}
